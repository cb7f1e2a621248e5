/**
 * The LSP handlers behind the webviews of issue 12: an entity's scorecards, a team's dashboard, the
 * compliance questions and their answers (with export), and the edit of a rule's quick fix. Thin: check the
 * parameters, call the engine (the same code as the CLI), answer.
 */
import { readFileSync } from 'node:fs';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { absolute, documentSpan, type CatalogIndex, type Placement } from '../catalog/catalogIndex';
import { fsPathOf } from '../catalog/files';
import { displayName } from '../catalog/relations';
import { toCsv, toMarkdown } from '../compliance/export';
import { query, QueryError, QUESTIONS, type QueryResult, type ScoreSource } from '../compliance/questions';
import {
  ComplianceExportRequest,
  ComplianceQueryRequest,
  ComplianceQuestionsRequest,
  EntityScorecardRequest,
  ScorecardQuickFixRequest,
  TeamDashboardRequest,
  type EntityScorecards,
} from '../protocol';
import { scorecardQuickFix } from '../scorecards/quickFixes';
import { applies, type ReadSpan } from '../scorecards/score';
import { teamDashboard } from '../views/teamDashboard';
import type { CatalogDocuments } from './catalogDocuments';
import { runSafe, type Log } from './runSafe';

export interface ScorecardRequestDeps {
  index: CatalogIndex;
  catalog: Pick<CatalogDocuments, 'whenPrepared'>;
  log: Log;
  /** The current Scorer (it changes when the scorecards are read again); undefined before the first. */
  scorer: () => ScoreSource | undefined;
  /** Part of the editor's text of a file open in it (offsets); undefined when the file is not open. */
  openSpan: ReadSpan;
}

/** The current text of an entity's document: the editor's when its file is open, else the disk's. */
function documentText(deps: ScorecardRequestDeps, uri: string, p: Placement): string | undefined {
  const { start, end } = documentSpan(p);
  const open = deps.openSpan(uri, start, end);
  if (open !== undefined) return open;
  const path = fsPathOf(uri);
  try {
    return path ? readFileSync(path, 'utf8').slice(start, end) : undefined;
  } catch {
    return undefined;
  }
}

const text = (v: unknown, max = 10_000): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);

/** The scorecards of an entity, with its place in its file and every ladder, for the scorecard webview. */
export function entityScorecards(index: CatalogIndex, scorer: ScoreSource | undefined, ref: string): EntityScorecards {
  const p = index.first(ref.toLowerCase());
  if (!p) return { ref, found: false, scores: [], scorecards: [] };
  const r = p.record;
  const scores = scorer?.scoreRecord(p) ?? [];
  const used = new Set(scores.map((s) => s.scorecard));
  const out: EntityScorecards = {
    ref: r.ref,
    found: true,
    title: displayName(p) ?? r.name,
    kind: r.kind,
    description: r.description,
    scores,
    scorecards: (scorer?.cards ?? []).filter((c) => used.has(c.id)).map((c) => ({ id: c.id, title: c.title, description: c.description, levels: c.levels, origin: c.origin })),
  };
  if (p.provenance.kind === 'file') {
    out.uri = p.provenance.uri;
    out.line = absolute(p, r.nameRange ?? r.range).start.line;
  }
  return out;
}

/** A query's table, or its error in words (an expression that is not a question nor a valid filter). */
function answered(index: CatalogIndex, scorer: ScoreSource | undefined, expression: string): QueryResult & { error?: string } {
  try {
    return query(index, scorer, expression);
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    return { title: expression, columns: [], rows: [], refs: [], error: e.message };
  }
}

export function registerScorecardRequests(connection: Connection, deps: ScorecardRequestDeps): void {
  const { index, catalog, log, scorer } = deps;
  const safe = <T>(name: string, neutral: T, token: CancellationToken, fn: () => T) => catalog.whenPrepared(() => runSafe(log, name, neutral, token, fn));

  connection.onRequest(EntityScorecardRequest.type, (p, token) => {
    const ref = text(p?.ref) ?? '';
    return safe('entityScorecard', { ref, found: false, scores: [], scorecards: [] }, token, () => entityScorecards(index, scorer(), ref));
  });

  connection.onRequest(TeamDashboardRequest.type, (p, token) => {
    const ref = text(p?.ref) ?? '';
    return safe('teamDashboard', { team: ref, found: false, entities: [], topFailing: [] }, token, () => {
      const s = scorer();
      const board = teamDashboard(index, s, ref);
      // What no scorecard applies to is said so, not shown at 0 %.
      for (const e of board.entities) {
        const record = e.quarantined ? undefined : index.first(e.ref)?.record;
        if (record && !s?.cards.some((c) => applies(c.appliesTo, record))) e.unscored = true;
      }
      return board;
    });
  });

  connection.onRequest(ComplianceQuestionsRequest.type, () => QUESTIONS.map((q) => ({ ...q, params: q.params.map((x) => ({ ...x })) })));

  connection.onRequest(ComplianceQueryRequest.type, (p, token) => {
    const expression = text(p?.expression) ?? '';
    return safe('complianceQuery', { title: expression, columns: [], rows: [], refs: [], error: 'the query failed: see the log' }, token, () => answered(index, scorer(), expression));
  });

  connection.onRequest(ComplianceExportRequest.type, (p, token) => {
    const expression = text(p?.expression) ?? '';
    return safe('complianceExport', { text: '', error: 'the export failed: see the log' }, token, () => {
      const r = answered(index, scorer(), expression);
      if (r.error) return { text: '', error: r.error };
      return { text: p?.format === 'markdown' ? toMarkdown(r) : toCsv(r) };
    });
  });

  connection.onRequest(ScorecardQuickFixRequest.type, (p, token) =>
    safe('scorecardQuickFix', { edits: [], error: 'the quick fix failed: see the log' }, token, () => {
      const ref = text(p?.ref)?.toLowerCase();
      const fixId = text(p?.quickFix, 1000);
      const placement = ref ? index.first(ref) : undefined;
      if (!placement || !fixId) return { edits: [], error: `no entity ${p?.ref ?? ''} in the catalog` };
      if (placement.provenance.kind !== 'file') return { edits: [], error: `${placement.record.ref} comes from a store: fix it where it is defined` };
      const source = documentText(deps, placement.provenance.uri, placement);
      const edit = source === undefined ? undefined : scorecardQuickFix(placement, source, fixId);
      if (!edit) return { edits: [], error: `the quick fix ${fixId} has nothing to change on ${placement.record.ref}` };
      return { uri: placement.provenance.uri, edits: [{ range: { start: edit.start, end: edit.end }, newText: edit.newText }] };
    }),
  );
}

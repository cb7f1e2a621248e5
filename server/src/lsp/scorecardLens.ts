/**
 * Scorecards in the language server: the scorecards in use (built-in, configured folders, the workspace's
 * `.paved-road/scorecards/`), the Scorer over the one catalog index, and a CodeLens above each entity of an
 * open catalog file ("Scorecard: Silver · 2 checks to Gold", command pavedRoad.showScorecard). The lenses
 * answer from the same analysis as the diagnostics; the editor resolves the ones it shows, each from a
 * score cached per record: after an edit only the edited entity is scored again.
 */
import { join } from 'node:path';
import { CodeActionKind, type CancellationToken, type CodeAction, type CodeLens, type Connection, type ServerCapabilities, type TextDocuments } from 'vscode-languageserver/node';
import { documentSpan, type CatalogIndex, type Placement } from '../catalog/catalogIndex';
import type { EntityRecord } from '../catalog/entityRecord';
import { candidates } from '../compliance/questions';
import { loadScorecards, WORKSPACE_SCORECARDS } from '../scorecards/definitions';
import { fsPathOf } from '../catalog/files';
import { RepositoryFacts } from '../scorecards/facts';
import { quickFixTitle, scorecardQuickFix } from '../scorecards/quickFixes';
import { DiskTexts, entityFromText, Scorer } from '../scorecards/score';
import type { EntityScore, Scorecard } from '../scorecards/types';
import type { CatalogDocuments } from './catalogDocuments';
import type { EditorDocument } from './editorDocument';
import { runSafe, type Log } from './runSafe';

export const SHOW_SCORECARD_COMMAND = 'pavedRoad.showScorecard';
/** How long index changes gather before the client is asked for the lenses again. */
const REFRESH_DELAY_MS = 300;
/** How long one slice of scoring ahead may hold the main thread. */
const WARM_SLICE_MS = 8;
export const SCORECARD_CAPABILITIES: ServerCapabilities = { codeLensProvider: { resolveProvider: true } };

/** The words of a lens: the level reached and what the next one needs. */
export function lensTitle(s: EntityScore, card: Pick<Scorecard, 'title'> | undefined, only: boolean): string {
  const name = only ? 'Scorecard' : (card?.title ?? s.scorecard);
  if (s.quarantined) return `${name}: not scored (quarantined)`;
  const level = s.level ?? 'no level yet';
  if (!s.next) return `${name}: ${level} · all checks pass`;
  return `${name}: ${level} · ${s.next.failing} check${s.next.failing === 1 ? '' : 's'} to ${s.next.level}`;
}

/** What an unresolved lens stands for: the entity and the scorecard. */
export interface LensData {
  ref: string;
  scorecard: string;
}

/**
 * The unresolved lenses of the server. A lens carries only its target's number (a file of 2,000 entities
 * sends its lenses on every edit, and the number is a tenth of the ref it stands for); a target keeps its
 * number for the server's lifetime, so a lens listed before an edit still resolves after it. An entity's
 * lenses are kept per record and line, so after an edit only the edited entity's are made again. Which
 * scorecards apply needs no scoring: the editor resolves (scores) only the lenses it shows.
 */
export class LensTargets {
  private readonly numbers = new Map<string, number>();
  private readonly targets: LensData[] = [];
  private made = new WeakMap<EntityRecord, { line: number; lenses: CodeLens[] }>();
  private scorer: Scorer | undefined;

  /** The lenses of the entities placed in one file, in document order, one per scorecard that applies. */
  lenses(scorer: Scorer, placements: readonly Placement[]): CodeLens[] {
    if (scorer !== this.scorer) {
      this.scorer = scorer;
      this.made = new WeakMap();
    }
    const out: CodeLens[] = [];
    for (const p of placements) {
      const line = p.chunkLine + p.record.range.line;
      let m = this.made.get(p.record);
      if (!m || m.line !== line) {
        const range = { start: { line, character: 0 }, end: { line, character: 0 } };
        m = { line, lenses: scorer.cardsFor(p.record).map((c) => ({ range, data: this.numberOf(p.record.ref, c.id) })) };
        this.made.set(p.record, m);
      }
      for (const l of m.lenses) out.push(l);
    }
    return out;
  }

  /** A target's number, from 1: vscode-languageclient sends a lens's `data` back only when it is truthy. */
  private numberOf(ref: string, scorecard: string): number {
    const key = `${scorecard}\0${ref}`;
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.targets.push({ ref, scorecard });
      this.numbers.set(key, n);
    }
    return n;
  }

  /** What a lens's data stands for; undefined for data that is not one of ours. */
  target(data: unknown): LensData | undefined {
    return typeof data === 'number' ? this.targets[data - 1] : undefined;
  }
}

/** A lens with its title and command: the entity scored (a cached score when nothing it read changed). */
export function resolveLens(scorer: Scorer, index: CatalogIndex, lens: CodeLens, targets: LensTargets): CodeLens {
  const d = targets.target(lens.data);
  const p = d && index.first(d.ref);
  const scores = p ? scorer.scoreRecord(p) : [];
  const s = scores.find((x) => x.scorecard === d?.scorecard);
  const card = scorer.cards.find((c) => c.id === d?.scorecard);
  // Gone since the lenses were asked for (an edit, a scorecard changed): an empty title, the editor asks again.
  if (!d || !s) return { range: lens.range, command: { title: '', command: '' } };
  return { range: lens.range, command: { title: lensTitle(s, card, scores.length === 1), command: SHOW_SCORECARD_COMMAND, arguments: [s.ref] } };
}

export interface ScorecardLensDeps {
  connection: Connection;
  documents: TextDocuments<EditorDocument>;
  catalog: CatalogDocuments;
  index: CatalogIndex;
  log: Log;
  folders: () => string[];
}

/**
 * The scorecards of the server: loads them (again when a scorecard file or the settings change), keeps the
 * Scorer, answers textDocument/codeLens, and tells the client to ask again when scores may have changed
 * without an edit of the file (a scorecard, a repository file, another file's entity).
 */
export class ServerScorecards {
  readonly facts = new RepositoryFacts();
  private readonly targets = new LensTargets();
  private current: Scorer;
  private configured: string[] = [];
  problems: string[] = [];
  private refreshSupport = false;

  constructor(private readonly deps: ScorecardLensDeps) {
    this.current = this.scorerOf([]);
    const { connection, documents, catalog, log } = deps;
    // An entity others' scores looked at (an owner, a dependency) changed: the lenses shown may have too.
    // (The edited file's own lenses the editor asks for again by itself.)
    deps.index.onChange((changed) => {
      if (this.current.affects(changed)) this.refreshSoon();
    });
    connection.onCodeLens((p, token: CancellationToken) =>
      catalog.whenPrepared(() =>
        runSafe(log, 'codeLens', [], token, () => {
          const doc = documents.get(p.textDocument.uri);
          if (!doc || !catalog.get(doc)) return [];
          return this.targets.lenses(this.current, deps.index.placementsOf(doc.uri));
        }),
      ),
    );
    connection.onCodeLensResolve((lens, token: CancellationToken) =>
      catalog.whenPrepared(() =>
        runSafe(log, 'codeLens/resolve', lens, token, () => {
          // The open documents' latest text in the index first, as for the lenses themselves.
          for (const d of documents.all()) catalog.analyze(d);
          return resolveLens(this.current, deps.index, lens, this.targets);
        }),
      ),
    );
  }

  /** Closed files' texts, for a field a record does not keep: the last few read (an open file's come from the editor). */
  private readonly disk = new DiskTexts(4);

  private scorerOf(scorecards: Scorecard[]): Scorer {
    const span = (uri: string, start: number, end: number): string | undefined => this.deps.documents.get(uri)?.slice(start, end) ?? this.disk.span(uri, start, end);
    return new Scorer(this.deps.index, this.facts, scorecards, { entityOf: (p) => entityFromText(p, span) });
  }

  /** The Scorer in use (another one after the scorecards are read again). */
  get scorer(): Scorer {
    return this.current;
  }

  /** From initialize: whether the client takes workspace/codeLens/refresh. */
  setRefreshSupport(supported: boolean): void {
    this.refreshSupport = supported;
  }

  /** Reads the scorecards: built-in, the configured folders, then each workspace folder's. */
  async load(): Promise<void> {
    try {
      const s = (await this.deps.connection.workspace.getConfiguration({ section: 'pavedRoad.scorecards' })) as { folders?: unknown } | null;
      this.configured = Array.isArray(s?.folders) ? s.folders.filter((f): f is string => typeof f === 'string' && !!f) : [];
    } catch {
      this.configured = [];
    }
    this.reload();
  }

  private reload(): void {
    const sources = [...this.configured.map((path) => ({ path, origin: 'folder' })), ...this.deps.folders().map((f) => ({ path: join(f, WORKSPACE_SCORECARDS), origin: 'workspace' }))];
    const { scorecards, problems } = loadScorecards(sources);
    this.problems = problems;
    for (const p of problems) this.deps.log(`scorecards: ${p}`);
    this.current = this.scorerOf(scorecards);
    this.refresh();
    if (this.indexRead) this.warm();
  }

  /** Files changed on disk: a scorecard file reloads the scorecards; any other file may change a fact. */
  filesChanged(uris: readonly string[]): void {
    if (!uris.length) return;
    for (const u of uris) this.disk.forget(u);
    this.current.invalidate(uris);
    const paths = uris.map((u) => fsPathOf(u) ?? u);
    const dirs = [...this.configured, ...this.deps.folders().map((f) => join(f, WORKSPACE_SCORECARDS))];
    if (paths.some((p) => dirs.some((d) => p === d || p.startsWith(d + '/') || p.startsWith(d + '\\')))) this.reload();
    else this.refresh();
  }

  private timer: NodeJS.Timeout | undefined;
  /** The workspace was read: the scores can be made ahead (see `warm`). */
  private indexRead = false;

  /**
   * Scores every entity the scorecards apply to, ahead of need, in slices of a few milliseconds between the
   * editor's requests: the first team dashboard or compliance question then answers from cached scores
   * (at 100,000 entities a cold scoring reads the facts of thousands of repositories, seconds of work).
   * Called once the workspace is read, and again for other scorecards.
   */
  warm(): void {
    this.indexRead = true;
    const scorer = this.current;
    if (!scorer.cards.length) return;
    const todo = candidates(this.deps.index, scorer.cards)[Symbol.iterator]();
    const slice = (): void => {
      if (this.current !== scorer) return;
      const until = performance.now() + WARM_SLICE_MS;
      for (let n = 0; ; n++) {
        if (n % 32 === 0 && performance.now() > until) return void setImmediate(slice);
        const next = todo.next();
        if (next.done) return;
        scorer.scoreRecord(next.value);
      }
    };
    setImmediate(slice);
  }

  /** `refresh`, once for a burst of changes. */
  private refreshSoon(): void {
    if (!this.refreshSupport || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** The quick fixes of the entity's failing rules (`fix.quickFix`), as code actions on its document. */
  codeActions(doc: EditorDocument, p: Placement | undefined): CodeAction[] {
    if (!p) return [];
    const out: CodeAction[] = [];
    const seen = new Set<string>();
    // Asked for at each move of the cursor: the entity's own text, read once, not the whole file's.
    let chunk: string | undefined;
    for (const s of this.current.scoreRecord(p)) {
      for (const r of s.results) {
        if (r.outcome !== 'fail' || !r.fix || !('quickFix' in r.fix) || seen.has(r.fix.quickFix)) continue;
        seen.add(r.fix.quickFix);
        const { start, end } = documentSpan(p);
        chunk ??= doc.slice(start, end);
        const e = scorecardQuickFix(p, chunk, r.fix.quickFix);
        const title = quickFixTitle(r.fix.quickFix);
        if (!e || !title) continue;
        out.push({ title: `${title} (scorecard: ${r.title}, ${r.level})`, kind: CodeActionKind.QuickFix, edit: { changes: { [doc.uri]: [{ range: { start: e.start, end: e.end }, newText: e.newText }] } } });
      }
    }
    return out;
  }

  /** Asks the client for the lenses again (scores may have changed without an edit of the file shown). */
  refresh(): void {
    if (this.refreshSupport) void this.deps.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }
}

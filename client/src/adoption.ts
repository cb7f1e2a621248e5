/**
 * Adoption signals the platform team can use: Find Entity searches left with no result, scaffolding wizards
 * abandoned (and at which step), and scorecard levels over time. Local and opt-in: kept as JSON lines in the
 * extension's global storage, recorded only while `enabled()` says so (the setting
 * `pavedRoad.adoption.enabled` AND VS Code's telemetry being on: see adoptionCommands.ts), exported by a
 * command to where the user says. Nothing is sent anywhere.
 *
 * No `vscode` here: the recorder is plain Node, so the unit test runs it as it runs in the extension host.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type Signal =
  /** The query of a Find Entity quick pick closed without a pick while its last answer was empty. */
  | { type: 'find-entity-no-result'; query: string }
  /** A wizard closed before its end: which one, the template chosen (if any), and the step it was on. */
  | { type: 'wizard-abandoned'; wizard: string; template?: string; step: number; of: number; stepTitle: string }
  /** An entity's level on a scorecard, recorded when it (or the score) differs from the last one recorded. */
  | { type: 'scorecard-level'; ref: string; scorecard: string; level: string | null; score: number };

/** A signal as kept: with when (ISO 8601, UTC). */
export type Recorded = Signal & { at: string };

export class AdoptionRecorder {
  /** The last level recorded per `ref scorecard`, read from the file on first use (so a restart does not repeat it). */
  private levels: Map<string, string> | undefined;

  constructor(
    /** The JSON-lines file (in global storage). */
    readonly file: string,
    /** Asked before every record: the opt-in setting and VS Code's telemetry switch. */
    private readonly enabled: () => boolean,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends the signal when enabled; says whether it did. */
  record(signal: Signal): boolean {
    if (!this.enabled()) return false;
    const line: Recorded = { ...signal, at: this.now().toISOString() };
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
    if (signal.type === 'scorecard-level') this.knownLevels().set(levelKey(signal), levelValue(signal));
    return true;
  }

  /** Records a scorecard level only when it is not the entity's last recorded level and score on that scorecard. */
  level(signal: Omit<Extract<Signal, { type: 'scorecard-level' }>, 'type'>): boolean {
    if (!this.enabled()) return false;
    const s = { type: 'scorecard-level' as const, ...signal };
    if (this.knownLevels().get(levelKey(s)) === levelValue(s)) return false;
    return this.record(s);
  }

  /** Every signal kept, oldest first (a line that does not parse, e.g. cut by a crash, is skipped). */
  read(): Recorded[] {
    if (!existsSync(this.file)) return [];
    const out: Recorded[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as Recorded;
        if (r && typeof r.type === 'string' && typeof r.at === 'string') out.push(r);
      } catch {
        // a partial last line
      }
    }
    return out;
  }

  /** The export: the signals as JSON lines (whether or not recording is on now: they are the user's). */
  exportText(): { text: string; count: number } {
    const all = this.read();
    return { text: all.map((r) => `${JSON.stringify(r)}\n`).join(''), count: all.length };
  }

  private knownLevels(): Map<string, string> {
    if (!this.levels) {
      this.levels = new Map();
      for (const r of this.read()) if (r.type === 'scorecard-level') this.levels.set(levelKey(r), levelValue(r));
    }
    return this.levels;
  }
}

const levelKey = (s: { ref: string; scorecard: string }) => `${s.ref} ${s.scorecard}`;
const levelValue = (s: { level: string | null; score: number }) => `${s.level ?? ''} ${s.score}`;

let active: AdoptionRecorder | undefined;

/**
 * What the hooks in the commands call (one line each): a no-op until the extension sets the recorder, and
 * whenever recording is off.
 */
export const adoption = {
  use(recorder: AdoptionRecorder | undefined): void {
    active = recorder;
  },
  record(signal: Signal): void {
    try {
      active?.record(signal);
    } catch {
      // a signal is never worth a failed command (a full disk, a read-only storage)
    }
  },
  /** A wizard closed at `frame` (MultiStepInput.current), with the template chosen so far. */
  abandoned(wizard: string, template: string | undefined, frame: { title: string; step: number; total: number }): void {
    adoption.record({ type: 'wizard-abandoned', wizard, template, step: frame.step, of: frame.total, stepTitle: stepTitle(frame.title) });
  },
};

/** "Create from Template: Owner (Step 4 of 9)" → "Owner". */
export function stepTitle(title: string): string {
  return title.replace(/\s*\(Step \d+ of \d+\)$/, '').replace(/^[^:]*:\s*/, '');
}

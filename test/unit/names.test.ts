/** Did-you-mean: the bit-parallel distance against the textbook table, and the name table against a full scan. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Distance, NameTable } from '../../server/src/catalog/names';
import { Rng } from '../fuzz/mutators';

/** The textbook dynamic programme, no shortcuts. */
function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

const ALPHABET = 'abcde-1é';
function word(rand: () => number, max: number): string {
  let s = '';
  const n = Math.floor(rand() * (max + 1));
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

describe('Distance', () => {
  it('agrees with the textbook table, within and past the give-up bound, for short and long strings', () => {
    const rng = new Rng(7); // seeded, so a failure can be replayed
    const rand = (): number => rng.next();
    for (let n = 0; n < 4000; n++) {
      const a = word(rand, n % 3 === 0 ? 45 : 12);
      const b = rand() < 0.5 ? word(rand, n % 3 === 0 ? 45 : 12) : a.slice(0, Math.floor(rand() * a.length)) + word(rand, 3) + a.slice(Math.floor(rand() * a.length));
      const max = Math.floor(rand() * 8);
      const want = levenshtein(a, b);
      const got = new Distance(a).to(b, max);
      if (want <= max) assert.equal(got, want, `${a} → ${b} (max ${max})`);
      else assert.ok(got > max, `${a} → ${b}: ${got} should exceed ${max} (real ${want})`);
    }
  });

  it('handles 32 characters exactly (the whole machine word) and characters beyond ASCII', () => {
    const a = 'abcdefghijklmnopqrstuvwxyz012345';
    assert.equal(new Distance(a).to(`${a.slice(0, 31)}x`, 3), 1);
    assert.equal(new Distance(a).to(a.slice(1), 3), 1);
    assert.equal(new Distance('équipe').to('equipe', 2), 1);
  });
});

describe('NameTable.closest', () => {
  /** The same answer by brute force: every name, sorted by distance then ref. */
  function bruteForce(refs: Iterable<string>, namespace: string, name: string, limit: number): string[] {
    const max = Math.max(2, Math.floor(name.length / 3));
    const found: [number, string][] = [];
    for (const ref of refs) {
      const [ns, n] = ref.slice(ref.indexOf(':') + 1).split('/');
      if (ns !== namespace) {
        if (n === name) found.push([0.5, ref]);
        continue;
      }
      const d = levenshtein(name, n);
      if (d <= max) found.push([d, ref]);
    }
    return found
      .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
      .slice(0, limit)
      .map((x) => x[1]);
  }

  it('finds what a full scan finds, as entities are added and removed', () => {
    const rng = new Rng(11);
    const rand = (): number => rng.next();
    const table = new NameTable();
    const live = new Set<string>();
    const names = ['payments-api', 'payments-web', 'checkout-platform', 'orders', 'order-events', 'billing', 'team-a', 'team-b'];
    for (let step = 0; step < 3000; step++) {
      const ns = rand() < 0.8 ? 'default' : 'ops';
      const base = names[Math.floor(rand() * names.length)];
      const ref = `component:${ns}/${base}${rand() < 0.5 ? `-${Math.floor(rand() * 40)}` : ''}`;
      if (live.has(ref) && rand() < 0.4) {
        table.remove(ref);
        live.delete(ref);
      } else if (!live.has(ref)) {
        table.add(ref);
        live.add(ref);
      }
      if (step % 10 === 0) {
        const typed = `${names[Math.floor(rand() * names.length)]}${rand() < 0.5 ? `-${Math.floor(rand() * 40)}` : ''}`.replace(/[aeo]/, () => (rand() < 0.5 ? 'x' : ''));
        assert.deepEqual(table.closest('default', typed), bruteForce(live, 'default', typed, 3), `after ${step} steps, '${typed}'`);
      }
    }
  });

  it('offers the same name from another namespace first', () => {
    const table = new NameTable();
    for (const r of ['group:default/payments-teem', 'group:finance/payments-team', 'group:default/payments-tram']) table.add(r);
    assert.deepEqual(table.closest('default', 'Payments-Team'), ['group:finance/payments-team', 'group:default/payments-teem', 'group:default/payments-tram']);
  });
});

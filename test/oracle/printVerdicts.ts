/**
 * Prints the oracle's verdict on every corpus document (no engine needed):
 *   node --import tsx test/oracle/printVerdicts.ts            distribution + per-kind table
 *   node --import tsx test/oracle/printVerdicts.ts --all      also one line per document
 *   node --import tsx test/oracle/printVerdicts.ts <id-substring>   the matching cases in full
 */
import { judgeText } from './backstageOracle';
import { buildCorpus, casePath, KINDS } from './corpus';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const all = args.includes('--all');
  const filter = args.find((a) => !a.startsWith('--'));
  const corpus = buildCorpus();
  const stats = { docs: 0, valid: 0, invalid: 0, empty: 0, files: corpus.length };
  const byStage = new Map<string, number>();
  const byKind = new Map<string, { valid: number; invalid: number }>();
  for (const c of corpus) {
    const verdict = await judgeText(c.text, { path: casePath(c) });
    for (const d of verdict.documents) {
      if (d.empty) {
        stats.empty += 1;
        continue;
      }
      stats.docs += 1;
      if (d.valid) stats.valid += 1;
      else stats.invalid += 1;
      byStage.set(d.stage ?? 'accepted', (byStage.get(d.stage ?? 'accepted') ?? 0) + 1);
      const k = d.kind && (KINDS as readonly string[]).includes(d.kind) ? d.kind : '(other)';
      const e = byKind.get(k) ?? { valid: 0, invalid: 0 };
      if (d.valid) e.valid += 1;
      else e.invalid += 1;
      byKind.set(k, e);
      if (all) console.log(`${d.valid ? 'VALID  ' : 'INVALID'} ${c.id}#${d.docIndex} ${d.reason ?? ''}`);
    }
    if (filter && c.id.includes(filter)) {
      console.log(`----- ${c.id}: ${c.description} (${c.file ?? 'catalog-info.yaml'})\n${c.text}`);
      for (const d of verdict.documents) console.log(`  #${d.docIndex} empty=${d.empty} valid=${d.valid} ${d.stage ?? ''} ${d.reason ?? ''}`);
    }
  }
  console.log(JSON.stringify(stats));
  console.log('by stage:', Object.fromEntries([...byStage].sort()));
  console.log('by kind:', Object.fromEntries(byKind));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

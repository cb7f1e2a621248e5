/** package.json and client/src/constants.ts declare the same commands and settings. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Commands, Settings } from '../../client/src/constants';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

describe('package.json', () => {
  it('contributes exactly the commands of constants.ts, each with a category', () => {
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
    assert.ok(manifest.contributes.commands.every((c: { category?: string }) => c.category === 'Paved Road'));
  });
  it('contributes exactly the settings of constants.ts, each with a scope and a markdownDescription', () => {
    const props = manifest.contributes.configuration.properties as Record<string, { scope?: string; markdownDescription?: string }>;
    assert.deepEqual(Object.keys(props).sort(), Object.values(Settings).sort());
    for (const [k, v] of Object.entries(props)) {
      assert.ok(k.startsWith('pavedRoad.'), k);
      assert.ok(v.scope && v.markdownDescription, k);
    }
  });
  it('activates lazily, never on *', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
  });
  it('ships an allow-list .vscodeignore', () => {
    const ignore = readFileSync(join(__dirname, '../../.vscodeignore'), 'utf8').split('\n');
    assert.equal(ignore.find((l) => l && !l.startsWith('#')), '**');
  });
});

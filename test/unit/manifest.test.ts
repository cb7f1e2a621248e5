/** package.json and client/src/constants.ts declare the same commands and settings. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Commands, ContextKeys, Settings, Views } from '../../client/src/constants';

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
  it('contributes the views of constants.ts in the Paved Road container, with icons that exist', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === Views.container);
    assert.ok(container && existsSync(join(__dirname, '../..', container.icon)), 'the activity bar container and its icon');
    const views = manifest.contributes.views[Views.container].map((v: { id: string }) => v.id).sort();
    assert.deepEqual(views, [Views.catalog, Views.myTeam].sort());
    for (const v of views) assert.ok(manifest.activationEvents.includes(`onView:${v}`), v);
  });
  it('names only declared commands and context keys in menus and empty states', () => {
    const commands = new Set<string>(Object.values(Commands));
    const keys = new Set<string>(Object.values(ContextKeys));
    const whens: string[] = [];
    for (const [menu, items] of Object.entries(manifest.contributes.menus as Record<string, { command: string; when?: string }[]>)) {
      for (const i of items) {
        assert.ok(commands.has(i.command), `${menu}: ${i.command}`);
        if (i.when) whens.push(i.when);
      }
    }
    for (const w of manifest.contributes.viewsWelcome as { view: string; when: string; contents: string }[]) {
      assert.ok(Object.values(Views).includes(w.view as never), w.view);
      whens.push(w.when);
      for (const [, cmd] of w.contents.matchAll(/\(command:([\w.]+)/g)) assert.ok(commands.has(cmd) || cmd.startsWith('workbench.'), cmd);
    }
    // Every pavedRoad.* word in a when clause is one of our context keys or a setting (config.pavedRoad.*).
    for (const w of whens) {
      for (const [word] of w.matchAll(/(?<![\w.])pavedRoad\.[\w.]+/g)) if (!commands.has(word) && !Object.values(Views).includes(word as never)) assert.ok(keys.has(word), `${word} in "${w}"`);
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

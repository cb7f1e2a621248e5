/** Templates (roots, versions, extends), rendering (mustache, `${{ }}`, lambdas, names) and path safety. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkManifest, readManifest } from '../../../server/src/scaffolding/manifest';
import { safeRelativePath, within } from '../../../server/src/scaffolding/paths';
import { renderString, renderTemplate } from '../../../server/src/scaffolding/render';
import { compareVersions, findTemplate, latest, loadTemplates } from '../../../server/src/scaffolding/templates';
import { ScaffoldError } from '../../../server/src/scaffolding/types';
import { PNG, SERVICE_MANIFEST, WORKFLOW, fixtureTemplates, write } from './fixture';

const tmp = mkdtempSync(join(tmpdir(), 'pr-render-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const answers = { name: 'payments-api', owner: 'group:default/payments-team', lifecycle: 'production', port: 8080, tags: [] };

describe('templates', () => {
  const root = join(tmp, 'roots/a');
  fixtureTemplates(root);

  it('reads every template of the roots, newest first; the first root wins on the same id and version', () => {
    const other = join(tmp, 'roots/b');
    write(join(other, 'svc/1.0.0/template.yaml'), SERVICE_MANIFEST.replace('title: Fixture service', 'title: Shadowed'));
    write(join(other, 'svc/1.2.0/template.yaml'), SERVICE_MANIFEST.replace('version: 1.0.0', 'version: 1.2.0').replace('tags: [test]', 'tags: [test]\nextends: 1.0.0\nremove: [logo.png]\nchanges: No logo.'));
    write(join(other, 'svc/1.2.0/files/README.md'), '# {{name}} v1.2\n');
    write(join(other, 'svc/1.10.0-rc.1/template.yaml'), SERVICE_MANIFEST.replace('version: 1.0.0', 'version: 1.10.0-rc.1'));
    const { templates, problems } = loadTemplates([
      { path: root, origin: 'workspace' },
      { path: other, origin: 'folder' },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(templates.map((t) => t.id), ['db', 'svc']);
    const svc = templates.find((t) => t.id === 'svc')!;
    assert.deepEqual(svc.versions.map((v) => v.manifest.version), ['1.10.0-rc.1', '1.2.0', '1.0.0']);
    assert.equal(latest(svc).manifest.version, '1.10.0-rc.1');
    assert.equal(findTemplate(templates, 'svc', '1.0.0')!.manifest.title, 'Fixture service');
    assert.equal(findTemplate(templates, 'svc', '1.0.0')!.origin, 'workspace');
    const v12 = findTemplate(templates, 'svc', '1.2.0')!;
    assert.equal(v12.origin, 'folder');
    // extends: the older files, overlaid by its own, minus remove
    assert.deepEqual([...v12.files.keys()].sort(), ['.github/workflows/ci.yml', 'README.md', 'bin/run.sh', 'catalog-info.yaml', 'src/{{name}}.ts']);
    assert.equal(v12.files.get('README.md'), join(other, 'svc/1.2.0/files/README.md'));
    assert.equal(v12.files.get('catalog-info.yaml'), join(root, 'svc/1.0.0/files/catalog-info.yaml'));
    assert.equal(findTemplate(templates, 'nope'), undefined);
    assert.ok(compareVersions('1.10.0', '1.9.0') > 0 && compareVersions('1.0.0-rc.1', '1.0.0') < 0 && compareVersions('2.0.0', '2.0.0') === 0);
  });

  it('leaves out, with a problem in words, a bad manifest, a folder that does not match, a symlink among the files, an extends that leads nowhere', () => {
    const bad = join(tmp, 'roots/bad');
    write(join(bad, 'typo/1.0.0/template.yaml'), SERVICE_MANIFEST.replace('id: svc', 'id: typo').replace('title:', 'titel:'));
    write(join(bad, 'moved/1.0.0/template.yaml'), SERVICE_MANIFEST);
    write(join(bad, 'linked/1.0.0/template.yaml'), SERVICE_MANIFEST.replace('id: svc', 'id: linked'));
    mkdirSync(join(bad, 'linked/1.0.0/files'), { recursive: true });
    symlinkSync('/etc/passwd', join(bad, 'linked/1.0.0/files/passwd'));
    write(join(bad, 'orphan/2.0.0/template.yaml'), SERVICE_MANIFEST.replace('id: svc', 'id: orphan').replace('version: 1.0.0', 'version: 2.0.0\nextends: 1.0.0'));
    const { templates, problems } = loadTemplates([{ path: bad, origin: 'workspace' }]);
    assert.deepEqual(templates, []);
    const text = problems.join('\n');
    assert.match(text, /typo\/1\.0\.0\/template\.yaml: titel is not a known key/);
    assert.match(text, /typo\/1\.0\.0\/template\.yaml: title is missing/);
    assert.match(text, /moved\/1\.0\.0\/template\.yaml: id is svc, but the folder is moved: they must be equal/);
    assert.match(text, /files\/passwd is a symlink: templates must hold real files/);
    assert.match(text, /extends 1\.0\.0, which is not a version of orphan that can be read/);
  });

  it('checks what the schema cannot: regular expressions, remove without extends, edits on a service', () => {
    const m = (extra: string): unknown => ({ apiVersion: 'paved-road.dev/v1', kind: 'Template', id: 'x', version: '1.0.0', type: 'service', title: 'X', description: '', parameters: { type: 'object', properties: { name: { type: 'string', pattern: extra } } } });
    assert.deepEqual(checkManifest(m('^[a-z]+$')), []);
    assert.match(checkManifest(m('^[a-z+$')).join(), /parameters\.properties\.name\.pattern is not a valid regular expression/);
    assert.match(checkManifest({ ...(m('a') as object), remove: ['a'] }).join(), /remove needs extends/);
    assert.match(checkManifest({ ...(m('a') as object), edits: { dependsOn: ['x'] } }).join(), /only a template of type addition/);
    assert.match(checkManifest({ ...(m('a') as object), version: 'one' }).join(), /version must match the pattern/);
    assert.match(checkManifest({ ...(m('a') as object), remove: ['../x'] }).join(), /remove\.0 must match/);
    assert.match(readManifest(join(tmp, 'nowhere')).problems.join(), /template\.yaml: cannot be read \(ENOENT\)/);
  });
});

describe('rendering', () => {
  const root = join(tmp, 'roots/r');
  fixtureTemplates(root);
  const { templates } = loadTemplates([{ path: root, origin: 'bundled' }]);
  const svc = findTemplate(templates, 'svc')!;

  it('keeps GitHub Actions ${{ }} expressions byte for byte, and renders the rest', () => {
    const files = renderTemplate(svc, answers);
    const ci = files.find((f) => f.path === '.github/workflows/ci.yml')!;
    assert.equal(
      ci.content,
      'name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.sha }}" ${{secrets.TOKEN}} payments-api\n      - if: ${{ github.event_name == \'push\' && contains(github.ref, \'{{x}}\') }}\n        run: echo PAYMENTS_API\n',
    );
    assert.ok(WORKFLOW.includes("${{ github.event_name == 'push' && contains(github.ref, '{{x}}') }}"));
    // an expression over lines, and one next to a mustache tag
    assert.equal(renderString('a ${{\n  x }}{{v}}${{y}}', { v: 1 }), 'a ${{\n  x }}1${{y}}');
  });

  it('does not escape HTML, renders file names, normalises line ends, keeps the executable bit, copies verbatim files', () => {
    const files = renderTemplate(svc, answers);
    assert.deepEqual(files.map((f) => f.path), ['.github/workflows/ci.yml', 'README.md', 'bin/run.sh', 'catalog-info.yaml', 'logo.png', 'src/payments-api.ts']);
    const readme = files.find((f) => f.path === 'README.md')!;
    assert.equal(readme.content, '# payments-api\n\nOwned by payments-team <group:default/payments-team> & friends; port 8080; PaymentsApi; payments_api; payments-api.\n');
    assert.equal(files.find((f) => f.path === 'bin/run.sh')!.executable, true);
    assert.equal(files.find((f) => f.path === 'README.md')!.executable, undefined);
    const logo = files.find((f) => f.path === 'logo.png')!;
    assert.equal(logo.encoding, 'base64');
    assert.ok(Buffer.from(logo.content, 'base64').equals(PNG));
    assert.equal(files.find((f) => f.path === 'catalog-info.yaml')!.content, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/payments-team\n');
  });

  it('has case lambdas for names in any style', () => {
    const view = { n: 'paymentsAPI v2', snake: () => (t: string, r: (s: string) => string) => r(t) };
    assert.equal(renderString('{{n}}', view), 'paymentsAPI v2');
    const files = renderTemplate(svc, { ...answers, name: 'orders' });
    assert.match(files.find((f) => f.path === 'README.md')!.content, /Orders; orders; orders\./);
  });

  it('refuses an answer that would put a file outside the target: .., absolute, backslash, NUL', () => {
    for (const name of ['../../etc', '/etc/x', 'a\\..\\b', 'a\0b', 'a//b']) {
      assert.throws(() => renderTemplate(svc, { ...answers, name }), (e: unknown) => e instanceof ScaffoldError && /unsafe path/.test((e as Error).message), name);
    }
  });

  it('refuses a template file name that escapes once rendered', () => {
    const r = join(tmp, 'roots/escape');
    write(join(r, 'esc/1.0.0/template.yaml'), SERVICE_MANIFEST.replace('id: svc', 'id: esc'));
    write(join(r, 'esc/1.0.0/files/{{up}}/x.txt'), 'x');
    const esc = findTemplate(loadTemplates([{ path: r, origin: 'workspace' }]).templates, 'esc')!;
    assert.throws(() => renderTemplate(esc, { ...answers, up: '..' }), /unsafe path "\.\.\/x\.txt": it goes up with \.\./);
    assert.throws(() => renderTemplate(esc, { ...answers, up: '' }), /unsafe path "\/x\.txt": it is absolute/);
    assert.equal(renderTemplate(esc, { ...answers, up: 'docs' }).find((f) => f.path.endsWith('x.txt'))!.path, 'docs/x.txt');
  });
});

describe('paths', () => {
  it('accepts relative paths and refuses the rest, saying why', () => {
    assert.equal(safeRelativePath('src/a.ts'), 'src/a.ts');
    assert.equal(safeRelativePath('.github/workflows/ci.yml'), '.github/workflows/ci.yml');
    for (const [p, why] of [
      ['../a', /goes up/],
      ['a/../../b', /goes up/],
      ['/abs', /absolute/],
      ['C:/x', /absolute/],
      ['a\\b', /backslash/],
      ['a\0', /NUL/],
      ['a//b', /empty segment/],
      ['./a', /empty segment/],
      ['', /empty/],
    ] as const) {
      assert.throws(() => safeRelativePath(p), (e: unknown) => e instanceof ScaffoldError && why.test((e as Error).message), p);
    }
  });

  it('knows a path through a symlink that leads outside is outside', () => {
    const target = join(tmp, 'target');
    const outside = join(tmp, 'outside');
    mkdirSync(join(target, 'inner'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    symlinkSync(outside, join(target, 'out'));
    symlinkSync(join(target, 'inner'), join(target, 'in'));
    assert.equal(within(target, 'inner/new/file.txt'), true);
    assert.equal(within(target, join(target, 'not-yet/file')), true);
    assert.equal(within(target, 'out/file.txt'), false);
    assert.equal(within(target, 'in/file.txt'), true);
    assert.equal(within(target, 'in'), false); // the link itself is never written through
    assert.equal(within(target, '../target2/x'), false);
  });
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { nonce, pageHtml } from '../../../client/src/webviews/html';

const assets = (n: string) => ({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: n, script: 'https://x/dist/webviews/scorecard.js', codicons: 'https://x/codicon.css', styles: 'https://x/pages.css', title: 'Scorecard' });

test('the page has a strict CSP: nothing by default, scripts only with the nonce, styles and fonts from the webview', () => {
  const n = nonce();
  const html = pageHtml(assets(n));
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${n}'`]);
  assert.deepEqual(directives.get('style-src'), ['https://file+.vscode-resource.vscode-cdn.net']);
  assert.deepEqual(directives.get('font-src'), ['https://file+.vscode-resource.vscode-cdn.net']);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
});

test('every script has the nonce and a source; there is no inline script, style or handler', () => {
  const n = nonce();
  const html = pageHtml(assets(n));
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 1);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, new RegExp(`nonce="${n.replace(/[+/=]/g, (c) => `\\${c}`)}"`));
    assert.match(attrs, /src="[^"]+"/);
    assert.equal(body.trim(), '', 'no inline code');
  }
  assert.doesNotMatch(html, /<style\b|\sstyle=|\son[a-z]+=/i);
  assert.match(html, /id="vscode-codicon-stylesheet"/);
});

test('nonces come from crypto: 128 bits, never the same twice', () => {
  const seen = new Set(Array.from({ length: 200 }, () => nonce()));
  assert.equal(seen.size, 200);
  for (const n of seen) assert.equal(Buffer.from(n, 'base64').length, 16);
});

test('the page code never writes HTML: no innerHTML, outerHTML, insertAdjacentHTML, document.write', () => {
  const dir = join(import.meta.dirname, '../../../media/webviews');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const code = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(code, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/, f);
  }
});

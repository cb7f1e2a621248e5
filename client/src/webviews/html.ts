/**
 * The HTML of a webview page: nothing but the strict Content-Security-Policy, the stylesheets and the
 * page's bundle with a fresh nonce. The page builds everything else as DOM nodes from the host's messages.
 */
import { randomBytes } from 'node:crypto';

/** A nonce from the OS's random source: 128 bits, base64. */
export function nonce(): string {
  return randomBytes(16).toString('base64');
}

export interface PageAssets {
  /** The webview's cspSource. */
  cspSource: string;
  /** webview.asWebviewUri of the page's script, of the codicons' and the pages' stylesheets. */
  script: string;
  codicons: string;
  styles: string;
  title: string;
  nonce: string;
}

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function pageHtml(a: PageAssets): string {
  const csp = `default-src 'none'; script-src 'nonce-${a.nonce}'; style-src ${a.cspSource}; font-src ${a.cspSource}; img-src ${a.cspSource}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(a.codicons)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(a.styles)}">
<title>${attr(a.title)}</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
<script type="module" nonce="${attr(a.nonce)}" src="${attr(a.script)}"></script>
</body>
</html>
`;
}

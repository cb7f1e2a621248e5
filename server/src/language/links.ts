/**
 * Document links in a catalog file: link URLs, TechDocs `dir:` targets, `$text`/`$json`/`$yaml`
 * placeholders and Location targets (local files open in the editor), and `github.com/project-slug`
 * to its repository.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMap, isPair, isScalar, isSeq, visit, type Node } from 'yaml';
import type { AnalyzedFile } from '../catalog/analyze';
import { locate } from '../catalog/nodes';

export interface LinkEntry {
  start: number;
  end: number;
  target: string;
  tooltip: string;
}

const isAbsoluteUrl = (s: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(s);

/** A local target relative to the file, as a file URL. */
function local(target: string, filePath: string | undefined): string | undefined {
  if (!filePath) return undefined;
  try {
    const url = new URL(target, pathToFileURL(filePath));
    url.search = '';
    url.hash = '';
    return url.protocol === 'file:' ? pathToFileURL(fileURLToPath(url)).toString() : undefined;
  } catch {
    return undefined;
  }
}

function scalarLink(node: Node | undefined, chunkStart: number, target: string | undefined, tooltip: string, out: LinkEntry[], skip = 0): void {
  if (!target || !node || !isScalar(node) || !node.range) return;
  const quote = typeof node.value === 'string' && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
  out.push({ start: chunkStart + node.range[0] + quote + skip, end: chunkStart + node.range[1] - quote, target, tooltip });
}

export function documentLinks(file: AnalyzedFile, filePath: string | undefined): LinkEntry[] {
  const out: LinkEntry[] = [];
  for (const d of file.documents) {
    const doc = d.cached.doc;
    if (!doc || d.empty) continue;
    const at = d.chunk.start;
    const links = locate(doc, ['metadata', 'links']).value;
    if (isSeq(links)) {
      for (const item of links.items) {
        const url = isMap(item) ? item.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'url')?.value : undefined;
        if (isScalar(url) && typeof url.value === 'string' && /^https?:\/\//.test(url.value)) scalarLink(url as Node, at, url.value, 'Open the link', out);
      }
    }
    const techdocs = locate(doc, ['metadata', 'annotations', 'backstage.io/techdocs-ref']).value;
    if (isScalar(techdocs) && typeof techdocs.value === 'string') {
      const v = techdocs.value;
      if (v.startsWith('dir:')) scalarLink(techdocs as Node, at, local(v.slice(4) || '.', filePath), 'Open the TechDocs folder', out, 4);
      else if (v.startsWith('url:')) scalarLink(techdocs as Node, at, v.slice(4), 'Open the TechDocs source', out, 4);
    }
    const slug = locate(doc, ['metadata', 'annotations', 'github.com/project-slug']).value;
    if (isScalar(slug) && typeof slug.value === 'string' && /^[\w.-]+\/[\w.-]+$/.test(slug.value)) {
      scalarLink(slug as Node, at, `https://github.com/${slug.value}`, 'Open the repository', out);
    }
    // Placeholders anywhere: a mapping whose only key is $text, $json or $yaml.
    visit(doc, {
      Map(_k, map) {
        if (map.items.length !== 1) return;
        const pair = map.items[0];
        if (!isScalar(pair.key) || !['$text', '$json', '$yaml'].includes(String(pair.key.value))) return;
        const v = pair.value;
        if (isScalar(v) && typeof v.value === 'string') {
          const target = isAbsoluteUrl(v.value) ? v.value : local(v.value, filePath);
          scalarLink(v as Node, at, target, `Open the ${String(pair.key.value)} target`, out);
        }
      },
    });
    if (d.entity?.kind === 'Location') {
      const one = locate(doc, ['spec', 'target']).value;
      const many = locate(doc, ['spec', 'targets']).value;
      for (const node of [one, ...(isSeq(many) ? many.items : [])] as (Node | undefined)[]) {
        if (isScalar(node) && typeof node.value === 'string') scalarLink(node, at, isAbsoluteUrl(node.value) ? node.value : local(node.value, filePath), 'Open the target', out);
      }
    }
  }
  return out;
}

/**
 * Output safety checker: does any published file carry executable script or a dangerous URL?
 *
 * It PARSES what it checks, the way a browser or a feed reader would, and walks every element and attribute:
 * HTML with parse5 (the WHATWG parsing algorithm browsers implement: deliberately not htmlparser2, which the
 * sanitiser itself uses, so a parser differential cannot hide a payload from both), feeds with saxes (strict
 * XML) and JSON.parse, and the HTML carried inside feeds (`description`, `content:encoded`, Atom `type="html"`
 * and `type="xhtml"`, JSON `content_html`) parsed again as HTML.
 *
 * Reusable: `checkHtml` for one document or fragment, `checkSiteFile` / `checkSiteFiles` for rendered files,
 * `checkSiteDir` for a built site on disk (`soak/check-site.ts DIR` is its command line).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { checkJsonFeed, checkXml } from './feed-safety.ts';
import type { Hazard } from './hazard.ts';
import { checkHtml } from './html-check.ts';
import { dangerousCss } from './url-safety.ts';

export { checkJsonFeed, checkXml } from './feed-safety.ts';
export type { Hazard, HazardKind } from './hazard.ts';
export { clip } from './hazard.ts';
export type { HtmlCheckOptions } from './html-check.ts';
export { checkHtml } from './html-check.ts';

/** A site file as renderers produce it or as it lies in a bucket or folder. */
export interface SiteFileLike {
  readonly path: string;
  readonly body: string | Uint8Array;
  readonly contentType?: string;
}

// Plain relative paths: ASCII names, `/` between segments; dot files are fine (`.dropfeed-manifest.json`),
// `.` and `..` segments are not (checked separately).
const SAFE_PATH = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** Checks one published file by what it is (content type when known, else the extension). */
export function checkSiteFile(file: SiteFileLike): Hazard[] {
  const hazards: Hazard[] = [];
  if (!SAFE_PATH.test(file.path) || file.path.split('/').some((s) => s === '..' || s === '.')) {
    hazards.push({ file: file.path, kind: 'unsafe-path', detail: JSON.stringify(file.path) });
  }
  const text = () => (typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body));
  const kind = fileKind(file);
  switch (kind) {
    case 'html':
      hazards.push(...checkHtml(text(), file.path));
      break;
    case 'xml':
      hazards.push(...checkXml(text(), file.path));
      break;
    case 'json':
      hazards.push(...checkJsonFeed(text(), file.path));
      break;
    case 'css': {
      const css = dangerousCss(text());
      if (css) hazards.push({ file: file.path, kind: 'style', detail: css });
      break;
    }
    case 'media':
      hazards.push(...checkMedia(file));
      break;
  }
  return hazards;
}

export function checkSiteFiles(files: Iterable<SiteFileLike>): { files: number; hazards: Hazard[] } {
  let count = 0;
  const hazards: Hazard[] = [];
  for (const file of files) {
    count++;
    hazards.push(...checkSiteFile(file));
  }
  return { files: count, hazards };
}

/** Walks a built site on disk (for example `dropfeed build` output) and checks every file. */
export async function checkSiteDir(dir: string): Promise<{ files: number; hazards: Hazard[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: SiteFileLike[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.push({ path: relative(dir, full).split(sep).join('/'), body: await readFile(full) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return checkSiteFiles(files);
}

type FileKind = 'html' | 'xml' | 'json' | 'css' | 'media';

function fileKind(file: SiteFileLike): FileKind {
  const type = (file.contentType ?? '').toLowerCase();
  const path = file.path.toLowerCase();
  if (type.startsWith('text/html') || /\.x?html?$/.test(path)) return 'html';
  if (type.includes('json') || path.endsWith('.json')) return 'json';
  if (type.includes('xml') || /\.(xml|rss|atom|xsl|xslt|svg)$/.test(path)) return 'xml';
  if (type.startsWith('text/css') || path.endsWith('.css')) return 'css';
  return 'media';
}

/**
 * A picture must be a picture. Markup under an image name is served from the site's own origin, so an SVG
 * with script, or HTML a browser might sniff, is stored XSS when someone opens the file directly.
 */
function checkMedia(file: SiteFileLike): Hazard[] {
  const bytes = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body;
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF?\s*/, '');
  if (!head.startsWith('<')) return [];
  const markup = new TextDecoder().decode(bytes);
  const inner = /^<\?xml|^<svg|^<!doctype svg/i.test(head)
    ? checkXml(markup, file.path)
    : checkHtml(markup, file.path);
  const hazards: Hazard[] = inner.map((h) => ({
    ...h,
    kind: 'active-media',
    detail: `${h.kind}: ${h.detail}`,
  }));
  if (!/^<\?xml|^<svg|^<!doctype svg/i.test(head)) {
    hazards.push({
      file: file.path,
      kind: 'active-media',
      detail: `markup served as ${file.contentType ?? 'media'}`,
    });
  }
  return hazards;
}

/**
 * The feed half of the output safety checker: strict XML (saxes) and JSON, with the HTML each feed carries
 * parsed again by `checkHtml`. A feed reader renders `description`, `content:encoded`, Atom `type="html"`
 * text and JSON `content_html` as HTML, so that HTML must be as safe as a page.
 */
import { SaxesParser } from 'saxes';
import { checkElementParts, URL_ATTRIBUTES } from './element-rules.ts';
import type { Hazard } from './hazard.ts';
import { clip } from './hazard.ts';
import { checkHtml } from './html-check.ts';
import { dangerousScheme } from './url-safety.ts';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const RSS_CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/';
const XSLT_NS = 'http://www.w3.org/1999/XSL/Transform';

/** Atom text constructs: their `type` says whether the text is plain, escaped HTML, or inline XHTML. */
const ATOM_TEXT_CONSTRUCTS = new Set(['title', 'subtitle', 'summary', 'content', 'rights']);
/** Elements whose text a reader follows as a link. */
const URL_TEXT_ELEMENTS = new Set(['link', 'url', 'comments', 'docs', 'guid', 'icon', 'logo', 'uri']);

type Mode = 'plain' | 'html' | 'xhtml' | 'url';

interface Frame {
  readonly name: string;
  readonly mode: Mode;
  text: string;
}

/**
 * Checks an XML document: a feed, an XSLT stylesheet, an SVG. Any well-formedness error is a `malformed`
 * hazard; a DOCTYPE is one too (no feed needs one, and entity declarations are how XXE travels).
 */
export function checkXml(xml: string, file: string): Hazard[] {
  const hazards: Hazard[] = [];
  const stack: Frame[] = [];
  const counters = new Map<string, number>();
  const where = () => stack.map((f) => f.name).join('>');
  const parser = new SaxesParser({ xmlns: true, position: true });

  parser.on('doctype', (doctype) => hazards.push({ file, kind: 'doctype', detail: clip(doctype) }));
  parser.on('processinginstruction', ({ target, body }) => {
    const href = /href\s*=\s*(["'])(.*?)\1/.exec(body)?.[2];
    const scheme = target === 'xml-stylesheet' && href !== undefined ? dangerousScheme(href) : null;
    if (scheme)
      hazards.push({ file, kind: 'dangerous-url', detail: `<?xml-stylesheet href="${clip(href ?? '')}"?>` });
  });
  parser.on('opentag', (tag) => {
    const parent = stack.at(-1);
    const attributes = Object.values(tag.attributes).map((a) => ({ name: a.name, value: a.value }));
    const local = tag.local;
    // Number repeated entries so a hazard names which item carried it.
    let name = local;
    if (local === 'item' || local === 'entry') {
      const n = (counters.get(local) ?? 0) + 1;
      counters.set(local, n);
      name = `${local}[${n}]`;
    }
    stack.push({ name, mode: modeFor(tag.uri, local, attributes, parent?.mode), text: '' });
    if (parent?.mode === 'xhtml') {
      hazards.push(...checkElementParts(local, attributes, file, where()));
      return;
    }
    hazards.push(...checkStructureElement(tag.uri, local, attributes, file, where()));
  });
  const addText = (text: string) => {
    const top = stack.at(-1);
    if (top && (top.mode === 'html' || top.mode === 'url')) top.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const path = where();
    const frame = stack.pop();
    if (!frame) return;
    if (frame.mode === 'html') {
      hazards.push(...checkHtml(frame.text, `${file} <${path}>`, { fragment: true }));
    } else if (frame.mode === 'url') {
      const scheme = dangerousScheme(frame.text.trim());
      if (scheme)
        hazards.push({ file, kind: 'dangerous-url', detail: `${path}: ${clip(frame.text.trim())}` });
    }
  });

  try {
    parser.write(xml).close();
  } catch (error) {
    hazards.push({ file, kind: 'malformed', detail: (error as Error).message });
  }
  return hazards;
}

function modeFor(
  uri: string,
  local: string,
  attributes: ReadonlyArray<{ name: string; value: string }>,
  parentMode: Mode | undefined,
): Mode {
  if (parentMode === 'xhtml') return 'xhtml';
  const attr = (wanted: string) => attributes.find((a) => a.name === wanted)?.value;
  if (uri === ATOM_NS && ATOM_TEXT_CONSTRUCTS.has(local)) {
    const type = (attr('type') ?? 'text').toLowerCase();
    return type === 'html' || type === 'text/html' ? 'html' : type === 'xhtml' ? 'xhtml' : 'plain';
  }
  if (uri === '' && local === 'description') return 'html';
  if (uri === RSS_CONTENT_NS && local === 'encoded') return 'html';
  if (uri === '' && local === 'guid' && attr('isPermaLink') === 'false') return 'plain';
  if ((uri === '' || uri === ATOM_NS) && URL_TEXT_ELEMENTS.has(local)) return 'url';
  return 'plain';
}

/**
 * The rules for the document's own elements (not carried content): script in any namespace, event handlers,
 * dangerous URLs in any URL-bearing attribute, and XSLT's `disable-output-escaping`.
 */
function checkStructureElement(
  uri: string,
  local: string,
  attributes: ReadonlyArray<{ name: string; value: string }>,
  file: string,
  where: string,
): Hazard[] {
  const hazards: Hazard[] = [];
  if (local.toLowerCase() === 'script' && uri !== XSLT_NS)
    hazards.push({ file, kind: 'script', detail: `${where}` });
  if (local === 'foreignObject') hazards.push({ file, kind: 'foreign-content', detail: where });
  for (const { name, value } of attributes) {
    const lower = name.toLowerCase();
    const localName = lower.includes(':') ? lower.slice(lower.indexOf(':') + 1) : lower;
    const shown = `${where} ${name}="${clip(value)}"`;
    if (/^on./.test(localName)) hazards.push({ file, kind: 'event-handler', detail: shown });
    if (lower === 'disable-output-escaping' && value.trim() === 'yes' && !selectsCheckedHtml(attributes)) {
      hazards.push({ file, kind: 'unescaped-output', detail: shown });
    }
    if (
      URL_ATTRIBUTES.has(lower) ||
      URL_ATTRIBUTES.has(localName) ||
      localName === 'url' ||
      localName === 'uri'
    ) {
      const scheme = dangerousScheme(value);
      if (scheme) hazards.push({ file, kind: 'dangerous-url', detail: shown });
    }
  }
  return hazards;
}

/**
 * `disable-output-escaping` on an RSS `description` or `content:encoded` turns that field's escaped HTML
 * into markup in the browser: exactly what a feed reader does with it, and this checker parses those fields
 * as HTML in every feed it checks. Any other field (an Atom text construct of unknown type, a title) could
 * carry plain text that would become live markup.
 */
function selectsCheckedHtml(attributes: ReadonlyArray<{ name: string; value: string }>): boolean {
  const select = attributes.find((a) => a.name === 'select')?.value.trim();
  return select === 'description' || select === 'content:encoded';
}

/** JSON Feed fields holding a URL a reader follows or loads. */
const JSON_URL_FIELDS = new Set([
  'url',
  'external_url',
  'home_page_url',
  'feed_url',
  'next_url',
  'icon',
  'favicon',
  'image',
  'banner_image',
  'avatar',
]);

/** Checks a JSON document (a JSON Feed, or any JSON the site serves): `*_html` as HTML, URL fields by scheme. */
export function checkJsonFeed(json: string, file: string): Hazard[] {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch (error) {
    return [{ file, kind: 'malformed', detail: (error as Error).message }];
  }
  const hazards: Hazard[] = [];
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '$' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        stack.push({ value: item, path: `${path}[${i}]` });
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = `${path}.${key}`;
        if (typeof child === 'string' && key.endsWith('_html')) {
          hazards.push(...checkHtml(child, `${file} ${childPath}`, { fragment: true }));
        } else if (typeof child === 'string' && JSON_URL_FIELDS.has(key)) {
          const scheme = dangerousScheme(child);
          if (scheme) hazards.push({ file, kind: 'dangerous-url', detail: `${childPath}: ${clip(child)}` });
        } else {
          stack.push({ value: child, path: childPath });
        }
      }
    }
  }
  return hazards;
}

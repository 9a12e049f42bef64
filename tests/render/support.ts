import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';

/** Real validators and parsers for the feeds: saxes (XML), jing (RELAX NG), Universal Feed Parser. */

export const ATOM_SCHEMA = new URL('../schemas/atom-rfc4287.rnc', import.meta.url).pathname;

/** A tiny namespace-aware DOM from saxes, for assertions on structure and text. */
export interface XmlElement {
  readonly name: string;
  readonly uri: string;
  readonly local: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

/** Parses strictly; throws on the first well-formedness or namespace error. */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attr] of Object.entries(tag.attributes)) attributes[name] = attr.value;
    const element: XmlElement = {
      name: tag.name,
      uri: tag.uri,
      local: tag.local,
      attributes,
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('cdata', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

export function children(element: XmlElement, local: string, uri?: string): XmlElement[] {
  return element.children.filter((c) => c.local === local && (uri === undefined || c.uri === uri));
}

export function child(element: XmlElement, local: string, uri?: string): XmlElement {
  const found = children(element, local, uri)[0];
  if (!found) throw new Error(`<${element.name}> has no <${local}>`);
  return found;
}

export interface JingResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Validates `xml` against the RELAX NG compact schema with jing (Debian package `jing`). */
export function jing(schema: string, xml: string): JingResult {
  const dir = mkdtempSync(join(tmpdir(), 'dropfeed-jing-'));
  try {
    const file = join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const run = spawnSync('jing', ['-c', schema, file], { encoding: 'utf8' });
    if (run.error) throw run.error;
    // jing's wrapper prints classpath warnings on stderr; validation errors name the file.
    const output = `${run.stdout}${run.stderr}`
      .split('\n')
      .filter((line) => !line.includes('Unable to locate'))
      .join('\n')
      .trim();
    return { ok: run.status === 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ParsedFeed {
  readonly bozo: boolean;
  readonly bozoException: string | null;
  readonly version: string;
  readonly feed: {
    readonly title: string;
    readonly link: string;
    readonly language: string | null;
    readonly updated: string | null;
    readonly links: { rel: string; href: string; type?: string }[];
  };
  readonly entries: {
    readonly id: string;
    readonly title: string;
    readonly link: string;
    readonly author: string | null;
    readonly published: string | null;
    readonly updated: string | null;
    readonly summary: string;
    readonly content: string | null;
    readonly tags: string[];
    readonly enclosures: { href: string; type: string; length: string }[];
  }[];
}

const FEEDPARSER_SCRIPT = `
import sys, json, time, feedparser
def iso(t):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', t) if t else None
d = feedparser.parse(sys.stdin.buffer.read())
f = d.feed
out = {
  'bozo': bool(d.bozo),
  'bozoException': str(d.get('bozo_exception')) if d.bozo else None,
  'version': d.version,
  'feed': {
    'title': f.get('title'), 'link': f.get('link'), 'language': f.get('language'),
    'updated': iso(f.get('updated_parsed')),
    'links': [dict(l) for l in f.get('links', [])],
  },
  'entries': [{
    'id': e.get('id'), 'title': e.get('title'), 'link': e.get('link'), 'author': e.get('author'),
    'published': iso(e.get('published_parsed')), 'updated': iso(e.get('updated_parsed')),
    'summary': e.get('summary'),
    'content': e['content'][0]['value'] if e.get('content') else None,
    'tags': [t.get('term') for t in e.get('tags', [])],
    'enclosures': [dict(x) for x in e.get('enclosures', [])],
  } for e in d.entries],
}
json.dump(out, sys.stdout)
`;

/** Parses a feed with the Universal Feed Parser (Debian `python3-feedparser`, seen by /usr/bin/python3 only). */
export function feedparser(xml: string): ParsedFeed {
  const run = spawnSync('/usr/bin/python3', ['-c', FEEDPARSER_SCRIPT], { input: xml, encoding: 'utf8' });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`feedparser failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ParsedFeed;
}

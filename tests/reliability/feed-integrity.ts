/**
 * What a feed reader polling the public URLs would accept: strict XML (saxes, namespace-aware) with the
 * right root and shape, or JSON Feed 1.1 with the required fields. Used by the samplers that read the site
 * bucket while faults and crashes are injected: a truncated, empty, half-updated or ill-formed feed fails.
 */
import { SaxesParser } from 'saxes';

export const FEED_PATHS = ['feed.xml', 'atom.xml', 'feed.json'] as const;
export type FeedPath = (typeof FEED_PATHS)[number];

const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** Item ids of a well-formed feed; throws with the reason otherwise. */
export function parseFeedStrictly(path: FeedPath, text: string): string[] {
  if (path === 'feed.json') return parseJsonFeed(text);
  return parseXmlFeed(path, text);
}

function parseXmlFeed(path: FeedPath, xml: string): string[] {
  const parser = new SaxesParser({ xmlns: true });
  const stack: string[] = [];
  const ids: string[] = [];
  let root: { local: string; uri: string } | null = null;
  let text = '';
  parser.on('opentag', (tag) => {
    root ??= { local: tag.local, uri: tag.uri };
    stack.push(tag.local);
    text = '';
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', (tag) => {
    const parent = stack[stack.length - 2];
    if ((tag.local === 'guid' && parent === 'item') || (tag.local === 'id' && parent === 'entry'))
      ids.push(text.trim());
    stack.pop();
    text = '';
  });
  parser.write(xml).close();
  const found = root as { local: string; uri: string } | null;
  if (path === 'feed.xml' && found?.local !== 'rss')
    throw new Error(`${path}: root is <${found?.local}>, not <rss>`);
  if (path === 'atom.xml' && (found?.local !== 'feed' || found.uri !== ATOM_NS)) {
    throw new Error(`${path}: root is not an Atom <feed>`);
  }
  return ids;
}

function parseJsonFeed(text: string): string[] {
  const feed = JSON.parse(text) as Record<string, unknown>;
  if (feed.version !== 'https://jsonfeed.org/version/1.1')
    throw new Error(`feed.json: version ${String(feed.version)}`);
  if (typeof feed.title !== 'string') throw new Error('feed.json: no title');
  if (!Array.isArray(feed.items)) throw new Error('feed.json: items is not an array');
  return feed.items.map((item: unknown, i) => {
    const it = item as Record<string, unknown>;
    if (typeof it.id !== 'string' || it.id === '') throw new Error(`feed.json: item ${i} has no id`);
    if (typeof it.content_html !== 'string' && typeof it.content_text !== 'string') {
      throw new Error(`feed.json: item ${i} has no content`);
    }
    return it.id;
  });
}

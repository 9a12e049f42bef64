import { escapeHtml } from '../html/safe-html.ts';
import { toDate } from './dates.ts';
import { newFeed, tidyProlog } from './feed-common.ts';
import { type FeedItem, feedUpdated, siteAuthor, toFeedItem } from './feed-item.ts';
import { FeedSlots } from './feed-slots.ts';
import type { FeedEntry, SiteConfig } from './model.ts';
import { distinctTimes } from './publish-time.ts';

const FEED_OPEN = '<feed xmlns="http://www.w3.org/2005/Atom">';
// `feed` writes instants with milliseconds; ours are whole seconds, written the same way in every format.
const ATOM_INSTANT = /<(updated|published)>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000Z<\//g;
const ENCLOSURE_LINK = /<link rel="enclosure" href="([^"]*)" type="[^"]*"/g;

/**
 * Atom 1.0 through the `feed` package, then corrected where it falls short: `xml:lang` on the feed, the
 * enclosure's real media type (it guesses `image/jpg` from the extension), text constructs as `type="text"`.
 */
export function renderAtom(entries: readonly FeedEntry[], site: SiteConfig): string {
  const items = distinctTimes(entries).map((entry) => toFeedItem(entry, site));
  return renderAtomItems(items, site);
}

export function renderAtomItems(items: readonly FeedItem[], site: SiteConfig): string {
  const slots = new FeedSlots();
  const feed = newFeed(site, slots, feedUpdated(items), { name: slots.text(siteAuthor(site)) });
  const enclosureTypes = new Map<string, string>();
  for (const item of items) {
    if (item.image) enclosureTypes.set(hrefAsFeedWritesIt(item.image.url), item.image.type);
    feed.addItem({
      title: slots.text(item.title),
      link: item.url,
      id: item.url,
      date: toDate(item.updated),
      published: toDate(item.published),
      description: slots.text(item.summary),
      content: item.contentHtml ? slots.html(item.contentHtml) : undefined,
      author: [{ name: slots.text(item.author) }],
      category: item.tags.map((tag) => ({ term: slots.text(tag), name: slots.text(tag) })),
      enclosure: item.image ? { url: item.image.url, length: item.image.length } : undefined,
    });
  }
  const xml = slots
    .fill(feed.atom1())
    .replace(ATOM_INSTANT, '<$1>$2Z</')
    .replace(ENCLOSURE_LINK, (match, href: string) => {
      const type = enclosureTypes.get(href);
      return type ? `<link rel="enclosure" href="${href}" type="${escapeHtml(type)}"` : match;
    });
  if (!xml.includes(FEED_OPEN)) throw new Error('atom: unexpected root element from the feed package');
  return tidyProlog(
    xml.replace(
      FEED_OPEN,
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeHtml(site.language)}">`,
    ),
  );
}

// The package normalises the URL and escapes only `&` (xml-js adds `&quot;`); match that to find the link.
function hrefAsFeedWritesIt(url: string): string {
  return new URL(url).toString().replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

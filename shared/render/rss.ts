import { toDate } from './dates.ts';
import { newFeed, tidyProlog } from './feed-common.ts';
import { type FeedItem, feedUpdated, toFeedItem } from './feed-item.ts';
import { FeedSlots } from './feed-slots.ts';
import type { FeedEntry, SiteConfig } from './model.ts';
import { distinctTimes } from './publish-time.ts';

const DC_NS = 'xmlns:dc="http://purl.org/dc/elements/1.1/"';

/**
 * RSS 2.0 through the `feed` package. Entries arrive sorted and limited. Authors go in `dc:creator` because
 * RSS `author` must be an email address; `guid` is the permalink; `description` is the summary and
 * `content:encoded` the full article.
 */
export function renderRss(entries: readonly FeedEntry[], site: SiteConfig): string {
  const items = distinctTimes(entries).map((entry) => toFeedItem(entry, site));
  return renderRssItems(items, site);
}

export function renderRssItems(items: readonly FeedItem[], site: SiteConfig): string {
  const slots = new FeedSlots();
  const feed = newFeed(withRssImage(site), slots, feedUpdated(items), undefined);
  for (const item of items) {
    feed.addItem({
      title: slots.text(item.title),
      link: item.url,
      date: toDate(item.updated),
      published: toDate(item.published),
      description: slots.textAsHtml(item.summary),
      content: item.contentHtml ? slots.html(item.contentHtml) : undefined,
      category: item.tags.map((tag) => ({ name: slots.text(tag) })),
      enclosure:
        item.image && hasDottedHost(item.image.url)
          ? { url: item.image.url, type: item.image.type, length: item.image.length }
          : undefined,
      extensions: [{ name: 'dc:creator', objects: { _text: slots.text(item.author) } }],
    });
  }
  return tidyProlog(ensureDcNamespace(slots.fill(feed.rss2())));
}

// The W3C validator wants an enclosure URL on a dotted host, a domain name with a dot or an IPv4 address
// (validators.py httpURL), and reports an error otherwise. On a `localhost` base URL (the default, for
// previews) the lead picture stays in the content and in Atom and JSON Feed, but is not an RSS enclosure.
const DOTTED_HOST = /^(\d{1,3}\.){3}\d{1,3}$|^([a-z0-9-]+\.)+[a-z0-9][a-z0-9-]*$/i;

function hasDottedHost(url: string): boolean {
  return DOTTED_HOST.test(new URL(url).hostname);
}

// RSS 2.0 channel images are GIF, JPEG or PNG; the W3C validator warns on any other extension (it checks
// the last `.`-separated part of the URL). Another logo (SVG, WebP) stays in Atom and JSON Feed only.
const RSS_IMAGE = /\.(gif|jpe?g|png)$/i;

function withRssImage(site: SiteConfig): SiteConfig {
  if (!site.imageUrl) return site;
  const ext = site.imageUrl.split('.').at(-1) ?? '';
  if (!/^\w+$/.test(ext) || RSS_IMAGE.test(site.imageUrl)) return site;
  return { ...site, imageUrl: null };
}

// `feed` declares the Dublin Core namespace only when some item has content; an empty channel has none,
// and a `dc:creator` without it would be a namespace error.
function ensureDcNamespace(xml: string): string {
  if (xml.includes(DC_NS) || !xml.includes('<dc:creator>')) return xml;
  return xml.replace('<rss version="2.0"', `<rss version="2.0" ${DC_NS}`);
}

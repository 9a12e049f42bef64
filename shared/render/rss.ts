import { toDate } from './dates.ts';
import { newFeed, tidyProlog } from './feed-common.ts';
import { type FeedItem, feedUpdated, toFeedItem } from './feed-item.ts';
import { FeedSlots } from './feed-slots.ts';
import type { FeedEntry, SiteConfig } from './model.ts';

const DC_NS = 'xmlns:dc="http://purl.org/dc/elements/1.1/"';

/**
 * RSS 2.0 through the `feed` package. Entries arrive sorted and limited. Authors go in `dc:creator` because
 * RSS `author` must be an email address; `guid` is the permalink; `description` is the summary and
 * `content:encoded` the full article.
 */
export function renderRss(entries: readonly FeedEntry[], site: SiteConfig): string {
  const items = entries.map((entry) => toFeedItem(entry, site));
  return renderRssItems(items, site);
}

export function renderRssItems(items: readonly FeedItem[], site: SiteConfig): string {
  const slots = new FeedSlots();
  const feed = newFeed(site, slots, feedUpdated(items), undefined);
  for (const item of items) {
    feed.addItem({
      title: slots.text(item.title),
      link: item.url,
      date: toDate(item.updated),
      published: toDate(item.published),
      description: slots.textAsHtml(item.summary),
      content: slots.html(item.contentHtml),
      category: item.tags.map((tag) => ({ name: slots.text(tag) })),
      enclosure: item.image
        ? { url: item.image.url, type: item.image.type, length: item.image.length }
        : undefined,
      extensions: [{ name: 'dc:creator', objects: { _text: slots.text(item.author) } }],
    });
  }
  return tidyProlog(ensureDcNamespace(slots.fill(feed.rss2())));
}

// `feed` declares the Dublin Core namespace only when some item has content; an empty channel has none,
// and a `dc:creator` without it would be a namespace error.
function ensureDcNamespace(xml: string): string {
  if (xml.includes(DC_NS) || !xml.includes('<dc:creator>')) return xml;
  return xml.replace('<rss version="2.0"', `<rss version="2.0" ${DC_NS}`);
}

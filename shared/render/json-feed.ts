import { stripForbiddenChars } from '../html/safe-html.ts';
import { type FeedItem, siteAuthor, toFeedItem } from './feed-item.ts';
import type { FeedEntry, SiteConfig } from './model.ts';
import { distinctTimes } from './publish-time.ts';
import { absoluteUrl, FEED_PATHS, homeUrl } from './urls.ts';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/**
 * JSON Feed 1.1, written here because `feed` writes 1.0 (`author`, not `authors`). Text is stripped of the
 * characters the XML feeds cannot carry either, so the three formats say exactly the same thing.
 */
export function renderJsonFeed(entries: readonly FeedEntry[], site: SiteConfig): string {
  const items = distinctTimes(entries).map((entry) => toFeedItem(entry, site));
  return renderJsonFeedItems(items, site);
}

export function renderJsonFeedItems(items: readonly FeedItem[], site: SiteConfig): string {
  const feed = {
    version: JSON_FEED_VERSION,
    title: text(site.title),
    home_page_url: homeUrl(site),
    feed_url: absoluteUrl(site, FEED_PATHS.json),
    ...(site.description ? { description: text(site.description) } : {}),
    ...(site.imageUrl ? { icon: site.imageUrl } : {}),
    authors: [{ name: text(siteAuthor(site)) }],
    language: site.language,
    items: items.map(jsonItem),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

function jsonItem(item: FeedItem) {
  return {
    id: item.url,
    url: item.url,
    title: text(item.title),
    content_html: stripForbiddenChars(item.contentHtml),
    summary: text(item.summary),
    ...(item.image ? { image: item.image.url } : {}),
    date_published: item.published,
    date_modified: item.updated,
    authors: [{ name: text(item.author) }],
    ...(item.tags.length > 0 ? { tags: item.tags.map(text) } : {}),
  };
}

function text(value: string): string {
  return stripForbiddenChars(value);
}

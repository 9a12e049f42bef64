import type { SafeHtml } from '../html/safe-html.ts';
import { articleBodyHtml, leadImageUrl } from './article-html.ts';
import type { FeedEntry, SiteConfig } from './model.ts';
import { articleUrl } from './urls.ts';

/**
 * One entry as every feed format shows it. The three renderers read only this, so ids, titles, dates,
 * authors and order cannot drift apart between RSS, Atom and JSON Feed.
 */
export interface FeedItem {
  /** Absolute URL; also the item's id / guid. */
  readonly url: string;
  readonly title: string;
  /** Plain text; the title when the article has no text at all. */
  readonly summary: string;
  /** Empty for a title-only article: then the feeds carry no content element (a blank one warns). */
  readonly contentHtml: SafeHtml;
  readonly published: string;
  readonly updated: string;
  /** Always present: Atom requires an author, and parity across formats wants the same one everywhere. */
  readonly author: string;
  readonly tags: readonly string[];
  readonly image: { readonly url: string; readonly type: string; readonly length: number } | null;
}

export function toFeedItem(entry: FeedEntry, site: SiteConfig): FeedItem {
  const imageUrl = leadImageUrl(entry, site);
  const contentHtml = articleBodyHtml(entry, site);
  return {
    url: articleUrl(site, entry.slug),
    title: entry.article.title,
    // A title-only article has neither summary nor content, and an Atom entry with no text at all draws a
    // validator warning (as do blank elements): its title stands in as the summary.
    summary: entry.article.summary || (contentHtml ? '' : entry.article.title),
    contentHtml,
    published: entry.published,
    updated: entry.updated,
    author: entryAuthor(entry, site),
    tags: entry.article.tags,
    image:
      imageUrl && entry.image ? { url: imageUrl, type: entry.image.type, length: entry.image.length } : null,
  };
}

/** The byline author; else the outlet; else the site's author; else the site itself. */
export function entryAuthor(entry: FeedEntry, site: SiteConfig): string {
  return entry.article.author || entry.article.outlet || siteAuthor(site);
}

export function siteAuthor(site: SiteConfig): string {
  return site.author || site.title;
}

/**
 * The feed-level "last changed" time: the newest item `updated`, never the build time, so an unchanged
 * feed renders to the same bytes. An empty feed uses the Unix epoch, a fixed documented value.
 */
export const EMPTY_FEED_UPDATED = '1970-01-01T00:00:00Z';

export function feedUpdated(items: readonly FeedItem[]): string {
  let newest = EMPTY_FEED_UPDATED;
  for (const item of items) if (item.updated > newest) newest = item.updated;
  return newest;
}

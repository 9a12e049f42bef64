import { Feed, type FeedOptions } from 'feed';
import { escapeHtml } from '../html/safe-html.ts';
import { toDate } from './dates.ts';
import type { FeedSlots } from './feed-slots.ts';
import type { SiteConfig } from './model.ts';
import { absoluteUrl, FEED_PATHS, FEED_XSL_PATH, homeUrl, rootPath } from './urls.ts';

export const GENERATOR = 'dropfeed';

/** Channel settings shared by RSS and Atom; every text goes in as a placeholder (see `FeedSlots`). */
export function newFeed(
  site: SiteConfig,
  slots: FeedSlots,
  updated: string,
  author: FeedOptions['author'],
): Feed {
  return new Feed({
    id: homeUrl(site),
    title: slots.text(site.title),
    // RSS requires a channel description: an empty one falls back to the title.
    description: slots.text(site.description || site.title),
    link: homeUrl(site),
    language: site.language,
    updated: toDate(updated),
    generator: GENERATOR,
    feedLinks: { rss: absoluteUrl(site, FEED_PATHS.rss), atom: absoluteUrl(site, FEED_PATHS.atom) },
    // `feed` writes this attribute unescaped; the path comes from a checked URL but is escaped anyway.
    stylesheet: escapeHtml(rootPath(site, FEED_XSL_PATH)),
    image: site.imageUrl ? slots.text(site.imageUrl) : undefined,
    author,
  });
}

/** Puts the stylesheet instruction on its own line, as people expect when they open the file. */
export function tidyProlog(xml: string): string {
  return xml.replace(/^(<\?xml [^?]*\?>)(<\?xml-stylesheet )/, '$1\n$2');
}

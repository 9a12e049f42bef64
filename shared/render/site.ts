import { FEED_XSL, SITE_CSS } from './assets.ts';
import { renderAtomItems } from './atom.ts';
import { toFeedItem } from './feed-item.ts';
import { renderJsonFeedItems } from './json-feed.ts';
import type { FeedEntry, SiteConfig, SiteFile } from './model.ts';
import { renderArticlePage, renderIndexPage } from './pages.ts';
import { distinctTimes, selectNewest } from './publish-time.ts';
import { renderRssItems } from './rss.ts';
import { articlePath, FEED_PATHS, FEED_XSL_PATH, INDEX_PATH, SITE_CSS_PATH } from './urls.ts';
import { assertJsonRoundTrip, assertWellFormedXml } from './well-formed.ts';

/** Content types and cache lifetimes of the published site (see the team brief). */
export const CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  // `text/xsl` is what browsers accept for a stylesheet named by `<?xml-stylesheet type="text/xsl"?>`.
  xsl: 'text/xsl; charset=utf-8',
} as const;

export const CACHE_CONTROL = {
  feed: 'public, max-age=300',
  page: 'public, max-age=3600',
  asset: 'public, max-age=86400',
} as const;

/**
 * The three feeds and the index page for the feed window. Pass all entries or just the newest: only the
 * newest `site.maxItems` are used, in feed order, with shared timestamps spread apart (`distinctTimes`).
 * Each feed is checked before it is returned.
 */
export function renderFeedFiles(windowEntries: readonly FeedEntry[], site: SiteConfig): SiteFile[] {
  const window = distinctTimes(selectNewest(windowEntries, site.maxItems));
  const items = window.map((entry) => toFeedItem(entry, site));
  const rss = renderRssItems(items, site);
  assertWellFormedXml(FEED_PATHS.rss, rss);
  const atom = renderAtomItems(items, site);
  assertWellFormedXml(FEED_PATHS.atom, atom);
  const json = renderJsonFeedItems(items, site);
  assertJsonRoundTrip(FEED_PATHS.json, json);
  return [
    { path: FEED_PATHS.rss, body: rss, contentType: CONTENT_TYPES.rss, cacheControl: CACHE_CONTROL.feed },
    { path: FEED_PATHS.atom, body: atom, contentType: CONTENT_TYPES.atom, cacheControl: CACHE_CONTROL.feed },
    { path: FEED_PATHS.json, body: json, contentType: CONTENT_TYPES.json, cacheControl: CACHE_CONTROL.feed },
    {
      path: INDEX_PATH,
      body: renderIndexPage(window, site),
      contentType: CONTENT_TYPES.html,
      cacheControl: CACHE_CONTROL.feed,
    },
  ];
}

/** One article's page, `articles/<slug>/index.html`. */
export function renderArticleFile(entry: FeedEntry, site: SiteConfig): SiteFile {
  return {
    path: articlePath(entry.slug),
    body: renderArticlePage(entry, site),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL.page,
  };
}

/** The stylesheets; constant bytes, so writing them again is a no-op for a store that compares. */
export function renderAssetFiles(_site: SiteConfig): SiteFile[] {
  assertWellFormedXml(FEED_XSL_PATH, FEED_XSL);
  return [
    {
      path: SITE_CSS_PATH,
      body: SITE_CSS,
      contentType: CONTENT_TYPES.css,
      cacheControl: CACHE_CONTROL.asset,
    },
    {
      path: FEED_XSL_PATH,
      body: FEED_XSL,
      contentType: CONTENT_TYPES.xsl,
      cacheControl: CACHE_CONTROL.asset,
    },
  ];
}

/** Every rendered file of the site (not the media copies, which are the caller's bytes). */
export function renderSiteFiles(entries: readonly FeedEntry[], site: SiteConfig): SiteFile[] {
  return [
    ...renderFeedFiles(entries, site),
    ...renderAssetFiles(site),
    ...entries.map((entry) => renderArticleFile(entry, site)),
  ];
}

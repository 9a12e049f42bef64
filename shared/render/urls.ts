import type { SiteConfig } from './model.ts';

/** Where things live on the published site: site-relative paths and the absolute URLs feeds must carry. */

export const FEED_PATHS = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' } as const;
export const INDEX_PATH = 'index.html';
export const SITE_CSS_PATH = 'assets/site.css';
export const FEED_XSL_PATH = 'assets/feed.xsl';

export function articlePath(slug: string): string {
  return `articles/${slug}/index.html`;
}

/** The item id and link: `${baseUrl}/articles/${slug}/`, stable per key. */
export function articleUrl(site: SiteConfig, slug: string): string {
  return `${site.baseUrl}/articles/${slug}/`;
}

export function homeUrl(site: SiteConfig): string {
  return `${site.baseUrl}/`;
}

/** Absolute URL of a site-relative path (no leading slash). */
export function absoluteUrl(site: SiteConfig, path: string): string {
  return `${site.baseUrl}/${path}`;
}

/**
 * A root-relative path for a site-relative one, honouring a base URL with a path (`https://x.org/news` →
 * `/news/assets/feed.xsl`). Browsers only apply an XSL stylesheet from the feed's own origin, so the
 * processing instruction carries this, not an absolute URL.
 */
export function rootPath(site: SiteConfig, path: string): string {
  return `${new URL(site.baseUrl).pathname.replace(/\/+$/, '')}/${path}`;
}

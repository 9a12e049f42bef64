import { escapeHtml, html, joinSafe, type SafeHtml } from '../html/safe-html.ts';
import type { SiteConfig } from './model.ts';
import { absoluteUrl, FEED_PATHS, SITE_CSS_PATH } from './urls.ts';

/** The three feeds as pages name them, in the order they are offered. */
export const FEEDS = [
  { path: FEED_PATHS.rss, type: 'application/rss+xml', label: 'RSS' },
  { path: FEED_PATHS.atom, type: 'application/atom+xml', label: 'Atom' },
  { path: FEED_PATHS.json, type: 'application/feed+json', label: 'JSON Feed' },
] as const;

export interface PageParts {
  /** The `<title>` text. */
  readonly title: string;
  readonly description: string;
  /** Absolute URL of this page. */
  readonly canonicalUrl: string;
  /** How this page reaches the site root: `''` for the index, `../../` for an article page. */
  readonly toRoot: string;
  readonly main: SafeHtml;
}

/**
 * The HTML5 shell every page shares: language, charset, viewport, feed autodiscovery, the stylesheet and a
 * footer with visible subscribe links. Links inside the site are relative, so a built site also works
 * from disk; the feed URLs in `<link rel="alternate">` are absolute, as feed readers expect.
 */
export function pageShell(site: SiteConfig, page: PageParts): SafeHtml {
  const root = escapeHtml(page.toRoot);
  const discovery = FEEDS.map(
    (feed) =>
      html`<link rel="alternate" type="${escapeHtml(feed.type)}" title="${escapeHtml(`${site.title} (${feed.label})`)}" href="${escapeHtml(absoluteUrl(site, feed.path))}">`,
  );
  return html`<!DOCTYPE html>
<html lang="${escapeHtml(site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<meta name="description" content="${escapeHtml(page.description)}">
<link rel="canonical" href="${escapeHtml(page.canonicalUrl)}">
<link rel="stylesheet" href="${root}${escapeHtml(SITE_CSS_PATH)}">
${joinSafe(discovery, '\n')}
</head>
<body>
<header class="site-header"><a href="${page.toRoot ? root : escapeHtml('./')}">${escapeHtml(site.title)}</a></header>
<main>
${page.main}
</main>
<footer class="site-footer">
${subscribeLinks(page.toRoot)}
</footer>
</body>
</html>
`;
}

/** Visible links to the three feeds, relative to the page. */
export function subscribeLinks(toRoot: string): SafeHtml {
  const links = FEEDS.map(
    (feed) =>
      html`<li><a href="${escapeHtml(toRoot + feed.path)}" type="${escapeHtml(feed.type)}">${escapeHtml(feed.label)}</a></li>`,
  );
  return html`<nav class="subscribe" aria-label="Subscribe"><h2>Subscribe</h2><ul>${links}</ul></nav>`;
}

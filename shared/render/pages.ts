import { escapeHtml, html, joinSafe, type SafeHtml } from '../html/safe-html.ts';
import { articleBodyHtml } from './article-html.ts';
import { displayDay } from './dates.ts';
import type { FeedEntry, SiteConfig } from './model.ts';
import { pageShell } from './page-layout.ts';
import { articleUrl, homeUrl } from './urls.ts';

const ARTICLE_TO_ROOT = '../../';

/** `articles/<slug>/index.html`: the whole article, with its byline, dates and the feeds it appears in. */
export function renderArticlePage(entry: FeedEntry, site: SiteConfig): string {
  const { article } = entry;
  const main = html`<article>
<h1>${escapeHtml(article.title)}</h1>
<p class="meta">${timeLine(entry, site)}${byline(entry)}</p>
${articleBodyHtml(entry, site)}
</article>
<p class="back"><a href="${escapeHtml(ARTICLE_TO_ROOT)}">← All articles</a></p>`;
  return pageShell(site, {
    title: `${article.title} — ${site.title}`,
    description: article.summary,
    canonicalUrl: articleUrl(site, entry.slug),
    toRoot: ARTICLE_TO_ROOT,
    main,
  });
}

/** `index.html`: the newest articles (the caller passes the feed window, sorted). */
export function renderIndexPage(entries: readonly FeedEntry[], site: SiteConfig): string {
  const items = entries.map(
    (entry) => html`<li>
<article>
<h2><a href="${escapeHtml(`articles/${entry.slug}/`)}">${escapeHtml(entry.article.title)}</a></h2>
<p class="meta">${timeLine(entry, site)}</p>
<p class="summary">${escapeHtml(entry.article.summary)}</p>
</article>
</li>`,
  );
  const list =
    items.length > 0
      ? html`<ol class="articles">
${joinSafe(items, '\n')}
</ol>`
      : html`<p class="empty">No articles yet.</p>`;
  const description = site.description
    ? html`<p class="site-description">${escapeHtml(site.description)}</p>`
    : null;
  return pageShell(site, {
    title: site.title,
    description: site.description || site.title,
    canonicalUrl: homeUrl(site),
    toRoot: '',
    main: html`<h1>${escapeHtml(site.title)}</h1>
${description}
${list}`,
  });
}

function timeLine(entry: FeedEntry, site: SiteConfig): SafeHtml {
  const published = html`<time datetime="${escapeHtml(entry.published)}">${escapeHtml(displayDay(entry.published, site.language))}</time>`;
  if (entry.updated === entry.published) return published;
  return html`${published} <span class="updated">(updated <time datetime="${escapeHtml(entry.updated)}">${escapeHtml(displayDay(entry.updated, site.language))}</time>)</span>`;
}

function byline(entry: FeedEntry): SafeHtml | null {
  const { author, outlet } = entry.article;
  if (!author && !outlet) return null;
  const who = [author, outlet]
    .filter((part): part is string => Boolean(part))
    .map((part) => escapeHtml(part));
  return html` · <span class="byline">By ${joinSafe(who, ', ')}</span>`;
}

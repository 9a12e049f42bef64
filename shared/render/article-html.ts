import type { BodyBlock, LeadImage } from '../article/model.ts';
import { escapeHtml, html, joinSafe, type SafeHtml } from '../html/safe-html.ts';
import { absoluteUrls } from './absolute-urls.ts';
import type { FeedEntry, SiteConfig } from './model.ts';
import { absoluteUrl, articleUrl } from './urls.ts';

/**
 * The article body as HTML, shared by RSS `content:encoded`, Atom `content`, JSON Feed `content_html` and
 * the article page, so every reader sees the same words: dek, lead figure, body blocks in order, and the
 * attribution line. Every address is absolute (pictures, and links in Markdown bodies, resolved against
 * the article's page) because feed readers resolve nothing.
 */
export function articleBodyHtml(entry: FeedEntry, site: SiteConfig): SafeHtml {
  const { article } = entry;
  const parts: SafeHtml[] = [];
  if (article.dek) parts.push(html`<p class="dek">${escapeHtml(article.dek)}</p>`);
  const lead = leadFigure(entry, site);
  if (lead) parts.push(lead);
  const pageUrl = articleUrl(site, entry.slug);
  for (const block of article.blocks) parts.push(bodyBlock(block, pageUrl));
  if (article.attribution) {
    parts.push(html`<p class="attribution"><em>${escapeHtml(article.attribution.text)}</em></p>`);
  }
  return joinSafe(parts, '\n');
}

/** Absolute URL of the lead picture, when the article has one. */
export function leadImageUrl(entry: FeedEntry, site: SiteConfig): string | null {
  return entry.image ? absoluteUrl(site, entry.image.path) : null;
}

function leadFigure(entry: FeedEntry, site: SiteConfig): SafeHtml | null {
  const { leadImage, title } = entry.article;
  const src = leadImageUrl(entry, site);
  if (!src && !leadImage) return null;
  const img = src
    ? html`<img src="${escapeHtml(src)}" alt="${escapeHtml(leadImage?.caption || title)}">`
    : null;
  const caption = leadImage ? html`<figcaption>${captionText(leadImage)}</figcaption>` : null;
  return html`<figure class="lead">${img}${caption}</figure>`;
}

function captionText(image: LeadImage): SafeHtml {
  const credit = image.credit ? html` <span class="credit">Image: ${escapeHtml(image.credit)}</span>` : null;
  return html`${escapeHtml(image.caption)}${credit}`;
}

function bodyBlock(block: BodyBlock, pageUrl: string): SafeHtml {
  switch (block.kind) {
    case 'paragraph':
      return html`<p>${escapeHtml(block.text)}</p>`;
    case 'caption': {
      const credit = block.credit ? html` <span class="credit">(${escapeHtml(block.credit)})</span>` : null;
      return html`<figure class="inline"><figcaption>${escapeHtml(block.text)}${credit}</figcaption></figure>`;
    }
    case 'markup':
      return absoluteUrls(block.html, pageUrl);
  }
}

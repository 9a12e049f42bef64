import type sanitizeHtml from 'sanitize-html';
import { type SafeHtml, trustedHtml } from './safe-html.ts';

/**
 * The allowlist for author-supplied markup (Markdown bodies). Anything not listed is dropped: no scripts,
 * styles, event handlers, frames or forms, and links only to web, mail or relative addresses. It is the
 * second wall behind markdown-it's own `html: false`: whatever reaches a page or a feed passes here.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'em',
    'strong',
    'a',
    'ul',
    'ol',
    'li',
    'blockquote',
    'code',
    'pre',
    'img',
    'figure',
    'figcaption',
    'br',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    ol: ['start'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  // Pictures load without a click, so they get web addresses only (no `mailto:`, and never `data:`).
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  // The page's own title is its only h1: an author's h1 becomes a section heading.
  transformTags: { h1: 'h2' },
  // A picture whose address was refused (`data:`, `javascript:`) would only be a broken image.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  disallowedTagsMode: 'discard',
  // Dropping `<script>` keeps its text by default; these elements' contents are code or UI, not prose.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'template'],
};

/** The allowlist applied by one loaded copy of sanitize-html. */
export interface HtmlSanitizer {
  /** Reduces markup to the allowlist; with `escapeHtml`, the only maker of `SafeHtml` from strings. */
  sanitize(markup: string): SafeHtml;
  /**
   * Sanitises a list of balanced block fragments in one pass and returns them separately. One sanitiser call
   * has a fixed cost that dominated the Markdown parser when paid per block. If the separators do not line up
   * (a fragment that was not balanced, or that held the separator), each fragment is sanitised on its own.
   */
  sanitizeBlocks(fragments: readonly string[]): SafeHtml[];
}

// A C0 control: the article decoder strips these as XML-illegal, so no author text can contain it.
const BLOCK_SEPARATOR = '\u0001';

/**
 * The library is passed in rather than imported so that only the Markdown path loads it (and postcss behind
 * it): see `loadMarkdownDeps`.
 */
export function createHtmlSanitizer(sanitize: typeof sanitizeHtml): HtmlSanitizer {
  const one = (markup: string): SafeHtml => trustedHtml(sanitize(markup, OPTIONS));
  return {
    sanitize: one,
    sanitizeBlocks(fragments) {
      if (fragments.some((fragment) => fragment.includes(BLOCK_SEPARATOR))) return fragments.map(one);
      const pieces = sanitize(fragments.join(BLOCK_SEPARATOR), OPTIONS).split(BLOCK_SEPARATOR);
      if (pieces.length !== fragments.length) return fragments.map(one);
      return pieces.map(trustedHtml);
    },
  };
}

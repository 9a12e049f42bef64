import type { SafeHtml } from '../html/safe-html.ts';

/**
 * The parsed article: everything the author wrote, each word in exactly one role. It knows nothing of
 * feeds, URLs or storage; the renderers and the pipeline derive those.
 */
export interface Article {
  /** Which parser produced it. */
  readonly format: 'text' | 'markdown';
  /** Slug derived from the file name alone (lower case ASCII, hyphens); see `slugForKey` for identity. */
  readonly slug: string;
  readonly title: string;
  /** ISO day `YYYY-MM-DD`, or null when the first upload time applies. */
  readonly date: string | null;
  /** Standfirst; for Markdown, the front matter `summary`. */
  readonly dek: string | null;
  /** Caption and credit of the lead picture, from an `/ IMAGE:` block. */
  readonly leadImage: LeadImage | null;
  readonly author: string | null;
  /** The outlet named in the byline. */
  readonly outlet: string | null;
  /** The body in order: paragraphs (byline removed from the first), inline captions, Markdown blocks. */
  readonly blocks: readonly BodyBlock[];
  /** The attribution footer, kept visible at the end of the article. */
  readonly attribution: Attribution | null;
  /** Plain text: the dek, else the start of the first paragraph cut near 280 characters with `…`. */
  readonly summary: string;
  /** Markdown front matter `tags`; empty for text articles. */
  readonly tags: readonly string[];
  /** Markdown front matter `image` (a URL or a path beside the article), when given. */
  readonly imageRef: string | null;
  /** Things a careful editor would want to know; never silent guesses. */
  readonly warnings: readonly string[];
}

export interface LeadImage {
  readonly caption: string;
  readonly credit: string | null;
}

export interface Attribution {
  /** The whole footer sentence as written, e.g. `This article originally appeared at Antiwar.com.` */
  readonly text: string;
  /** The outlet the footer names, e.g. `Antiwar.com`. */
  readonly outlet: string;
}

export type BodyBlock = ParagraphBlock | CaptionBlock | MarkupBlock;

/** A text-article paragraph: plain text, escaped when rendered, never interpreted. */
export interface ParagraphBlock {
  readonly kind: 'paragraph';
  readonly text: string;
}

/** An inline figure caption in the body (not the lead image). */
export interface CaptionBlock {
  readonly kind: 'caption';
  readonly text: string;
  readonly credit: string | null;
}

/** A Markdown block element, already sanitised to the allowlist, with its plain text. */
export interface MarkupBlock {
  readonly kind: 'markup';
  readonly text: string;
  readonly html: SafeHtml;
}

export type RejectionCode =
  | 'empty'
  | 'whitespace-only'
  | 'invalid-utf8'
  | 'nul-byte'
  | 'too-large'
  | 'impossible-date'
  | 'missing-title'
  | 'malformed-front-matter'
  | 'draft'
  | 'unsupported-type'
  /** The parser itself failed (a bug): reported as this file's rejection so the batch goes on. */
  | 'internal-error';

/** A typed rejection: `code` for programs, `reason` for people (it names what is wrong, not the file). */
export class ArticleRejection extends Error {
  constructor(
    readonly code: RejectionCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ArticleRejection';
  }
}

export type ParseResult =
  | { readonly ok: true; readonly article: Article }
  | { readonly ok: false; readonly rejection: ArticleRejection };

export interface ParseOptions {
  /** Largest accepted file in bytes. @default 1 MiB */
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_ARTICLE_BYTES = 1024 * 1024;

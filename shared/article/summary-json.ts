import type { ParseResult } from './model.ts';

/**
 * The JSON shape `dropfeed parse --json` prints for one file: a stable, plain projection of a parse result
 * that scripts and tests can rely on without knowing the article model.
 */
export interface ParseEntryJson {
  readonly file: string;
  readonly ok: boolean;
  readonly error: string | null;
  readonly warnings: readonly string[];
  readonly article: ArticleJson | null;
}

export interface ArticleJson {
  readonly slug: string;
  readonly title: string;
  readonly date: string | null;
  readonly dek: string | null;
  readonly leadImage: { readonly caption: string; readonly credit: string | null } | null;
  readonly author: string | null;
  readonly outlet: string | null;
  /** Plain text of the body paragraphs (Markdown: of every block element), in order. */
  readonly paragraphs: readonly string[];
  /** Inline captions; the lead image is not one. */
  readonly captions: readonly { readonly text: string; readonly credit: string | null }[];
  /** The outlet the attribution footer names. */
  readonly attribution: string | null;
  readonly summary: string;
}

export function parseEntryJson(file: string, result: ParseResult): ParseEntryJson {
  if (!result.ok) {
    const { code, reason } = result.rejection;
    return { file, ok: false, error: `${code}: ${reason}`, warnings: [], article: null };
  }
  const { article } = result;
  const paragraphs: string[] = [];
  const captions: { text: string; credit: string | null }[] = [];
  for (const block of article.blocks) {
    if (block.kind === 'caption') captions.push({ text: block.text, credit: block.credit });
    else if (block.text !== '') paragraphs.push(block.text);
  }
  return {
    file,
    ok: true,
    error: null,
    warnings: [...article.warnings],
    article: {
      slug: article.slug,
      title: article.title,
      date: article.date,
      dek: article.dek,
      leadImage: article.leadImage
        ? { caption: article.leadImage.caption, credit: article.leadImage.credit }
        : null,
      author: article.author,
      outlet: article.outlet,
      paragraphs,
      captions,
      attribution: article.attribution?.outlet ?? null,
      summary: article.summary,
    },
  };
}

/** An entry for a file that could not be read at all (missing, a directory, no permission). */
export function unreadableEntryJson(file: string, reason: string): ParseEntryJson {
  return { file, ok: false, error: `unreadable: ${reason}`, warnings: [], article: null };
}

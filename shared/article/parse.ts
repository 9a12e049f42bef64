import { decodeArticleBytes } from './decode.ts';
import { loadMarkdownDeps } from './markdown-deps.ts';
import { parseMarkdownArticle } from './markdown-parser.ts';
import { ArticleRejection, DEFAULT_MAX_ARTICLE_BYTES, type ParseOptions, type ParseResult } from './model.ts';
import { articleFormatOf, extensionOf, slugForKey } from './slug.ts';
import { parseTextArticle } from './text-parser.ts';

/**
 * The one entry point: bytes of an inbox object in, an article or a typed rejection out. It never rejects,
 * whatever the bytes, so one bad file can never stop the articles beside it. `fileName` is the inbox key
 * (or a file's name): it picks the format and the slug. Asynchronous only because the Markdown libraries
 * load on the first Markdown article (see `loadMarkdownDeps`); the parsing itself is synchronous.
 */
export async function parseArticle(
  fileName: string,
  bytes: Uint8Array,
  options: ParseOptions = {},
): Promise<ParseResult> {
  try {
    const format = articleFormatOf(fileName);
    if (format === null) {
      const extension = extensionOf(fileName);
      return rejected(
        new ArticleRejection(
          'unsupported-type',
          `${extension === '' ? 'a file without an extension' : `'${extension}'`} is not an article type (.txt, .text, .md, .markdown)`,
        ),
      );
    }
    const { text, warnings } = decodeArticleBytes(bytes, sizeLimit(options.maxBytes));
    const slug = slugForKey(fileName);
    const article =
      format === 'text'
        ? parseTextArticle(text, slug)
        : parseMarkdownArticle(text, slug, await loadMarkdownDeps());
    return { ok: true, article: { ...article, warnings: [...warnings, ...article.warnings] } };
  } catch (error) {
    if (error instanceof ArticleRejection) return rejected(error);
    // A parser bug must cost one article, not the batch: report it as this file's rejection.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return rejected(new ArticleRejection('internal-error', `the parser failed unexpectedly (${reason})`));
  }
}

/** A limit that is not a positive number would silently accept anything (`n > NaN` is false): use the default. */
function sizeLimit(maxBytes: number | undefined): number {
  return maxBytes !== undefined && Number.isFinite(maxBytes) && maxBytes > 0
    ? maxBytes
    : DEFAULT_MAX_ARTICLE_BYTES;
}

function rejected(rejection: ArticleRejection): ParseResult {
  return { ok: false, rejection };
}

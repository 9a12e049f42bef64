import type { MarkdownIt } from 'markdown-it';
import type { parse } from 'yaml';
import { createHtmlSanitizer, type HtmlSanitizer } from '../html/sanitize.ts';

/** What the Markdown format needs beyond the text parser, built once and shared by every Markdown article. */
export interface MarkdownDeps {
  readonly markdown: MarkdownIt;
  readonly sanitizer: HtmlSanitizer;
  readonly parseYaml: typeof parse;
}

/*
 * Loaded on the first Markdown article, not at module load: evaluating markdown-it, sanitize-html (which pulls
 * in postcss) and yaml was most of what the Lambda bundle's cold start added to the S3 client's, and a
 * text-only inbox never needs them. esbuild without code splitting (as CDK bundles) turns a dynamic import of
 * a bundled module into a lazily evaluated wrapper: the code still ships in the one file, but runs on first use.
 */
let loading: Promise<MarkdownDeps> | undefined;

export function loadMarkdownDeps(): Promise<MarkdownDeps> {
  loading ??= importMarkdownDeps().catch((error: unknown) => {
    // A failed load is not remembered: the next Markdown article tries again rather than failing forever.
    loading = undefined;
    throw error;
  });
  return loading;
}

async function importMarkdownDeps(): Promise<MarkdownDeps> {
  // One after the other: markdown-it imports `entities` while sanitize-html's htmlparser2 requires it, and
  // Node 20's loader fails ("request for './decode-codepoint.js' is not in cache") when the two overlap.
  const { default: MarkdownItParser } = await import('markdown-it');
  const { default: sanitize } = await import('sanitize-html');
  // Through `default` (module.exports): the Lambda ships these packages as bundles of their own that export
  // nothing else (infra/lazy-packages.mjs); Node and esbuild offer `default` for a CommonJS package too.
  const { parse } = (await import('yaml')).default;
  return {
    // Raw HTML in the source renders as text; the sanitiser still checks every block behind it.
    markdown: new MarkdownItParser({ html: false, linkify: false, typographer: false }),
    sanitizer: createHtmlSanitizer(sanitize),
    parseYaml: parse,
  };
}

import type { Token } from 'markdown-it';
import { readFrontMatter, splitFrontMatter } from './front-matter.ts';
import type { MarkdownDeps } from './markdown-deps.ts';
import type { Article, MarkupBlock } from './model.ts';
import { summarise } from './summary.ts';

/**
 * The Markdown format: YAML front matter for the metadata, a sanitised body cut into one `markup` block per
 * top-level element. Throws `ArticleRejection` for missing or malformed front matter, drafts and bad dates.
 * `deps` come from `loadMarkdownDeps()`, awaited by the caller so that this stays synchronous.
 */
export function parseMarkdownArticle(text: string, slug: string, deps: MarkdownDeps): Article {
  const { yaml, body } = splitFrontMatter(text);
  const front = readFrontMatter(yaml, deps.parseYaml);
  const warnings = [...front.warnings];
  const blocks = markupBlocks(body, deps);
  if (blocks.length === 0) warnings.push('the article has a title but no body');
  const firstParagraph = blocks.find((block) => block.paragraph)?.block.text ?? blocks[0]?.block.text ?? null;
  return {
    format: 'markdown',
    slug,
    title: front.title,
    date: front.date,
    dek: front.summary,
    leadImage: null,
    author: front.author,
    outlet: null,
    blocks: blocks.map(({ block }) => block),
    attribution: null,
    summary: summarise(front.summary, firstParagraph),
    tags: front.tags,
    imageRef: front.image,
    warnings,
  };
}

function markupBlocks(
  body: string,
  { markdown, sanitizer }: MarkdownDeps,
): { block: MarkupBlock; paragraph: boolean }[] {
  const env = {};
  const tokens = markdown.parse(body, env);
  const groups: Token[][] = [];
  for (let start = 0; start < tokens.length; ) {
    const end = closingIndex(tokens, start);
    groups.push(tokens.slice(start, end + 1));
    start = end + 1;
  }
  const html = sanitizer.sanitizeBlocks(
    groups.map((group) => markdown.renderer.render(group, markdown.options, env)),
  );
  const blocks: { block: MarkupBlock; paragraph: boolean }[] = [];
  groups.forEach((group, i) => {
    const text = plainText(group);
    const markup = html[i] ?? sanitizer.sanitize('');
    if (text !== '' || markup.trim() !== '') {
      blocks.push({
        block: { kind: 'markup', text, html: markup },
        paragraph: group[0]?.type === 'paragraph_open',
      });
    }
  });
  return blocks;
}

/** Index of the token that closes the top-level element opened at `start` (itself for a leaf block). */
function closingIndex(tokens: readonly Token[], start: number): number {
  if (tokens[start]?.nesting !== 1) return start;
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    depth += tokens[i]?.nesting ?? 0;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}

/** The words of a block as a reader sees them: inline text, code, image alt text; breaks become spaces. */
function plainText(group: readonly Token[]): string {
  const parts: string[] = [];
  for (const token of group) {
    if (token.type === 'inline') parts.push(inlineText(token.children ?? []));
    else if (token.type === 'fence' || token.type === 'code_block')
      parts.push(token.content.replace(/\n$/, ''));
  }
  return parts
    .filter((part) => part !== '')
    .join(' ')
    .trim();
}

function inlineText(children: readonly Token[]): string {
  return children
    .map((child) => {
      if (child.type === 'text' || child.type === 'code_inline') return child.content;
      if (child.type === 'image') return child.content;
      if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
      return '';
    })
    .join('');
}

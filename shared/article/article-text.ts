import type { Article } from './model.ts';

/**
 * Every piece of text the article carries, in document order, one entry per role: title, dek, lead caption
 * and credit, author, outlet, body blocks (caption credits after their caption), attribution footer. What
 * "nothing is lost" is checked against; the summary is derived, so it is not a role.
 */
export function articleTextInOrder(article: Article): string[] {
  const parts: (string | null)[] = [
    article.title,
    article.dek,
    article.leadImage?.caption ?? null,
    article.leadImage?.credit ?? null,
    article.author,
    article.outlet,
  ];
  for (const block of article.blocks) {
    parts.push(block.text);
    if (block.kind === 'caption') parts.push(block.credit);
  }
  parts.push(article.attribution?.text ?? null);
  return parts.filter((part): part is string => part !== null && part !== '');
}

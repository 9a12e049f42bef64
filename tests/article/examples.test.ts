import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../shared/article/parse.ts';
import { isArticleKey } from '../../shared/article/slug.ts';
import { accepted, captions, paragraphs, repoRoot } from './support.ts';

const examplesDir = path.join(repoRoot, 'examples');
const examples = readdirSync(examplesDir).filter(isArticleKey).sort();

describe('examples dropped into the inbox by npm start', () => {
  it('has text and Markdown examples', async () => {
    expect(examples.filter((name) => name.endsWith('.txt')).length).toBeGreaterThanOrEqual(4);
    expect(examples.filter((name) => name.endsWith('.md'))).toHaveLength(1);
  });

  it.each(examples)('%s parses cleanly, dated, with a body', async (name) => {
    const article = accepted(await parseArticle(name, readFileSync(path.join(examplesDir, name))));
    expect(article.warnings).toEqual([]);
    expect(article.date).toMatch(/^2025-\d{2}-\d{2}$/);
    expect(article.slug).toBe(name.replace(/\.\w+$/, ''));
    expect(paragraphs(article).length).toBeGreaterThanOrEqual(3);
  });

  it('between them, show every part of the wire format', async () => {
    const articles = await Promise.all(
      examples
        .filter((name) => name.endsWith('.txt'))
        .map(async (name) => accepted(await parseArticle(name, readFileSync(path.join(examplesDir, name))))),
    );
    expect(articles.some((a) => a.dek !== null)).toBe(true);
    expect(articles.some((a) => a.leadImage !== null)).toBe(true);
    expect(articles.some((a) => a.author !== null && a.outlet?.includes('.'))).toBe(true);
    expect(articles.some((a) => a.author !== null && a.outlet?.includes(' '))).toBe(true);
    expect(articles.some((a) => captions(a).length > 0)).toBe(true);
    expect(articles.some((a) => a.attribution !== null)).toBe(true);
    expect(articles.some((a) => a.dek === null && a.leadImage === null && a.author === null)).toBe(true);
  });
});

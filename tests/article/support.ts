import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article, ParseResult } from '../../shared/article/model.ts';
import { parseArticle } from '../../shared/article/parse.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.join(repoRoot, 'tests/fixtures/articles');
/** Reference samples beside the repo; the antiwar sample may only be read from there, never copied in. */
export const sharedSamplesDir = path.resolve(repoRoot, '../shared/samples');

export function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function parseText(fileName: string, text: string): Promise<ParseResult> {
  return parseArticle(fileName, encode(text));
}

export function parseFixture(relativePath: string): Promise<ParseResult> {
  return parseArticle(path.basename(relativePath), readFileSync(path.join(fixturesDir, relativePath)));
}

/** The article, or a failed assertion that shows why the parser said no. */
export function accepted(result: ParseResult): Article {
  if (!result.ok)
    throw new Error(`expected an article, got ${result.rejection.code}: ${result.rejection.reason}`);
  return result.article;
}

export function rejectionCode(result: ParseResult): string | null {
  return result.ok ? null : result.rejection.code;
}

export function paragraphs(article: Article): string[] {
  return article.blocks.filter((block) => block.kind !== 'caption').map((block) => block.text);
}

export function captions(article: Article) {
  return article.blocks.filter((block) => block.kind === 'caption');
}

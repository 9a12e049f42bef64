import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleTextInOrder } from '../../shared/article/article-text.ts';
import { parseArticle } from '../../shared/article/parse.ts';
import { parseEntryJson } from '../../shared/article/summary-json.ts';
import { fixturesDir, sharedSamplesDir } from './support.ts';

interface Oracle {
  readonly accept: boolean;
  readonly reject_reason: string | null;
  readonly date: string | null;
  readonly title: string;
  readonly dek: string | null;
  readonly lead_image: { caption: string; credit: string } | null;
  readonly author: string | null;
  readonly outlet: string | null;
  readonly first_paragraph_starts: string;
  readonly paragraphs: number;
  readonly captions: number;
  readonly attribution: string | null;
  readonly warnings_expected: boolean;
  readonly must_contain: readonly string[];
}

/** Every sample with its oracle: the in-repo copies, plus any sample only the shared directory holds. */
function samples(): { name: string; dir: string }[] {
  const inRepo = path.join(fixturesDir, 'samples');
  const found = new Map<string, string>();
  const add = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.expected.json') || !existsSync(path.join(dir, `${name}.expected.json`))) continue;
      if (!found.has(name)) found.set(name, dir);
    }
  };
  add(inRepo);
  if (existsSync(sharedSamplesDir)) add(sharedSamplesDir);
  else console.warn(`note: ${sharedSamplesDir} is absent; checking only the in-repo copies of the samples`);
  return [...found].map(([name, dir]) => ({ name, dir })).sort((a, b) => a.name.localeCompare(b.name));
}

const all = samples();

describe('reference samples parse to their oracles', () => {
  it('finds the samples', async () => {
    expect(all.length).toBeGreaterThanOrEqual(12);
  });

  it('keeps the in-repo copies byte-identical to the reference samples', async () => {
    if (!existsSync(sharedSamplesDir)) return;
    const copies = readdirSync(path.join(fixturesDir, 'samples'));
    expect(copies.length).toBeGreaterThanOrEqual(24);
    for (const name of copies) {
      expect(
        readFileSync(path.join(fixturesDir, 'samples', name)).equals(
          readFileSync(path.join(sharedSamplesDir, name)),
        ),
      ).toBe(true);
    }
    // The antiwar sample may be read from the shared directory only, never committed.
    expect(copies.some((name) => name.startsWith('antiwar'))).toBe(false);
  });

  it.each(all)('$name', async ({ name, dir }) => {
    const oracle = JSON.parse(readFileSync(path.join(dir, `${name}.expected.json`), 'utf8')) as Oracle;
    const result = await parseArticle(name, readFileSync(path.join(dir, name)));
    expect(result.ok).toBe(oracle.accept);
    if (!result.ok) return;

    const entry = parseEntryJson(name, result);
    const article = entry.article;
    expect(article).not.toBeNull();
    if (article === null) return;
    expect(article.date).toBe(oracle.date);
    expect(article.title).toBe(oracle.title);
    expect(article.dek).toBe(oracle.dek);
    expect(article.leadImage).toEqual(oracle.lead_image);
    expect(article.author).toBe(oracle.author);
    expect(article.outlet).toBe(oracle.outlet);
    expect(article.paragraphs[0]?.startsWith(oracle.first_paragraph_starts)).toBe(true);
    expect(article.paragraphs).toHaveLength(oracle.paragraphs);
    expect(article.captions).toHaveLength(oracle.captions);
    expect(article.attribution).toBe(oracle.attribution);
    expect(entry.warnings.length > 0).toBe(oracle.warnings_expected);
    const text = articleTextInOrder(result.article).join('\n');
    for (const phrase of oracle.must_contain) expect(text).toContain(phrase);
  });
});

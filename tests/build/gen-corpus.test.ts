import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/gen-corpus.ts';
import { parseArticle } from '../../shared/article/parse.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dropfeed-corpus-'));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('bench/gen-corpus', () => {
  it('is deterministic per seed', async () => {
    const [a, b, c] = [freshDir(), freshDir(), freshDir()];
    await generateCorpus(a, 5, 7);
    await generateCorpus(b, 5, 7);
    await generateCorpus(c, 5, 8);
    const contents = (dir: string) => readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    expect(contents(b)).toEqual(contents(a));
    expect(contents(c)).not.toEqual(contents(a));
  });

  it('writes articles the parser reads in full: date, dek, lead caption, byline, inline caption, footer, no warning', async () => {
    const dir = freshDir();
    const keys = await generateCorpus(dir, 40, 1, { startDay: '2025-01-01', days: 30 });
    expect(keys).toHaveLength(40);
    for (const key of keys) {
      const result = await parseArticle(key, readFileSync(join(dir, key)));
      if (!result.ok) throw new Error(`${key}: ${result.rejection.reason}`);
      const { article } = result;
      expect(article.warnings).toEqual([]);
      expect(article.date && article.date >= '2025-01-01' && article.date <= '2025-01-30').toBe(true);
      expect(article.dek).toMatch(/\.\.\.$/);
      expect(article.leadImage?.credit).toBe(article.outlet);
      expect(article.author).toMatch(/^\S+ \S+$/);
      expect(article.blocks.filter((b) => b.kind === 'caption')).toHaveLength(1);
      expect(article.attribution?.outlet).toBe(article.outlet);
    }
  });
});

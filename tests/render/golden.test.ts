import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderArticleFile, renderFeedFiles } from '../../shared/render/site.ts';
import { hostileEntry, sampleEntries, site } from './factories.ts';

/**
 * Byte stability: the rendered site for a fixed input must not drift. After an intended change, regenerate
 * with `UPDATE_GOLDEN=1 npx vitest run tests/render/golden.test.ts` and review the diff.
 */
const GOLDEN_DIR = new URL('../golden/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function goldenFiles(): Record<string, string> {
  const list = [...sampleEntries(), hostileEntry()];
  const config = site({ imageUrl: 'https://news.example.org/logo.png' });
  const files: Record<string, string> = {};
  for (const file of renderFeedFiles(list, config)) files[file.path] = String(file.body);
  for (const entry of list.slice(0, 2)) {
    files[`article-${entry.slug}.html`] = String(renderArticleFile(entry, config).body);
  }
  files['article-hostile.html'] = String(renderArticleFile(hostileEntry(), config).body);
  return files;
}

describe('golden files', () => {
  const files = goldenFiles();
  if (UPDATE) mkdirSync(GOLDEN_DIR, { recursive: true });
  for (const [name, body] of Object.entries(files)) {
    it(`${name} matches tests/golden/${name}`, () => {
      const path = new URL(name, GOLDEN_DIR);
      if (UPDATE) writeFileSync(path, body);
      expect(existsSync(path), `missing golden file; run with UPDATE_GOLDEN=1 to create it`).toBe(true);
      expect(body).toBe(readFileSync(path, 'utf8'));
    });
  }
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { baseName, baseSlug, isArticleKey, isImageKey, slugForKey } from '../../shared/article/slug.ts';
import { accepted, parseFixture } from './support.ts';

const hash6 = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 6);

describe('slugs', () => {
  it('keeps a key that is already its own slug', async () => {
    expect(slugForKey('cafe-opening.txt')).toBe('cafe-opening');
    expect(slugForKey('harvest-festival-guide.md')).toBe('harvest-festival-guide');
  });

  it('appends a hash of the whole key otherwise', async () => {
    expect(slugForKey('Café Opening.TXT')).toBe(`cafe-opening-${hash6('Café Opening.TXT')}`);
    expect(slugForKey('news/cafe-opening.txt')).toBe(`cafe-opening-${hash6('news/cafe-opening.txt')}`);
    expect(slugForKey('cafe-opening.TXT')).toBe(`cafe-opening-${hash6('cafe-opening.TXT')}`);
  });

  it('gives distinct, stable slugs to two files that share a base slug', async () => {
    const plain = accepted(await parseFixture('edge/harbour-notes.txt'));
    const spaced = accepted(await parseFixture('edge/Harbour Notes.TXT'));
    expect(plain.slug).toBe('harbour-notes');
    expect(spaced.slug).toMatch(/^harbour-notes-[0-9a-f]{6}$/);
    expect(accepted(await parseFixture('edge/Harbour Notes.TXT')).slug).toBe(spaced.slug);
  });

  it('builds the base slug from the file name only', async () => {
    expect(baseSlug('Crème Brûlée — Ünïcode!.txt')).toBe('creme-brulee-unicode');
    expect(baseSlug('inbox/2025/Big News.md')).toBe('big-news');
    expect(baseSlug('焼き.txt')).toBe('article');
    expect(baseSlug('---.txt')).toBe('article');
    const long = baseSlug(`${'word-'.repeat(40)}.txt`);
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('never produces anything but lower-case ASCII words and hyphens', async () => {
    for (const key of ['A  B.txt', '../../etc/passwd.txt', 'x%2Fy.txt', 'ﬁle.txt', 'Ω.md', 'a.b.c.txt']) {
      expect(slugForKey(key)).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
  });

  it('classifies keys', async () => {
    expect(['a.txt', 'a.TEXT', 'a.md', 'a.Markdown'].map(isArticleKey)).toEqual([true, true, true, true]);
    expect(['a.jpg', 'a.txt.bak', 'txt', '.txt', 'dir/'].map(isArticleKey)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['a.jpg', 'a.JPEG', 'a.png', 'a.gif', 'a.webp', 'a.avif'].map(isImageKey)).toEqual(
      Array(6).fill(true),
    );
    expect(['a.svg', 'a.tiff', 'a.txt'].map(isImageKey)).toEqual([false, false, false]);
  });

  it('baseName drops only the extension, so a picture pairs with its article', async () => {
    expect(baseName('news/trump-putin.jpg')).toBe('news/trump-putin');
    expect(baseName('news/trump-putin.txt')).toBe('news/trump-putin');
    expect(baseName('a.b/c')).toBe('a.b/c');
    expect(baseName('.hidden')).toBe('.hidden');
  });
});

import { createHash } from 'node:crypto';

/**
 * Identity helpers for inbox keys. An article is identified by its key, so everything here is a pure
 * function of the key: the same key always gives the same slug, whatever else is in the inbox.
 */

const TEXT_EXTENSIONS = new Set(['.txt', '.text']);
const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown']);
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.gif', '.webp', '.avif']);
const MAX_SLUG_LENGTH = 80;

export type ArticleFormat = 'text' | 'markdown';

/** The key's extension, lower-cased with its dot (`.txt`), or '' when the last path segment has none. */
export function extensionOf(key: string): string {
  const segment = lastSegment(key);
  const dot = segment.lastIndexOf('.');
  // A leading dot names a hidden file (`.DS_Store`), not an extension.
  return dot > 0 ? segment.slice(dot).toLowerCase() : '';
}

/** The key without its extension, folders kept: an image pairs with the article of the same base name. */
export function baseName(key: string): string {
  const extension = extensionOf(key);
  return extension === '' ? key : key.slice(0, key.length - extension.length);
}

export function articleFormatOf(key: string): ArticleFormat | null {
  const extension = extensionOf(key);
  if (TEXT_EXTENSIONS.has(extension)) return 'text';
  if (MARKDOWN_EXTENSIONS.has(extension)) return 'markdown';
  return null;
}

export function isArticleKey(key: string): boolean {
  return articleFormatOf(key) !== null;
}

export function isImageKey(key: string): boolean {
  return IMAGE_EXTENSIONS.has(extensionOf(key));
}

/**
 * The readable part of a slug, from the file name alone: accents stripped, lower-case ASCII, runs of anything
 * else turned into one hyphen. Never empty, so every article gets a page.
 */
export function baseSlug(key: string): string {
  const name = baseName(lastSegment(key));
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug === '' ? 'article' : slug;
}

/**
 * The article's unique, stable slug. Keys that are already their own slug (`cafe-opening.txt`) keep it; any
 * other key (`Café Opening.TXT`, `news/cafe-opening.txt`) gets a short hash of the whole key appended, so
 * neither slug depends on which key arrived first. The extension must be written in lower case to count as
 * canonical, or `cafe-opening.TXT` would collide with `cafe-opening.txt`. (`x.txt` beside `x.md` still share
 * `x`: one article in two formats.)
 */
export function slugForKey(key: string): string {
  const slug = baseSlug(key);
  const extension = key.slice(baseName(key).length);
  if (baseName(key) === slug && extension === extension.toLowerCase()) return slug;
  const hash = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 6);
  return `${slug}-${hash}`;
}

function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

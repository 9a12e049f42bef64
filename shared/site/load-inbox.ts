import { readFileSync } from 'node:fs';
import {
  ArticleRejection,
  DEFAULT_MAX_ARTICLE_BYTES,
  type ParseOptions,
  type ParseResult,
} from '../article/model.ts';
import { parseArticle } from '../article/parse.ts';
import { baseName, isArticleKey, isImageKey, slugForKey } from '../article/slug.ts';
import { extensionOf, IMAGE_TYPES, mediaPath } from '../pipeline/images.ts';
import type { FeedEntry, PublishedImage } from '../render/model.ts';
import { compareEntries, publishTimes } from '../render/publish-time.ts';
import type { InboxFile } from './scan-folder.ts';

/** A lead picture to copy from the inbox folder into the site. */
export interface MediaCopy {
  readonly sourcePath: string;
  readonly image: PublishedImage;
}

/** A file that was not published, with the reason a person can act on. */
export interface Notice {
  readonly key: string;
  readonly path: string;
  readonly reason: string;
}

export interface LoadedInbox {
  /** In feed order. */
  readonly entries: FeedEntry[];
  readonly media: MediaCopy[];
  readonly rejected: Notice[];
  readonly drafts: Notice[];
  readonly ignored: Notice[];
  readonly warnings: Notice[];
}

/**
 * Turns the inbox folder's files into published entries, the way the Lambda would: the same parser, the
 * same slug per key, the same publishing times (the file's mtime standing in for the first upload time),
 * the same choice of lead picture. A bad file is reported and skipped; it never stops the others.
 */
export async function loadInbox(
  files: readonly InboxFile[],
  options: ParseOptions = {},
): Promise<LoadedInbox> {
  const ignored: Notice[] = [];
  const articles: InboxFile[] = [];
  const imagesByBase = new Map<string, InboxFile[]>();
  for (const file of files) {
    if (isArticleKey(file.key)) articles.push(file);
    else if (isImageKey(file.key) && IMAGE_TYPES[extensionOf(file.key)]) {
      const base = baseName(file.key);
      imagesByBase.set(base, [...(imagesByBase.get(base) ?? []), file]);
    } else
      ignored.push(notice(file, 'ignored: neither an article (.txt, .text, .md, .markdown) nor an image'));
  }

  // One file after the other, read synchronously: for thousands of small files that is several times faster
  // than the thread pool, and parsing is synchronous work (the parser is asynchronous only while it loads
  // its Markdown support once), so there is nothing to overlap with.
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ARTICLE_BYTES;
  const parsed: { file: InboxFile; result: ParseResult }[] = [];
  for (const file of articles) parsed.push({ file, result: await parseFile(file, maxBytes, options) });

  const rejected: Notice[] = [];
  const drafts: Notice[] = [];
  const warnings: Notice[] = [];
  const entries: FeedEntry[] = [];
  const media: MediaCopy[] = [];
  const slugOwners = new Map<string, string>();
  for (const { file, result } of parsed) {
    if (!result.ok) {
      if (result.rejection.code === 'draft') drafts.push(notice(file, 'draft, not published'));
      else rejected.push(notice(file, result.rejection.reason));
      continue;
    }
    const slug = slugForKey(file.key);
    const owner = slugOwners.get(slug);
    if (owner !== undefined) {
      // `x.txt` beside `x.md` share a slug by design (one article, two formats); publishing both would
      // have them overwrite each other's page. The first key in code-unit order wins, the same every time.
      rejected.push(notice(file, `not published: ${owner} already publishes under the slug '${slug}'`));
      continue;
    }
    slugOwners.set(slug, file.key);
    for (const warning of result.article.warnings) warnings.push(notice(file, `warning: ${warning}`));
    const imageFile = leadImageFile(file, result.article.imageRef, imagesByBase);
    const image = imageFile ? publishedImage(slug, imageFile) : null;
    if (imageFile && image) media.push({ sourcePath: imageFile.path, image });
    const { published } = publishTimes(file.key, result.article, file.mtime.toISOString());
    // A folder has no history: every article is built as a first version, so `updated` is `published`.
    entries.push({ key: file.key, slug, published, updated: published, article: result.article, image });
  }

  const usedImages = new Set(media.map((m) => m.sourcePath));
  for (const group of imagesByBase.values()) {
    for (const image of group) {
      if (!usedImages.has(image.path))
        ignored.push(notice(image, 'ignored: no published article uses this image'));
    }
  }
  entries.sort(compareEntries);
  return { entries, media, rejected, drafts, ignored, warnings };
}

/**
 * The article's lead picture: a Markdown `image` naming a file beside the article when there is one,
 * else the first image (in key order) with the article's base name, as the pipeline chooses.
 */
function leadImageFile(
  article: InboxFile,
  imageRef: string | null,
  imagesByBase: ReadonlyMap<string, readonly InboxFile[]>,
): InboxFile | null {
  if (imageRef && !/^[a-z][a-z0-9+.-]*:/i.test(imageRef)) {
    const folder = article.key.includes('/') ? article.key.slice(0, article.key.lastIndexOf('/') + 1) : '';
    const refKey = folder + imageRef.replace(/^\.\//, '');
    const referenced = imagesByBase.get(baseName(refKey))?.find((image) => image.key === refKey);
    if (referenced) return referenced;
  }
  return imagesByBase.get(baseName(article.key))?.[0] ?? null;
}

function publishedImage(slug: string, file: InboxFile): PublishedImage | null {
  const type = IMAGE_TYPES[extensionOf(file.key)];
  return type ? { path: mediaPath(slug, file.key), type, length: file.size } : null;
}

async function parseFile(file: InboxFile, maxBytes: number, options: ParseOptions): Promise<ParseResult> {
  // A file far over the limit is refused from its size, without reading it; the parser gives the same
  // reason for one that grew between the scan and the read.
  if (file.size > maxBytes) return { ok: false, rejection: tooLarge(file.size, maxBytes) };
  return parseArticle(file.key, readFileSync(file.path), options);
}

function tooLarge(size: number, maxBytes: number): ArticleRejection {
  return new ArticleRejection(
    'too-large',
    `the file is ${size} bytes, larger than the ${maxBytes}-byte limit for an article`,
  );
}

function notice(file: InboxFile, reason: string): Notice {
  return { key: file.key, path: file.path, reason };
}

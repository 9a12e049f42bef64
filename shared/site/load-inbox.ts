import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { tooLarge } from '../article/decode.ts';
import { DEFAULT_MAX_ARTICLE_BYTES, type ParseOptions, type ParseResult } from '../article/model.ts';
import { parseArticle } from '../article/parse.ts';
import { baseName, isArticleKey, isImageKey, slugForKey } from '../article/slug.ts';
import { extensionOf, IMAGE_TYPES, mediaPath } from '../pipeline/images.ts';
import type { FeedEntry, PublishedImage } from '../render/model.ts';
import { publishTimes } from '../render/publish-time.ts';
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

/** The inbox folder's files by role, each list in key order. */
export interface InboxParts {
  readonly articles: InboxFile[];
  /** Pictures by base name (key without extension), for pairing with the article of that name. */
  readonly imagesByBase: Map<string, InboxFile[]>;
  /** Files that are neither an article nor a picture. */
  readonly ignored: Notice[];
}

export function sortInboxFiles(files: readonly InboxFile[]): InboxParts {
  const ignored: Notice[] = [];
  const articles: InboxFile[] = [];
  const imagesByBase = new Map<string, InboxFile[]>();
  for (const file of files) {
    if (isArticleKey(file.key)) articles.push(file);
    else if (isImageKey(file.key) && IMAGE_TYPES[extensionOf(file.key)]) {
      const base = baseName(file.key);
      const group = imagesByBase.get(base);
      if (group) group.push(file);
      else imagesByBase.set(base, [file]);
    } else
      ignored.push(notice(file, 'ignored: neither an article (.txt, .text, .md, .markdown) nor an image'));
  }
  return { articles, imagesByBase, ignored };
}

/** An article file read and parsed. */
export interface ArticleFile {
  readonly result: ParseResult;
  /** The file's modification time: an undated article's first upload time. */
  readonly mtime: Date;
}

/**
 * Reads and parses one article file. Synchronous reads, one file after the other: for thousands of small
 * files that is several times faster than the thread pool, and parsing is synchronous work (the parser is
 * asynchronous only while it loads its Markdown support once), so there is nothing to overlap on this
 * thread. The size and time come from the open file (no stat of its own in the scan).
 */
export async function readArticle(file: InboxFile, options: ParseOptions = {}): Promise<ArticleFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ARTICLE_BYTES;
  const fd = openSync(file.path, 'r');
  let bytes: Uint8Array;
  let mtime: Date;
  try {
    const stats = fstatSync(fd);
    mtime = stats.mtime;
    // A file over the limit is refused from its size, without reading it.
    if (stats.size > maxBytes)
      return { result: { ok: false, rejection: tooLarge(stats.size, maxBytes) }, mtime };
    bytes = readUpTo(fd, stats.size);
  } finally {
    closeSync(fd);
  }
  return { result: await parseArticle(file.key, bytes, options), mtime };
}

/** The first `size` bytes (fewer if the file is shorter now): what readFileSync reads, without its own fstat. */
function readUpTo(fd: number, size: number): Uint8Array {
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const read = readSync(fd, buffer, filled, size - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}

/** An article the publisher accepted: its entry, and its lead picture to copy when it has one. */
export interface Published {
  readonly entry: FeedEntry;
  readonly media: MediaCopy | null;
}

/**
 * Decides, file after file in key order, what is published, the way the Lambda would: the same slug per
 * key, the same publishing times (the file's mtime standing in for the first upload time), the same choice
 * of lead picture. A bad file is reported and skipped; it never stops the others.
 */
export class ArticlePublisher {
  readonly rejected: Notice[] = [];
  readonly drafts: Notice[] = [];
  readonly warnings: Notice[] = [];
  private readonly slugOwners = new Map<string, string>();

  constructor(private readonly imagesByBase: ReadonlyMap<string, readonly InboxFile[]>) {}

  add(file: InboxFile, { result, mtime }: ArticleFile): Published | null {
    if (!result.ok) {
      if (result.rejection.code === 'draft') this.drafts.push(notice(file, 'draft, not published'));
      else this.rejected.push(notice(file, result.rejection.reason));
      return null;
    }
    const slug = slugForKey(file.key);
    const owner = this.slugOwners.get(slug);
    if (owner !== undefined) {
      // `x.txt` beside `x.md` share a slug by design (one article, two formats); publishing both would
      // have them overwrite each other's page. The first key in code-unit order that publishes wins (a
      // draft or a rejected file, returned above, claims nothing), the same every time and as in the Lambda.
      this.rejected.push(notice(file, `not published: ${owner} already publishes under the slug '${slug}'`));
      return null;
    }
    this.slugOwners.set(slug, file.key);
    for (const warning of result.article.warnings) this.warnings.push(notice(file, `warning: ${warning}`));
    const imageFile = leadImageFile(file, result.article.imageRef, this.imagesByBase);
    const image = imageFile ? publishedImage(slug, imageFile) : null;
    const media = imageFile && image ? { sourcePath: imageFile.path, image } : null;
    const { published } = publishTimes(file.key, result.article, mtime.toISOString());
    // A folder has no history: every article is built as a first version, so `updated` is `published`.
    const entry = { key: file.key, slug, published, updated: published, article: result.article, image };
    return { entry, media };
  }
}

/** Pictures no published article uses, in key order: reported, so a misnamed one is noticed. */
export function unusedImageNotices(
  imagesByBase: ReadonlyMap<string, readonly InboxFile[]>,
  usedPaths: ReadonlySet<string>,
): Notice[] {
  const notices: Notice[] = [];
  for (const group of imagesByBase.values()) {
    for (const image of group) {
      if (!usedPaths.has(image.path))
        notices.push(notice(image, 'ignored: no published article uses this image'));
    }
  }
  return notices;
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
  return type ? { path: mediaPath(slug, file.key), type, length: statSync(file.path).size } : null;
}

function notice(file: InboxFile, reason: string): Notice {
  return { key: file.key, path: file.path, reason };
}

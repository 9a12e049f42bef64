/**
 * What a build of an inbox folder must publish, worked out from the parser alone (not from the build's
 * own loading code): every file the parser accepts and does not mark as a draft, at the slug its key
 * gives, with the byline the feeds must show.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../../shared/article/model.ts';
import { parseArticle } from '../../shared/article/parse.ts';
import { isArticleKey, slugForKey } from '../../shared/article/slug.ts';

export interface ExpectedArticle {
  readonly key: string;
  readonly slug: string;
  readonly article: Article;
  /** The file's mtime: an undated article's first upload time in a build. */
  readonly mtime: Date;
}

export interface ExpectedInbox {
  readonly published: ExpectedArticle[];
  readonly rejected: { readonly key: string; readonly reason: string }[];
  readonly drafts: string[];
}

export function listKeys(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listKeys(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

export async function expectedInbox(dir: string): Promise<ExpectedInbox> {
  const published: ExpectedArticle[] = [];
  const rejected: { key: string; reason: string }[] = [];
  const drafts: string[] = [];
  for (const key of listKeys(dir).sort()) {
    if (!isArticleKey(key)) continue;
    const path = join(dir, key);
    // `await` whether the parser answers at once or asynchronously (it loads Markdown support lazily).
    const result = await parseArticle(key, readFileSync(path));
    if (result.ok) {
      published.push({ key, slug: slugForKey(key), article: result.article, mtime: statSync(path).mtime });
    } else if (result.rejection.code === 'draft') drafts.push(key);
    else rejected.push({ key, reason: result.rejection.reason });
  }
  return { published, rejected, drafts };
}

/** The name every feed shows as the item's author: the byline, else the outlet, else the site's title. */
export function expectedAuthor(article: Article, siteTitle: string): string {
  return article.author || article.outlet || siteTitle;
}

/**
 * The baseline: how serverless feed generators on GitHub commonly publish. On every trigger, list the whole
 * inbox, GET and parse every article, render the feeds and the index from all of them, and write those.
 * Its cost grows with the archive: one LIST per 1,000 keys and one GET per article, on every upload.
 *
 * It is given every advantage a careful implementation would have: the same parser and renderers as
 * dropfeed, the same S3 adapter, 32 GETs in flight, and it does NOT re-render article pages (it writes only
 * the three feeds and the index page), so the ratio against it is a conservative one.
 */
import { parseArticle } from '../shared/article/parse.ts';
import { isArticleKey, slugForKey } from '../shared/article/slug.ts';
import type { FeedEntry, SiteConfig } from '../shared/render/model.ts';
import { publishTimes } from '../shared/render/publish-time.ts';
import { renderFeedFiles } from '../shared/render/site.ts';
import type { ObjectStore } from '../shared/store/object-store.ts';

export interface NaiveResult {
  /** Objects the inbox listing returned. */
  readonly listed: number;
  /** Article objects fetched and parsed. */
  readonly fetched: number;
  readonly published: number;
  readonly rejected: number;
  /** Site files written. */
  readonly written: number;
}

export const NAIVE_CONCURRENCY = 32;

export async function naivePublish(
  inbox: ObjectStore,
  site: ObjectStore,
  siteConfig: SiteConfig,
  concurrency = NAIVE_CONCURRENCY,
): Promise<NaiveResult> {
  const listing: { key: string; lastModified: Date }[] = [];
  for await (const info of inbox.list('')) listing.push({ key: info.key, lastModified: info.lastModified });
  const articles = listing.filter((o) => isArticleKey(o.key));
  const entries: FeedEntry[] = [];
  let rejected = 0;
  await forEachLimited(articles, concurrency, async ({ key, lastModified }) => {
    const object = await inbox.get(key);
    if (!object) return;
    const parsed = await parseArticle(key, object.body);
    if (!parsed.ok) {
      rejected++;
      return;
    }
    const { published } = publishTimes(key, parsed.article, lastModified.toISOString());
    entries.push({
      key,
      slug: slugForKey(key),
      published,
      updated: published,
      article: parsed.article,
      image: null,
    });
  });
  const files = renderFeedFiles(entries, siteConfig);
  await Promise.all(
    files.map((file) =>
      site.put(file.path, file.body, { contentType: file.contentType, cacheControl: file.cacheControl }),
    ),
  );
  return {
    listed: listing.length,
    fetched: articles.length,
    published: entries.length,
    rejected,
    written: files.length,
  };
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * "Not one article lost": given the keys the inbox holds, checks a lane's buckets: every key is in the
 * month archive exactly once and has its page, no other page exists, and the feeds carry the newest
 * `maxItems` of exactly those keys, each once. Returns the problems found (empty when all is well).
 */
import { slugForKey } from '../../shared/article/slug.ts';
import type { MonthDoc } from '../../shared/pipeline/state.ts';
import { articleUrl } from '../../shared/render/urls.ts';
import { FEED_PATHS, parseFeedStrictly } from './feed-integrity.ts';
import type { Snapshot } from './world.ts';
import { RELIABILITY_SITE, snapshotText } from './world.ts';

export function publishedProblems(
  site: Snapshot,
  state: Snapshot,
  live: ReadonlySet<string>,
  maxItems = RELIABILITY_SITE.maxItems,
): string[] {
  const problems: string[] = [];
  const archived: string[] = [];
  for (const key of state.objects.keys()) {
    if (!/^months\/\d{4}-\d{2}\.json$/.test(key)) continue;
    const doc = JSON.parse(snapshotText(state, key) ?? '{}') as MonthDoc;
    for (const entry of doc.entries) archived.push(entry.key);
  }
  const seen = new Map<string, number>();
  for (const key of archived) seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const key of live)
    if (!seen.has(key)) problems.push(`lost: ${key} is in the inbox but not in the archive`);
  for (const [key, n] of seen) {
    if (!live.has(key)) problems.push(`ghost: ${key} is archived but not in the inbox`);
    if (n > 1) problems.push(`duplicate: ${key} archived ${n} times`);
  }

  const pages = new Set([...site.objects.keys()].filter((k) => k.startsWith('articles/')));
  const expectedPages = new Set([...live].map((key) => `articles/${slugForKey(key)}/index.html`));
  for (const page of expectedPages) if (!pages.has(page)) problems.push(`missing page ${page}`);
  for (const page of pages) if (!expectedPages.has(page)) problems.push(`orphan page ${page}`);

  const urls = new Map([...live].map((key) => [articleUrl(RELIABILITY_SITE, slugForKey(key)), key]));
  for (const path of FEED_PATHS) {
    const text = snapshotText(site, path);
    if (text === null) {
      if (live.size > 0) problems.push(`no ${path}`);
      continue;
    }
    const ids = parseFeedStrictly(path, text);
    if (ids.length !== Math.min(maxItems, live.size))
      problems.push(`${path}: ${ids.length} items for ${live.size} articles`);
    if (new Set(ids).size !== ids.length) problems.push(`${path}: an item appears twice`);
    for (const id of ids) if (!urls.has(id)) problems.push(`${path}: item ${id} is not a live article`);
  }
  return problems;
}

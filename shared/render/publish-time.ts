import { createHash } from 'node:crypto';
import type { Article } from '../article/model.ts';
import type { FeedEntry } from './model.ts';

/**
 * Publishing times: the one rule shared by `dropfeed build` and the Lambda, so both give an article the same
 * timestamp. Dated articles land at 06:00:00Z on their day plus a per-key offset below 12 hours, so items of
 * the same day get distinct, deterministic times (validators flag shared timestamps) that stay on that
 * calendar day from UTC-6 to UTC+6. Undated articles use their first upload time.
 */

const DAY_START_SECONDS = 6 * 3600;
const OFFSET_RANGE_SECONDS = 12 * 3600;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface PublishTimes {
  /** `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly published: string;
}

/** Seconds after 06:00:00Z for `key`: the first four bytes of sha256(key) as a big-endian uint32, mod 43200. */
export function dayOffsetSeconds(key: string): number {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  return digest.readUInt32BE(0) % OFFSET_RANGE_SECONDS;
}

/**
 * When the article counts as published. `firstSeen` is the first upload time (S3 LastModified of the first
 * version seen, or the file's mtime in `dropfeed build`), any ISO 8601 instant; it is used only for
 * undated articles.
 */
export function publishTimes(key: string, article: Pick<Article, 'date'>, firstSeen: string): PublishTimes {
  if (article.date === null) return { published: toTimestamp(firstSeen) };
  const match = ISO_DAY.exec(article.date);
  if (!match) throw new RangeError(`publishTimes: article date '${article.date}' is not YYYY-MM-DD`);
  const dayMs = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const seconds = DAY_START_SECONDS + dayOffsetSeconds(key);
  return { published: toTimestamp(new Date(dayMs + seconds * 1000)) };
}

/** Any instant as a feed timestamp `YYYY-MM-DDTHH:MM:SSZ` (UTC, truncated to whole seconds). */
export function toTimestamp(instant: string | Date): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a valid instant: '${String(instant)}'`);
  // toISOString gives YYYY-MM-DDTHH:MM:SS.sssZ for years 0..9999; dropping the milliseconds truncates.
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The order of every feed and listing: published descending, ties by key ascending (code-unit order). */
export function compareEntries(
  a: Pick<FeedEntry, 'published' | 'key'>,
  b: Pick<FeedEntry, 'published' | 'key'>,
): number {
  if (a.published !== b.published) return a.published < b.published ? 1 : -1;
  if (a.key === b.key) return 0;
  return a.key < b.key ? -1 : 1;
}

/** A sorted copy; the input is left alone. */
export function sortEntries(entries: readonly FeedEntry[]): FeedEntry[] {
  return [...entries].sort(compareEntries);
}

/** The newest `n` entries in feed order. */
export function selectNewest(entries: readonly FeedEntry[], n: number): FeedEntry[] {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`selectNewest: n must be a whole number >= 0, got ${n}`);
  return sortEntries(entries).slice(0, n);
}

const SECOND_MS = 1000;

/**
 * The same entries with pairwise distinct `published` and, separately, pairwise distinct `updated` times,
 * in the order given. Validators warn when two entries share a timestamp ("Two entries with the same value
 * for atom:updated"), and two articles can: undated ones uploaded in the same second, or dated ones whose
 * key offsets collide. Ties are broken by whole seconds in feed order, so the result is a pure function of
 * the set of entries (the same for `dropfeed build` and the Lambda) and keeps the feed order: walking from
 * the oldest, an entry not strictly newer than the one after it moves to one second after that one (ties
 * sort by key ascending, so the smaller key becomes the newer). Then `updated` times, never earlier than
 * `published`, are spread the same way. Entries without a collision are returned untouched.
 */
export function distinctTimes(entries: readonly FeedEntry[]): FeedEntry[] {
  const order = entries
    .map((_, i) => i)
    .sort((a, b) => compareEntries(entries[a] as FeedEntry, entries[b] as FeedEntry));
  const published = new Map<number, number>();
  let older: number | undefined;
  for (let n = order.length - 1; n >= 0; n--) {
    const i = order[n] as number;
    let ms = Date.parse((entries[i] as FeedEntry).published);
    if (older !== undefined && ms <= older) ms = older + SECOND_MS;
    published.set(i, ms);
    older = ms;
  }
  const updated = new Map<number, number>();
  for (const i of order) {
    const entry = entries[i] as FeedEntry;
    const ownPublished = published.get(i) as number;
    // A first version's `updated` is its publishing time, moved with it.
    const ms =
      entry.updated === entry.published ? ownPublished : Math.max(Date.parse(entry.updated), ownPublished);
    updated.set(i, ms);
  }
  // Oldest first; among equal times the older entry in feed order keeps its time.
  const byUpdated = [...order]
    .reverse()
    .sort((a, b) => (updated.get(a) as number) - (updated.get(b) as number));
  let previous: number | undefined;
  for (const i of byUpdated) {
    let ms = updated.get(i) as number;
    if (previous !== undefined && ms <= previous) ms = previous + SECOND_MS;
    updated.set(i, ms);
    previous = ms;
  }
  return entries.map((entry, i) => {
    const p = toTimestamp(new Date(published.get(i) as number));
    const u = toTimestamp(new Date(updated.get(i) as number));
    return p === entry.published && u === entry.updated ? entry : { ...entry, published: p, updated: u };
  });
}

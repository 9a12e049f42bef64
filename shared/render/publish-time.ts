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
export function compareEntries(a: FeedEntry, b: FeedEntry): number {
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

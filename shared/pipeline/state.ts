import { createHash } from 'node:crypto';
import type { RejectionCode } from '../article/model.ts';
import type { FeedEntry } from '../render/model.ts';
import { articlePath } from '../render/urls.ts';

/**
 * The pipeline's private state, in the state bucket. Every document is small or bounded, and one upload
 * touches a fixed handful of them whatever the archive size:
 *
 *   articles/<sha256(key)>.json   one ArticleRecord per inbox article key: the journal of its changes (below)
 *   window.json                   the newest maxItems + slack entries in full, and hashes of the feed files
 *   months/<YYYY-MM>.json         light entries of the month (key, slug, published, title): monthly archives
 *                                 (RFC 5005) and refilling the window after a delete, without listing
 *   months/index.json             the months with their counts, newest first
 *   siblings/<sha256(base)>.json  article and image keys sharing a base name (`foo.txt` + `foo.jpg`)
 *   reports/<inbox key>.json      why a file is not (or no longer) published; `aws s3 cp` it to read it
 *
 * Per-tag feeds would add `tags/<tag>.json` partitions maintained exactly like the month files.
 *
 * The record is written twice by a change that alters what is published: first, before the change's first
 * write to the site, the month partitions, the window or the reports, it is rewritten to describe the
 * change with `pending` set (the marker); last, once everything is written, the same record with `pending`
 * null (the commit). So a key's record always names everything the key may have on the site and in the
 * indexes, however far an interrupted invocation got; whoever reconciles the key next (a redelivery, the
 * delete that follows, a rebuild) knows what to undo or redo. A removal marks the record `removed` and
 * deletes it last.
 */

/** `removed`: a tombstone, while a removal cleans up; the record is deleted when it is done. */
export type ArticleStatus = 'published' | 'rejected' | 'draft' | 'removed';

/** The parser's rejection codes, and the pipeline's own: two keys wanting one slug (`x.txt` beside `x.md`). */
export type ReportCode = RejectionCode | 'slug-conflict';

export interface RejectionNote {
  readonly code: ReportCode;
  readonly reason: string;
  readonly time: string;
}

export interface ArticleRecord {
  readonly v: 1;
  readonly key: string;
  readonly slug: string;
  /** `rejected` may still carry `entry`: the last good version stays published. */
  readonly status: ArticleStatus;
  /** The newest event sequencer applied for this key; older events are skipped. */
  readonly sequencer: string | null;
  /** Inbox object ETag and version last processed. */
  readonly etag: string;
  readonly versionId: string | null;
  /** sha256 of the bytes last processed: a replay of the same version changes nothing. */
  readonly contentHash: string;
  /** LastModified of the first version seen; the publishing time of undated articles. Never changes. */
  readonly firstSeen: string;
  /** What is published now for this key, or null. */
  readonly entry: FeedEntry | null;
  /** The sibling image the published entry carries, by key and ETag. */
  readonly imageKey: string | null;
  readonly imageEtag: string | null;
  /** The article page as last written: its site path and md5 (S3's ETag for a single-part PUT). */
  readonly pagePath: string | null;
  readonly pageHash: string | null;
  readonly rejection: RejectionNote | null;
  /**
   * Non-null from the marker to the commit (see above): the change the record describes may be anywhere
   * from not started to fully applied. It holds what the key may still have on the site and in the months
   * besides this record's own entry, page and picture (what the versions before it left, for the change to
   * clean up). Absent in records of older releases, which were all committed.
   */
  readonly pending?: Pending | null;
}

export interface Pending extends Footprint {
  /**
   * The feed files may show what an interrupted change to another target put there, which the window does
   * not describe: the next render writes them all rather than those it believes changed.
   */
  readonly feeds: boolean;
}

/** What a key may have published: months whose partition may list it, site paths that may hold its files. */
export interface Footprint {
  readonly months: readonly string[];
  readonly paths: readonly string[];
}

/** Where an entry stands in the feed order. */
export interface SortKey {
  readonly published: string;
  readonly key: string;
}

/** The few fields of an entry that months, archives and window refills need. */
export interface LightEntry {
  readonly key: string;
  readonly slug: string;
  readonly published: string;
  readonly title: string;
}

export interface MonthDoc {
  readonly v: 1;
  readonly month: string;
  /** Newest first (published descending, ties by key). */
  readonly entries: readonly LightEntry[];
}

export interface MonthsIndex {
  readonly v: 1;
  /** Newest first; months with no entries are dropped. */
  readonly months: readonly { readonly month: string; readonly count: number }[];
}

export interface WindowDoc {
  readonly v: 1;
  /** True while no published entry exists outside `entries` (so an older entry may still join). */
  readonly complete: boolean;
  /** The newest entries, in feed order: always the top of all published entries, with no gap. */
  readonly entries: readonly FeedEntry[];
  /**
   * While not complete, the place up to which the window vouches for every published entry (null when
   * complete). It stays when the entry at it goes, so that what sorts before it may still join. Absent in
   * documents of older releases: their last entry.
   */
  readonly boundary?: SortKey | null;
  /** md5 of every feed, index and asset file as last written, by site path. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Hash of the site configuration the outputs were rendered with. */
  readonly siteHash: string;
}

export interface SiblingsDoc {
  readonly v: 1;
  readonly base: string;
  readonly articles: readonly string[];
  readonly images: readonly { readonly key: string; readonly etag: string }[];
}

export interface RejectionReport {
  readonly key: string;
  readonly code: ReportCode;
  readonly reason: string;
  readonly time: string;
  /** What readers see meanwhile. */
  readonly published: 'last-good-version-kept' | 'not-published' | 'unpublished';
}

export const WINDOW_KEY = 'window.json';
export const MONTHS_INDEX_KEY = 'months/index.json';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export const recordKey = (key: string): string => `articles/${sha256Hex(key)}.json`;
export const reportKey = (key: string): string => `reports/${key}.json`;
export const monthKey = (month: string): string => `months/${month}.json`;
export const siblingsKey = (base: string): string => `siblings/${sha256Hex(base)}.json`;
/** `2025-07-04T09:12:00Z` → `2025-07`. */
export const monthOf = (published: string): string => published.slice(0, 7);

/** True while a change to the key was marked and not committed (see `ArticleRecord.pending`). */
export function isPending(record: ArticleRecord | null): boolean {
  return (record?.pending ?? null) !== null;
}

/** Everything a record says the key may have published: its own entry, page and picture, and its `pending`. */
export function footprintOf(record: ArticleRecord | null): Footprint {
  const months = new Set(record?.pending?.months ?? []);
  const paths = new Set(record?.pending?.paths ?? []);
  const entry = record?.entry ?? null;
  if (record && entry) {
    months.add(monthOf(entry.published));
    paths.add(record.pagePath ?? articlePath(entry.slug));
    if (entry.image) paths.add(entry.image.path);
  }
  return { months: [...months].sort(), paths: [...paths].sort() };
}

/** What `all` holds beyond `own`. */
export function footprintBeyond(all: Footprint, own: Footprint): Footprint {
  return {
    months: all.months.filter((m) => !own.months.includes(m)),
    paths: all.paths.filter((p) => !own.paths.includes(p)),
  };
}

export function lightEntry(entry: FeedEntry): LightEntry {
  return { key: entry.key, slug: entry.slug, published: entry.published, title: entry.article.title };
}

/** The one feed order: published descending, ties by key ascending (as `compareEntries` in render/). */
export function compareNewestFirst(
  a: { published: string; key: string },
  b: { published: string; key: string },
): number {
  if (a.published !== b.published) return a.published < b.published ? 1 : -1;
  if (a.key === b.key) return 0;
  return a.key < b.key ? -1 : 1;
}

/**
 * Synthetic archives in the inbox format, from the renderer helper's `bench/gen-corpus.ts`, so the bench and
 * the renderer tests share one notion of a typical article (wire-format text, hard-wrapped, ~2–4 KiB).
 */
import { readdir, rm } from 'node:fs/promises';
import { type CorpusOptions, generateCorpus } from './gen-corpus.ts';

/**
 * The archive: articles dated from 2024-01-01 to 2025-03-27 (451 days). Its last month, March 2025, is the
 * month new uploads land in and is already most of the way full (~6 % of the archive), as the current
 * month of a live site is: an upload pays for a realistic month partition, not an empty one.
 */
export const ARCHIVE_DAYS: CorpusOptions = { startDay: '2024-01-01', days: 451 };

/**
 * New uploads: dated 2025-03-28 to 2025-03-31, after every archive article, as a newly dropped article
 * usually is (today's news): each one enters the feeds and the index and re-renders them.
 */
export const UPLOAD_DAYS: CorpusOptions = { startDay: '2025-03-28', days: 4 };

/** Writes `n` article files into a fresh `dir`. */
export async function writeCorpus(
  dir: string,
  n: number,
  seed: number,
  options: CorpusOptions = ARCHIVE_DAYS,
) {
  await rm(dir, { recursive: true, force: true });
  await generateCorpus(dir, n, seed, options);
}

/** The article files of a corpus directory, sorted. */
export async function corpusFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => /\.(txt|text|md|markdown)$/i.test(name)).sort();
}

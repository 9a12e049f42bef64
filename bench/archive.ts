/**
 * Seeds an archive of N articles into the bench's S3 server without N uploads through the handler (which
 * at 100,000 would take hours and measure nothing new):
 *
 * 1. every corpus file is written straight into s3rver's data directory as an inbox object (its on-disk
 *    layout, see s3rver-disk.ts), with one fixed LastModified;
 * 2. the product's own `rebuild()` runs ONCE over stores that read and write that same directory, deriving
 *    the state bucket (article records, window, month partitions) and the site bucket exactly as it would
 *    over S3, only without HTTP.
 *
 * The running s3rver then serves all of it: the handler measured afterwards finds the same archive it would
 * have built upload by upload.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../shared/log.ts';
import { createPipeline } from '../shared/pipeline/pipeline.ts';
import type { SiteConfig } from '../shared/render/model.ts';
import { corpusFiles } from './corpus.ts';
import { s3rverDiskStore } from './s3rver-disk.ts';

export interface ArchiveBuckets {
  readonly inbox: string;
  readonly site: string;
  readonly state: string;
}

export interface SeedReport {
  readonly articles: number;
  readonly writeMs: number;
  readonly rebuildMs: number;
  readonly rebuild: unknown;
}

/** One upload time for the whole seeded archive: only undated articles use it. */
export const SEED_UPLOAD_TIME = new Date(Date.UTC(2026, 0, 15, 12, 0, 0));

export async function seedArchive(
  directory: string,
  buckets: ArchiveBuckets,
  corpusDir: string,
  siteConfig: SiteConfig,
): Promise<SeedReport> {
  const started = performance.now();
  const inbox = s3rverDiskStore(directory, buckets.inbox);
  const files = await corpusFiles(corpusDir);
  for (let i = 0; i < files.length; i += 64) {
    await Promise.all(
      files.slice(i, i + 64).map(async (name) =>
        inbox.write({
          key: name,
          body: await readFile(join(corpusDir, name)),
          contentType: 'text/plain; charset=utf-8',
          lastModified: SEED_UPLOAD_TIME,
        }),
      ),
    );
  }
  const written = performance.now();
  const pipeline = createPipeline({
    inbox,
    site: s3rverDiskStore(directory, buckets.site),
    state: s3rverDiskStore(directory, buckets.state),
    siteConfig,
    log: silentLogger,
  });
  const rebuild = await pipeline.rebuild();
  return {
    articles: files.length,
    writeMs: written - started,
    rebuildMs: performance.now() - written,
    rebuild,
  };
}

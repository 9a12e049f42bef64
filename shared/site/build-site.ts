import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SiteConfig, SiteFile } from '../render/model.ts';
import { renderArticleFile, renderAssetFiles, renderFeedFiles } from '../render/site.ts';
import { articlePath } from '../render/urls.ts';
import { type LoadedInbox, loadInbox } from './load-inbox.ts';
import { readManifest, removeStale, writeManifest } from './manifest.ts';
import { scanFolder } from './scan-folder.ts';
import { type OutputFile, writeChangedFiles } from './write-changed.ts';

export interface BuildOptions {
  readonly inboxDir: string;
  readonly outDir: string;
  readonly site: SiteConfig;
  /** Write nothing when any file is rejected. */
  readonly strict?: boolean;
  readonly maxArticleBytes?: number;
}

export interface BuildReport extends Omit<LoadedInbox, 'entries' | 'media'> {
  readonly published: number;
  readonly written: readonly string[];
  readonly unchanged: number;
  /** Files an earlier build wrote for articles no longer in the inbox, now deleted. */
  readonly removed: readonly string[];
  /** True when `strict` found rejections and nothing was written. */
  readonly aborted: boolean;
  /** Milliseconds per phase, for `--timings` and the benchmark. */
  readonly timings: PhaseTimings;
}

export interface PhaseTimings {
  /** Walking the inbox folder. */
  scan: number;
  /** Reading and parsing every article. */
  parse: number;
  /** Rendering and checking the feeds, the index page and the assets. */
  feeds: number;
  /** Rendering each article page and writing every changed file (pages are written as they are rendered). */
  write: number;
}

/**
 * Builds the whole site from an inbox folder: every article page, the feeds (newest `site.maxItems`), the
 * index page, the assets and the lead pictures, writing only files whose bytes changed.
 */
export async function buildSite(options: BuildOptions): Promise<BuildReport> {
  const timings: PhaseTimings = { scan: 0, parse: 0, feeds: 0, write: 0 };
  let mark = performance.now();
  const lap = (phase: keyof PhaseTimings) => {
    const now = performance.now();
    timings[phase] = Math.round(now - mark);
    mark = now;
  };
  const { files, skipped } = scanFolder(options.inboxDir, [options.outDir]);
  lap('scan');
  const inbox = await loadInbox(files, options.maxArticleBytes ? { maxBytes: options.maxArticleBytes } : {});
  lap('parse');
  const skippedNotices = skipped.map((s) => ({ key: s.path, path: s.path, reason: `ignored: ${s.reason}` }));
  const report = {
    rejected: inbox.rejected,
    drafts: inbox.drafts,
    ignored: [...skippedNotices, ...inbox.ignored],
    warnings: inbox.warnings,
    published: inbox.entries.length,
  };
  if (options.strict && inbox.rejected.length > 0) {
    return { ...report, written: [], unchanged: 0, removed: [], aborted: true, timings };
  }
  const { site } = options;
  const fixedFiles: SiteFile[] = [...renderFeedFiles(inbox.entries, site), ...renderAssetFiles(site)];
  lap('feeds');
  const media: OutputFile[] = inbox.media.map((copy) => ({
    path: copy.image.path,
    load: () => readFileSync(copy.sourcePath),
  }));
  // Pages are rendered one at a time as they are written, so 10,000 of them never sit in memory together.
  function* outputs(): Generator<OutputFile> {
    yield* fixedFiles;
    for (const entry of inbox.entries) yield renderArticleFile(entry, site);
    yield* media;
  }
  const paths = new Set([
    ...fixedFiles.map((f) => f.path),
    ...inbox.entries.map((e) => articlePath(e.slug)),
    ...media.map((m) => m.path),
  ]);
  const outDir = resolve(options.outDir);
  const previous = readManifest(outDir);
  const { written, unchanged } = writeChangedFiles(outDir, outputs());
  const removed = removeStale(outDir, previous, paths);
  // Rewritten only when the set of files changes, so an edit leaves the manifest's timestamp alone too.
  if (previous.length !== paths.size || previous.some((p) => !paths.has(p)))
    writeManifest(outDir, [...paths]);
  lap('write');
  return { ...report, written, unchanged, removed, aborted: false, timings };
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SiteConfig } from '../render/model.ts';
import { compareEntries } from '../render/publish-time.ts';
import { renderAssetFiles, renderFeedFiles } from '../render/site.ts';
import { articlePath } from '../render/urls.ts';
import { ArticleBuilder, type ArticlesOutcome } from './article-builder.ts';
import { type Notice, sortInboxFiles, unusedImageNotices } from './load-inbox.ts';
import { readManifest, removeStale, writeManifest } from './manifest.ts';
import { PageWriterThread, wantsWriterThread } from './page-writer.ts';
import { scanFolder } from './scan-folder.ts';
import { ChangedFileWriter, isFreshOutput, type WriteResult } from './write-changed.ts';

export interface BuildOptions {
  readonly inboxDir: string;
  readonly outDir: string;
  readonly site: SiteConfig;
  /** Write nothing when any file is rejected. */
  readonly strict?: boolean;
  readonly maxArticleBytes?: number;
  /**
   * 2: article pages are written on a second thread while the main thread parses and renders; 1: one
   * thread does everything. Default: 2 from `WRITER_THREAD_MIN_ARTICLES` articles on a multi-core machine.
   */
  readonly threads?: number;
  /**
   * A writer thread started ahead (`PageWriterThread.start`), used when the build writes on a second
   * thread. The build stops it when it ends, used or not.
   */
  readonly pageWriter?: PageWriterThread | null;
}

export interface BuildReport {
  readonly rejected: Notice[];
  readonly drafts: Notice[];
  readonly ignored: Notice[];
  readonly warnings: Notice[];
  readonly published: number;
  readonly written: readonly string[];
  readonly unchanged: number;
  /** Files an earlier build wrote for articles no longer in the inbox, now deleted. */
  readonly removed: readonly string[];
  /** True when `strict` found rejections and nothing was written. */
  readonly aborted: boolean;
  /** Milliseconds per phase, for `--timings` and the benchmark. */
  readonly timings: PhaseTimings;
  /** 2 when the article pages were written on a second thread, else 1. */
  readonly threads: number;
}

export interface PhaseTimings {
  /** Walking the inbox folder. */
  scan: number;
  /** Reading and parsing every article and rendering its page (written meanwhile, or held under `strict`). */
  articles: number;
  /** Rendering and checking the feeds, the index page and the assets. */
  feeds: number;
  /** Writing what is left: the last pages, the feeds, index page, assets and pictures; removing what left. */
  write: number;
}

/**
 * Builds the whole site from an inbox folder: every article page, the feeds (newest `site.maxItems`), the
 * index page, the assets and the lead pictures, writing only files whose bytes changed.
 */
export async function buildSite(options: BuildOptions): Promise<BuildReport> {
  let pageWriter = options.pageWriter ?? null;
  try {
    const timings: PhaseTimings = { scan: 0, articles: 0, feeds: 0, write: 0 };
    let mark = performance.now();
    const lap = (phase: keyof PhaseTimings) => {
      const now = performance.now();
      timings[phase] = Math.round(now - mark);
      mark = now;
    };
    const { site } = options;
    const { files, skipped } = scanFolder(options.inboxDir, [options.outDir]);
    lap('scan');
    const parts = sortInboxFiles(files);
    const outDir = resolve(options.outDir);
    const previous = readManifest(outDir);
    const fresh = isFreshOutput(outDir);

    const writerThread =
      options.threads === undefined ? wantsWriterThread(parts.articles.length) : options.threads > 1;
    if (writerThread) pageWriter ??= PageWriterThread.start();
    else {
      // Started ahead for what turned out a small build: stopped now, not left to take a core.
      pageWriter?.close();
      pageWriter = null;
    }
    const hereWriter = new ChangedFileWriter(outDir, fresh);
    pageWriter?.begin(outDir, fresh);
    const strict = options.strict ?? false;
    const builder = new ArticleBuilder(
      { imagesByBase: parts.imagesByBase, site, parse: parseOptions(options) },
      pageWriter ?? hereWriter,
      strict,
    );
    for (const file of parts.articles) await builder.add(file);
    lap('articles');
    const articles = builder.outcome();
    const skippedNotices = skipped.map((s) => ({
      key: s.path,
      path: s.path,
      reason: `ignored: ${s.reason}`,
    }));
    const usedImages = new Set(articles.pages.flatMap((p) => (p.media ? [p.media.sourcePath] : [])));
    const report = {
      rejected: articles.rejected,
      drafts: articles.drafts,
      ignored: [...skippedNotices, ...parts.ignored, ...unusedImageNotices(parts.imagesByBase, usedImages)],
      warnings: articles.warnings,
      published: articles.pages.length,
      threads: pageWriter ? 2 : 1,
    };
    if (strict && articles.rejected.length > 0) {
      return { ...report, written: [], unchanged: 0, removed: [], aborted: true, timings };
    }
    builder.writeHeldPages();

    // Rendered while the writer thread finishes the last pages.
    const fixedFiles = [...renderFeedFiles(articles.newest, site), ...renderAssetFiles(site)];
    lap('feeds');
    const pages: WriteResult = pageWriter ? await pageWriter.finish() : hereWriter;
    const fixed = new ChangedFileWriter(outDir, fresh);
    for (const file of fixedFiles) fixed.write(file);
    const media = new ChangedFileWriter(outDir, fresh);
    for (const { media: copy } of articles.pages) {
      if (copy) media.write({ path: copy.image.path, load: () => readFileSync(copy.sourcePath) });
    }
    const paths = new Set([
      ...fixedFiles.map((f) => f.path),
      ...articles.pages.map((p) => articlePath(p.slug)),
      ...articles.pages.flatMap((p) => (p.media ? [p.media.image.path] : [])),
    ]);
    const removed = removeStale(outDir, previous, paths);
    // Rewritten only when the set of files changes, so an edit leaves the manifest's timestamp alone too.
    if (previous.length !== paths.size || previous.some((p) => !paths.has(p)))
      writeManifest(outDir, [...paths]);
    lap('write');
    const written = [...fixed.written, ...pagesInFeedOrder(articles, pages.written), ...media.written];
    const unchanged = fixed.unchanged + pages.unchanged + media.unchanged;
    return { ...report, written, unchanged, removed, aborted: false, timings };
  } finally {
    pageWriter?.close();
  }
}

function parseOptions(options: BuildOptions) {
  return options.maxArticleBytes ? { maxBytes: options.maxArticleBytes } : {};
}

/** The article pages written, listed in feed order as the report always has. */
function pagesInFeedOrder(articles: ArticlesOutcome, pagesWritten: readonly string[]): string[] {
  const written = new Set(pagesWritten);
  return [...articles.pages]
    .sort(compareEntries)
    .map((p) => articlePath(p.slug))
    .filter((path) => written.has(path));
}

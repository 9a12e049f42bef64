/**
 * `npm run bench` (full: archives of 100 to 100,000 articles) and `npm run bench -- --quick` (a minute or
 * two). Every measure is taken in the same run, so the ratios between dropfeed and its alternatives were
 * taken under the same load. A full run writes bench/results/latest.json, the plot bench/results/scaling.svg
 * and BENCHMARKS.md; a quick run writes the same three into bench/results/quick/, leaving the committed full
 * results alone. `npm run bench -- --report` regenerates the plot and BENCHMARKS.md from latest.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { freemem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import { parseArticle } from '../shared/article/parse.ts';
import { resolveSiteConfig } from '../shared/render/site-config.ts';
import { createS3Client } from '../shared/store/s3-store.ts';
import { type ArchiveBuckets, seedArchive } from './archive.ts';
import { measureBuild, measureStartup } from './build-bench.ts';
import { bundleFunctions, lambdaBundling, measureBundles } from './bundle-bench.ts';
import { corpusFiles, UPLOAD_DAYS, writeCorpus } from './corpus.ts';
import { costPer1000Uploads, lambdaCpuStretch, type S3RequestMix } from './cost.ts';
import type { UploadedObject } from './events.ts';
import { hugoAvailable } from './hugo.ts';
import { machineInfo } from './machine.ts';
import { scalingSvg } from './plot.ts';
import {
  measurePublish,
  measurePublishInterleaved,
  type PublishRun,
  type PublishSetup,
} from './publish-bench.ts';
import { renderBenchmarksMd } from './report.ts';
import type {
  BenchResults,
  BuildMeasure,
  BundleMeasure,
  CostMeasure,
  ParseMeasure,
  PublishMeasure,
  TargetCheck,
} from './results-model.ts';
import { type BenchS3, startBenchS3 } from './s3-harness.ts';
import { formatMs, formatRatio, MIB, round } from './stats.ts';

export interface BenchPlan {
  readonly mode: 'quick' | 'full';
  /** Archive sizes for the publish measures. */
  readonly sizes: readonly number[];
  /** Sizes at which the batch of 100 uploads is measured. */
  readonly batchSizes: readonly number[];
  /** Largest archive the naive baseline is run on; above it, it is extrapolated. */
  readonly naiveMax: number;
  /** Sizes at which `dropfeed build` and Hugo are compared. */
  readonly buildSizes: readonly number[];
  /** Largest size at which Hugo also runs on one core. */
  readonly hugoOneCoreMax: number;
  /** Builds per tool at each size (medians; one above 10,000). */
  readonly buildRuns: number;
  readonly singleRuns: number;
  readonly batchRuns: number;
  readonly coldLoadRuns: number;
  readonly parseArticles: number;
}

export const QUICK_PLAN: BenchPlan = {
  mode: 'quick',
  sizes: [100, 1000, 10_000],
  batchSizes: [100, 1000],
  naiveMax: 10_000,
  buildSizes: [1000, 10_000],
  hugoOneCoreMax: 1000,
  buildRuns: 1,
  singleRuns: 5,
  batchRuns: 2,
  coldLoadRuns: 20,
  parseArticles: 1000,
};

export const FULL_PLAN: BenchPlan = {
  mode: 'full',
  sizes: [100, 1000, 10_000, 100_000],
  batchSizes: [100, 1000, 10_000, 100_000],
  naiveMax: 10_000,
  buildSizes: [100, 1000, 10_000, 100_000],
  hugoOneCoreMax: 10_000,
  buildRuns: 3,
  singleRuns: 10,
  batchRuns: 2,
  coldLoadRuns: 40,
  parseArticles: 10_000,
};

export const BUCKETS: ArchiveBuckets & { naiveSite: string } = {
  inbox: 'inbox',
  site: 'site',
  state: 'state',
  naiveSite: 'naive-site',
};
const BATCH_UPLOADS = 100;
/** V8 limits for the capped memory run: a 128 MB function, 96 MB of it for the old generation. */
const HEAP_CAP_128MB = '--max-old-space-size=96 --max-semi-space-size=4';
/** Messages per invocation: infra's `batchSize`, which is also SQS FIFO's maximum for Lambda. */
const BATCH_SIZE = 10;
export const SITE = resolveSiteConfig({
  baseUrl: 'https://news.example.org',
  title: 'dropfeed bench',
  description: 'Synthetic articles',
  language: 'en',
  maxItems: 50,
});

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The function environment: what infra sets on the Lambda, pointed at the bench's S3 server. */
export function functionEnv(endpoint: string, siteBucket: string, nodeOptions: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_OPTIONS: nodeOptions,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    INBOX_BUCKET: BUCKETS.inbox,
    SITE_BUCKET: siteBucket,
    STATE_BUCKET: BUCKETS.state,
    SITE_BASE_URL: SITE.baseUrl,
    SITE_TITLE: SITE.title,
    SITE_DESCRIPTION: SITE.description,
    SITE_LANGUAGE: SITE.language,
    MAX_ITEMS: String(SITE.maxItems),
    S3_ENDPOINT: endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    LOG_LEVEL: 'info',
  };
}

/** Fresh articles to upload during the measures, keyed apart from the archive's. */
async function uploadPool(dir: string, n: number): Promise<UploadedObject[]> {
  await writeCorpus(dir, n, 4242, UPLOAD_DAYS);
  const names = await corpusFiles(dir);
  return Promise.all(
    names.map(async (name) => ({
      key: `new-${name}`,
      bytes: new Uint8Array(await readFile(join(dir, name))),
    })),
  );
}

/** Hands out distinct uploads, so no run republishes an article another run already published. */
function dealer(pool: readonly UploadedObject[]) {
  let next = 0;
  return (count: number): PublishRun => {
    if (next + count > pool.length) throw new Error(`upload pool exhausted (${pool.length})`);
    const uploads = pool.slice(next, next + count);
    next += count;
    return { uploads };
  };
}

/**
 * s3rver keeps every object as three small files; seeding 100,000 articles writes over a million. On a
 * memory file system (tmpfs) that costs a fraction of the system time it costs on disk, so /dev/shm is
 * used when there is comfortably enough free memory for it (about 60 KiB per article, twice over).
 */
export function s3DataRoot(articles: number): string {
  const needed = articles * 60 * 1024 * 2;
  return existsSync('/dev/shm') && freemem() > needed ? '/dev/shm' : tmpdir();
}

/** A seeded archive: its own S3 server, kept running while the archives take turns. */
interface Archive {
  readonly articles: number;
  readonly corpusDir: string;
  readonly s3: BenchS3;
  readonly client: S3Client;
  /** Hands out this archive's uploads. */
  readonly deal: (count: number) => PublishRun;
  readonly seedNote: string;
}

async function openArchive(
  articles: number,
  corpusDir: string,
  pool: readonly UploadedObject[],
  root: string,
): Promise<Archive> {
  const s3 = await startBenchS3([BUCKETS.inbox, BUCKETS.site, BUCKETS.state, BUCKETS.naiveSite], root);
  const client = createS3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    const seed = await seedArchive(s3.directory, BUCKETS, corpusDir, SITE);
    const seedNote = `${articles.toLocaleString('en-US')}: inbox written in ${formatMs(seed.writeMs)}, rebuild() in ${formatMs(seed.rebuildMs)}`;
    log(`seeded ${seedNote}`);
    return { articles, corpusDir, s3, client, deal: dealer(pool), seedNote };
  } catch (error) {
    client.destroy();
    await s3.stop();
    throw error;
  }
}

async function closeArchive(archive: Archive): Promise<void> {
  archive.client.destroy();
  await archive.s3.stop();
}

function publishSetup(
  archive: Archive,
  functionFile: string,
  siteBucket: string,
  workerFile: string,
  nodeOptions: string,
): PublishSetup {
  return {
    s3: archive.s3,
    client: archive.client,
    inboxBucket: BUCKETS.inbox,
    workerFile,
    functionFile,
    env: functionEnv(archive.s3.endpoint, siteBucket, nodeOptions),
    batchSize: BATCH_SIZE,
  };
}

/** Measures keep their responses for the smoke test; the results file does not need them. */
function strip(m: PublishMeasure & { responses?: unknown }): PublishMeasure {
  const { responses: _responses, ...rest } = m;
  return rest;
}

/**
 * The naive run at a size it was not run at: LIST pages and GETs scale with the archive exactly (1 LIST per
 * 1,000 keys, 1 GET per article), its few PUTs do not; time scales linearly (it is dominated by the GETs).
 */
export function extrapolateNaive(from: PublishMeasure, articles: number): PublishMeasure {
  const factor = articles / from.articles;
  const r = from.requests;
  const requests = {
    ...r,
    get: Math.round(r.get * factor),
    head: Math.round(r.head * factor),
    list: Math.ceil((from.articles * factor) / 1000),
    bytesOut: Math.round(r.bytesOut * factor),
  };
  return {
    ...from,
    articles,
    medianMs: from.medianMs * factor,
    minMs: from.minMs * factor,
    maxMs: from.maxMs * factor,
    coldMs: from.coldMs * factor,
    requests,
    totalRequests:
      requests.get +
      requests.head +
      requests.put +
      requests.copy +
      requests.post +
      requests.list +
      requests.delete +
      requests.other,
    peakRssMiB: Number.NaN,
    rssDeltaMiB: Number.NaN,
    peakHeapMiB: Number.NaN,
    extrapolatedFrom: from.articles,
  };
}

async function measureParse(corpusDir: string): Promise<ParseMeasure> {
  const names = await corpusFiles(corpusDir);
  const inputs = await Promise.all(
    names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(join(corpusDir, name))) })),
  );
  const totalBytes = inputs.reduce((sum, i) => sum + i.bytes.byteLength, 0);
  // One untimed pass warms the JIT, as a long-lived Lambda container or a build of many files would be.
  for (const input of inputs.slice(0, 200)) await parseArticle(input.name, input.bytes);
  const started = performance.now();
  let accepted = 0;
  for (const input of inputs) if ((await parseArticle(input.name, input.bytes)).ok) accepted++;
  const ms = performance.now() - started;
  if (accepted !== inputs.length)
    throw new Error(`parser rejected ${inputs.length - accepted} synthetic articles`);
  return {
    articles: inputs.length,
    ms,
    articlesPerSecond: inputs.length / (ms / 1000),
    mibPerSecond: totalBytes / MIB / (ms / 1000),
    source: 'bench/run.ts (parseArticle over the corpus, in-process, after a warm-up)',
    oversizeCliMs: await measureOversizeCli(corpusDir),
  };
}

/** What an editor sees: the whole `dropfeed parse` process on a 2 MiB file, which must be refused from its size. */
async function measureOversizeCli(corpusDir: string): Promise<number> {
  const file = join(corpusDir, '..', 'oversize-2mib.txt');
  await writeFile(file, `date 2025-01-01\n\nTitle\n\n${'word '.repeat((2 * MIB) / 5)}`);
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    try {
      execFileSync(process.execPath, ['bin/dropfeed.js', 'parse', file], { stdio: 'ignore' });
      throw new Error('dropfeed parse accepted a 2 MiB file');
    } catch (error) {
      if ((error as { status?: number }).status !== 1) throw error;
    }
    times.push(performance.now() - started);
  }
  await rm(file, { force: true });
  return times.sort((a, b) => a - b)[2] ?? Number.NaN;
}

function mix(m: PublishMeasure): S3RequestMix {
  const per = (v: number) => v / m.uploads;
  const r = m.requests;
  return {
    get: per(r.get + r.other),
    head: per(r.head),
    put: per(r.put),
    copy: per(r.copy),
    post: per(r.post),
    list: per(r.list),
    delete: per(r.delete),
  };
}

export function costMeasure(
  upload: readonly PublishMeasure[],
  batch: readonly PublishMeasure[],
  naive: readonly PublishMeasure[],
  memoryMb: number,
  memorySource: string,
  at: number,
): CostMeasure | null {
  const single = upload.find((m) => m.articles === at);
  if (!single) return null;
  const batched = batch.find((m) => m.articles === at);
  const baseline = naive.find((m) => m.articles === at);
  const stretch = lambdaCpuStretch(memoryMb);
  const rows: { approach: string; uploadsPerInvocation: number; invocationMs: number; s3: S3RequestMix }[] = [
    {
      approach: 'dropfeed, 1 upload per invocation',
      uploadsPerInvocation: 1,
      invocationMs: single.medianMs,
      s3: mix(single),
    },
    {
      approach: `dropfeed, 1 upload per invocation, ×${round(stretch, 2)} CPU`,
      uploadsPerInvocation: 1,
      invocationMs: single.medianMs * stretch,
      s3: mix(single),
    },
  ];
  if (batched) {
    const perInvocation = batched.uploads / batched.invocations;
    rows.push({
      approach: `dropfeed, batches of ${perInvocation}`,
      uploadsPerInvocation: perInvocation,
      invocationMs: batched.medianMs / batched.invocations,
      s3: mix(batched),
    });
  }
  if (baseline) {
    const label = baseline.extrapolatedFrom !== undefined ? ' (extrapolated)' : '';
    rows.push({
      approach: `naive, 1 upload per invocation${label}`,
      uploadsPerInvocation: 1,
      invocationMs: baseline.medianMs,
      s3: mix(baseline),
    });
    // A naive function handed 10 messages still republishes once: its S3 work is per invocation.
    const perInvocation = BATCH_SIZE;
    const s3 = mix(baseline);
    rows.push({
      approach: `naive, batches of ${perInvocation}${label}`,
      uploadsPerInvocation: perInvocation,
      invocationMs: baseline.medianMs,
      s3: Object.fromEntries(
        Object.entries(s3).map(([k, v]) => [k, v / perInvocation]),
      ) as unknown as S3RequestMix,
    });
  }
  return {
    memoryMb,
    memorySource,
    articles: at,
    rows: rows.map((row) => ({
      approach: row.approach,
      uploadsPerInvocation: row.uploadsPerInvocation,
      invocationMs: row.invocationMs,
      cost: costPer1000Uploads({
        s3PerUpload: row.s3,
        invocationMs: row.invocationMs,
        uploadsPerInvocation: row.uploadsPerInvocation,
        memoryMb,
      }),
    })),
  };
}

export function checkTargets(r: {
  upload: readonly PublishMeasure[];
  batch?: readonly PublishMeasure[];
  capped?: BenchResults['memoryCapped'];
  naive: readonly PublishMeasure[];
  build: readonly BuildMeasure[];
  bundle: BundleMeasure | null;
}): TargetCheck[] {
  const at = (rows: readonly PublishMeasure[], n: number) => rows.find((m) => m.articles === n);
  const u100 = at(r.upload, 100);
  const u1k = at(r.upload, 1000);
  const u10k = at(r.upload, 10_000);
  const u100k = at(r.upload, 100_000);
  const n10k = at(r.naive, 10_000);
  const largest = [...r.upload].sort((a, b) => b.articles - a.articles)[0];
  const targets: TargetCheck[] = [];
  if (u10k && n10k) {
    const ratio = n10k.medianMs / u10k.medianMs;
    targets.push({
      name: 'one upload at 10,000 vs naive',
      target: '≥ 100× faster',
      actual: `${formatRatio(ratio)} (${formatMs(u10k.medianMs)} vs ${formatMs(n10k.medianMs)})`,
      met: ratio >= 100,
    });
  } else
    targets.push({
      name: 'one upload at 10,000 vs naive',
      target: '≥ 100× faster',
      actual: '—',
      met: null,
      note: 'not run at 10,000',
    });
  if (u10k && u100) {
    const diff = u10k.totalRequests - u100.totalRequests;
    targets.push({
      name: 'S3 requests per upload, 10,000 vs 100',
      target: 'equal ±2',
      actual: `${u10k.totalRequests} vs ${u100.totalRequests} (${diff >= 0 ? '+' : ''}${diff})`,
      met: Math.abs(diff) <= 2,
    });
  } else
    targets.push({
      name: 'S3 requests per upload, 10,000 vs 100',
      target: 'equal ±2',
      actual: '—',
      met: null,
    });
  if (u100k && u1k) {
    const ratio = u100k.medianMs / u1k.medianMs;
    targets.push({
      name: 'time per upload, 100,000 vs 1,000',
      target: '≤ 1.5×',
      actual: `${formatRatio(ratio)} (${formatMs(u100k.medianMs)} vs ${formatMs(u1k.medianMs)})`,
      met: ratio <= 1.5,
    });
  } else
    targets.push({
      name: 'time per upload, 100,000 vs 1,000',
      target: '≤ 1.5×',
      actual: '—',
      met: null,
      note: 'full run only',
    });
  if (u100k) {
    // Lambda's Max Memory Used is the process peak; batches of 10 are how the queue delivers under load.
    const b100k = at(r.batch ?? [], 100_000);
    const uncapped = Math.max(u100k.peakRssMiB, b100k?.peakRssMiB ?? 0);
    const capped = r.capped && r.capped.articles === 100_000 ? r.capped : null;
    targets.push({
      name: 'handler peak memory at 100,000',
      target: '< 128 MB',
      actual: capped
        ? `${round(capped.peakRssMiB)} MiB peak RSS, batches of 10 with V8 capped as for a 128 MB function (${HEAP_CAP_128MB}); uncapped: one upload ${round(u100k.peakRssMiB)} MiB, batches ${round(b100k?.peakRssMiB ?? Number.NaN)} MiB`
        : `${round(uncapped)} MiB peak RSS, uncapped`,
      met: (capped?.peakRssMiB ?? uncapped) < 128,
      ...(capped && uncapped >= 128
        ? { note: 'uncapped, V8 sizes its heap from this 24 GiB machine and collects lazily' }
        : {}),
    });
  } else {
    targets.push({
      name: 'handler peak memory at 100,000',
      target: '< 128 MB',
      actual: largest
        ? `${round(largest.peakRssMiB)} MiB at ${largest.articles.toLocaleString('en-US')}`
        : '—',
      met: null,
      note: 'full run only',
    });
  }
  // Every size is a target of its own: at small sizes the fixed start-up decides, at large ones throughput.
  const builds = [...r.build].filter((b) => b.hugo).sort((a, b) => a.articles - b.articles);
  for (const b of builds) {
    if (!b.hugo) continue;
    const ratio = b.dropfeed.articlesPerSecond / b.hugo.articlesPerSecond;
    targets.push({
      name: `full build at ${b.articles.toLocaleString('en-US')}, articles/s vs Hugo`,
      target: '≥ 1×',
      actual: `${formatRatio(ratio)} (${Math.round(b.dropfeed.articlesPerSecond)} vs ${Math.round(b.hugo.articlesPerSecond)} articles/s; ${formatMs(b.dropfeed.wallMs)} vs ${formatMs(b.hugo.wallMs)})`,
      met: ratio >= 1,
    });
  }
  if (builds.length === 0)
    targets.push({
      name: 'full build vs Hugo',
      target: '≥ 1×',
      actual: '—',
      met: null,
      note: 'hugo not installed',
    });
  if (r.bundle) {
    const ratio = r.bundle.handler.cold.importMs / r.bundle.bare.cold.importMs;
    targets.push({
      name: 'bundle cold load vs bare S3-client handler',
      target: '≤ 1.25×',
      actual: `${formatRatio(ratio)} (${formatMs(r.bundle.handler.cold.importMs)} vs ${formatMs(r.bundle.bare.cold.importMs)})`,
      met: ratio <= 1.25,
    });
  } else
    targets.push({
      name: 'bundle cold load vs bare S3-client handler',
      target: '≤ 1.25×',
      actual: '—',
      met: null,
    });
  return targets;
}

/** Cost per 1,000 uploads at 10,000 articles (or the largest size measured), at the construct's memory. */
async function costOf(
  upload: readonly PublishMeasure[],
  batch: readonly PublishMeasure[],
  naive: readonly PublishMeasure[],
  sizes: readonly number[],
): Promise<CostMeasure | null> {
  const { memoryMb, source } = await lambdaMemory();
  const costAt = sizes.includes(10_000) ? 10_000 : (sizes.at(-1) ?? 100);
  return costMeasure(upload, batch, naive, memoryMb, source, costAt);
}

async function lambdaMemory(): Promise<{ memoryMb: number; source: string }> {
  try {
    const { FEED_PIPELINE_DEFAULTS } = (await import('../infra/defaults.ts')) as {
      FEED_PIPELINE_DEFAULTS: { memorySize: number };
    };
    return { memoryMb: FEED_PIPELINE_DEFAULTS.memorySize, source: 'infra/defaults.ts memorySize' };
  } catch {
    return { memoryMb: 512, source: 'assumed default' };
  }
}

export async function runBench(plan: BenchPlan, command: string): Promise<BenchResults> {
  const started = performance.now();
  // Under the repository, so the bundles resolve `@aws-sdk/client-s3` from node_modules as in Lambda.
  const tmp = resolve('bench/results/tmp/run');
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const notes: string[] = [];

  log('bundling the handler, the naive baseline and the worker');
  const bundling = await lambdaBundling();
  const bundles = await bundleFunctions(tmp, bundling);
  const files = { handler: bundles.handler.file, naive: bundles.naive.file, worker: bundles.worker };

  log('bundle size and cold load');
  // Importing the handler reads its configuration: give it the Lambda's variables (no server is contacted).
  const bundle = await measureBundles(
    tmp,
    bundling,
    bundles.handler,
    plan.coldLoadRuns,
    functionEnv('http://127.0.0.1:9', BUCKETS.site, bundling.nodeOptions),
    bundles.lazyPackages,
  );
  log(`cold import ${formatMs(bundle.handler.cold.importMs)} vs bare ${formatMs(bundle.bare.cold.importMs)}`);

  const pool = await uploadPool(
    join(tmp, 'uploads'),
    plan.singleRuns + 1 + (plan.batchRuns + 3) * BATCH_UPLOADS + 8,
  );
  const upload: PublishMeasure[] = [];
  const batch: PublishMeasure[] = [];
  const naive: PublishMeasure[] = [];
  const buildRows: BuildMeasure[] = [];
  const hugo = await hugoAvailable();
  if (!hugo) notes.push('Hugo is not installed (`apt-get install hugo`): the Hugo columns were skipped.');
  let parse: ParseMeasure | null = null;
  let warmedBuild = false;
  let buildStartup: BenchResults['buildStartup'] = null;
  let capped: BenchResults['memoryCapped'] = null;

  // Every archive is seeded first and kept running, so the single uploads can take turns between sizes.
  const root = s3DataRoot(plan.sizes.reduce((sum, n) => sum + n, 0));
  const archives: Archive[] = [];
  try {
    for (const articles of plan.sizes) {
      const corpusDir = join(tmp, `corpus-${articles}`);
      log(`corpus of ${articles.toLocaleString('en-US')}`);
      await writeCorpus(corpusDir, articles, articles);
      const archive = await openArchive(articles, corpusDir, pool, root);
      archives.push(archive);
      notes.push(`Seeding ${archive.seedNote}.`);
    }

    log('single uploads, the archives taking turns');
    const singles = await measurePublishInterleaved(
      archives.map((a) => ({
        setup: publishSetup(a, files.handler, BUCKETS.site, files.worker, bundling.nodeOptions),
        articles: a.articles,
        runs: Array.from({ length: plan.singleRuns + 1 }, () => a.deal(1)),
      })),
    );
    for (const m of singles) {
      upload.push(strip(m));
      log(
        `upload @${m.articles}: ${formatMs(m.medianMs)}, ${m.totalRequests} requests, ${round(m.peakRssMiB)} MiB`,
      );
    }

    // Each archive leaves the list as it is closed, so the `finally` below closes only what is left.
    for (let archive = archives.shift(); archive; archive = archives.shift()) {
      const { articles } = archive;
      try {
        if (articles <= plan.naiveMax) {
          // At 10,000 one naive run takes many seconds: it is its own cold and only timed run there.
          const naiveRuns = articles >= 10_000 ? 1 : 4;
          const m = await measurePublish(
            publishSetup(archive, files.naive, BUCKETS.naiveSite, files.worker, bundling.nodeOptions),
            articles,
            Array.from({ length: naiveRuns }, () => archive.deal(1)),
          );
          naive.push(strip(m));
          log(`naive @${articles}: ${formatMs(m.medianMs)}, ${m.totalRequests} requests`);
        }
        if (plan.batchSizes.includes(articles)) {
          const m = await measurePublish(
            publishSetup(archive, files.handler, BUCKETS.site, files.worker, bundling.nodeOptions),
            articles,
            Array.from({ length: plan.batchRuns + 1 }, () => archive.deal(BATCH_UPLOADS)),
          );
          batch.push(strip(m));
          log(`batch @${articles}: ${formatMs(m.medianMs)}, ${m.totalRequests} requests`);
        }
        if (articles === plan.sizes.at(-1)) {
          // V8 sizes its heap from the machine (GiBs here) and collects lazily; capped as for a 128 MB
          // function, the same batches show what the work needs, not what an idle collector let pile up.
          const nodeOptions = `${bundling.nodeOptions} ${HEAP_CAP_128MB}`.trim();
          const m = await measurePublish(
            publishSetup(archive, files.handler, BUCKETS.site, files.worker, nodeOptions),
            articles,
            Array.from({ length: 2 }, () => archive.deal(BATCH_UPLOADS)),
          );
          capped = { ...strip(m), nodeOptions };
          log(`batch @${articles}, heap capped: ${formatMs(m.medianMs)}, ${round(m.peakRssMiB)} MiB`);
        }
      } finally {
        await closeArchive(archive);
      }
    }
  } finally {
    await Promise.all(archives.map(closeArchive));
  }

  for (const articles of plan.sizes) {
    const corpusDir = join(tmp, `corpus-${articles}`);
    if (articles === plan.parseArticles) parse = await measureParse(corpusDir);
    if (plan.buildSizes.includes(articles)) {
      const workDir = join(tmp, `build-${articles}`);
      if (!warmedBuild) {
        // Builds the CLI's bundle and warms the page cache for both tools; not recorded.
        await measureBuild({ corpusDir, workDir, articles, site: SITE, hugo, hugoOneCore: false });
        warmedBuild = true;
        buildStartup = await measureStartup(workDir, hugo);
      }
      const hugoOneCore = hugo && articles <= plan.hugoOneCoreMax;
      const runs = articles > 10_000 ? 1 : plan.buildRuns;
      const row = await measureBuild({ corpusDir, workDir, articles, site: SITE, hugo, hugoOneCore, runs });
      buildRows.push(row);
      log(
        `build @${articles}: dropfeed ${Math.round(row.dropfeed.articlesPerSecond)}/s` +
          (row.hugo ? `, hugo ${Math.round(row.hugo.articlesPerSecond)}/s` : ''),
      );
    }
  }
  // Only now, with every build done (see measureBuild).
  for (const articles of plan.sizes) {
    await rm(join(tmp, `corpus-${articles}`), { recursive: true, force: true });
    await rm(join(tmp, `build-${articles}`), { recursive: true, force: true });
  }
  const largestNaive = naive.at(-1);
  if (largestNaive) {
    for (const articles of plan.sizes) {
      if (articles > plan.naiveMax) naive.push(extrapolateNaive(largestNaive, articles));
    }
  }

  const cost = await costOf(upload, batch, naive, plan.sizes);
  notes.push(
    `All archives are seeded first and stay up; the ${plan.singleRuns + 1} single uploads (first cold, median of the rest) then take turns between the archive sizes, so load on the shared machine hits every size alike. Then per size: the naive baseline (${plan.naiveMax.toLocaleString('en-US')} articles at most; 4 runs below 10,000, 1 run at 10,000; above that extrapolated linearly and labelled so) and ${plan.batchRuns + 1} batches of ${BATCH_UPLOADS} (first cold). Each publish measure has a fresh worker process. Every upload is a new article, so an archive grows by a few hundred articles during its measures (most visible at 100).`,
    `Bundling settings: ${bundling.source}; cold loads run with NODE_OPTIONS='${bundling.nodeOptions}' as the function does.`,
  );
  if (plan.mode === 'quick')
    notes.push(
      'Quick mode: no 100,000 archive, fewer runs; targets that need the full run show "not measured".',
    );
  const results: BenchResults = {
    version: 1,
    generatedAt: new Date().toISOString(),
    mode: plan.mode,
    command,
    durationS: (performance.now() - started) / 1000,
    machine: machineInfo(),
    sizes: plan.sizes,
    upload,
    batch,
    naive,
    build: buildRows,
    buildStartup,
    memoryCapped: capped,
    bundle,
    cost,
    parse,
    targets: checkTargets({ upload, batch, capped, naive, build: buildRows, bundle }),
    notes,
  };
  return results;
}

/** Where a run's files go: a full run's are the committed ones, a quick run's stay beside them. */
export function outputPaths(mode: BenchResults['mode']) {
  return mode === 'full'
    ? { dir: 'bench/results', markdown: 'BENCHMARKS.md', svgFromMarkdown: 'bench/results/scaling.svg' }
    : {
        dir: 'bench/results/quick',
        markdown: 'bench/results/quick/BENCHMARKS.md',
        svgFromMarkdown: 'scaling.svg',
      };
}

export async function writeResults(results: BenchResults): Promise<string> {
  const out = outputPaths(results.mode);
  await mkdir(out.dir, { recursive: true });
  await writeFile(join(out.dir, 'latest.json'), `${JSON.stringify(results, roundNumbers, 2)}\n`);
  await writeFile(join(out.dir, 'scaling.svg'), scalingSvg(results));
  await writeFile(out.markdown, renderBenchmarksMd(results, out.svgFromMarkdown));
  return out.markdown;
}

/** Four significant digits are plenty for a noisy machine and keep the committed JSON small. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? round(value, 4) : value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, report: { type: 'boolean', default: false } },
  });
  if (values.report) {
    // Regenerates the plot and BENCHMARKS.md from the recorded results, measuring nothing.
    const recorded = JSON.parse(await readFile('bench/results/latest.json', 'utf8')) as BenchResults;
    // Costs are measured requests and durations at today's prices (bench/cost.ts): recomputed, so a price
    // corrected in code reaches the report without measuring again.
    const results = {
      ...recorded,
      cost: await costOf(recorded.upload, recorded.batch, recorded.naive, recorded.sizes),
    };
    const markdown = await writeResults(results);
    log(`bench/results/scaling.svg and ${markdown} regenerated from bench/results/latest.json`);
    return;
  }
  const plan = values.quick ? QUICK_PLAN : FULL_PLAN;
  const command = values.quick ? 'npm run bench -- --quick' : 'npm run bench';
  const results = await runBench(plan, command);
  const markdown = await writeResults(results);
  await rm('bench/results/tmp/run', { recursive: true, force: true });
  for (const t of results.targets) {
    log(`${t.met === null ? '·' : t.met ? '✓' : '✗'} ${t.name}: ${t.actual} (target ${t.target})`);
  }
  log(`done in ${round(results.durationS, 3)} s: ${outputPaths(results.mode).dir}/, ${markdown}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve('bench/run.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}

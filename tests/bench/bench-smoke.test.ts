/**
 * The bench harness at a tiny size (20 articles): proves each measure runs and counts what it claims, so
 * `npm run bench` is not first exercised on a 100,000-article run. No timing is asserted (timing belongs to
 * the bench itself); counts, outputs and arithmetic are.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeedReport, seedArchive } from '../../bench/archive.ts';
import { measureBuild, measureStartup } from '../../bench/build-bench.ts';
import {
  bundleFunctions,
  type FunctionBundles,
  lambdaBundling,
  measureBundles,
} from '../../bench/bundle-bench.ts';
import { corpusFiles, UPLOAD_DAYS, writeCorpus } from '../../bench/corpus.ts';
import { costPer1000Uploads, PRICES } from '../../bench/cost.ts';
import type { UploadedObject } from '../../bench/events.ts';
import { buildHugoSite, hugoAvailable, writeHugoSite } from '../../bench/hugo.ts';
import { machineInfo } from '../../bench/machine.ts';
import { naivePublish } from '../../bench/naive.ts';
import { scalingSvg } from '../../bench/plot.ts';
import { measurePublish } from '../../bench/publish-bench.ts';
import { renderBenchmarksMd } from '../../bench/report.ts';
import type { BenchResults, PublishMeasure } from '../../bench/results-model.ts';
import { BUCKETS, checkTargets, extrapolateNaive, functionEnv, SITE } from '../../bench/run.ts';
import { type BenchS3, startBenchS3 } from '../../bench/s3-harness.ts';
import { slugForKey } from '../../shared/article/slug.ts';
import { createS3Client, createS3Store } from '../../shared/store/s3-store.ts';

const ARTICLES = 20;

let tmp: string;
let corpusDir: string;
let s3: BenchS3;
let client: S3Client;
let seed: SeedReport;
let bundles: FunctionBundles;
let nodeOptions: string;
let uploads: UploadedObject[];

beforeAll(async () => {
  // Under the repository, so the bundles resolve `@aws-sdk/client-s3` from node_modules as in Lambda.
  await mkdir('bench/results/tmp', { recursive: true });
  tmp = resolve(await mkdtemp('bench/results/tmp/smoke-'));
  corpusDir = join(tmp, 'corpus');
  await writeCorpus(corpusDir, ARTICLES, 7);
  await writeCorpus(join(tmp, 'uploads'), 3, 4242, UPLOAD_DAYS);
  uploads = await Promise.all(
    (await corpusFiles(join(tmp, 'uploads'))).map(async (name) => ({
      key: `new-${name}`,
      bytes: new Uint8Array(await readFile(join(tmp, 'uploads', name))),
    })),
  );
  s3 = await startBenchS3([BUCKETS.inbox, BUCKETS.site, BUCKETS.state, BUCKETS.naiveSite]);
  client = createS3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  seed = await seedArchive(s3.directory, BUCKETS, corpusDir, SITE);
  const bundling = await lambdaBundling();
  nodeOptions = bundling.nodeOptions;
  bundles = await bundleFunctions(tmp, bundling);
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('bench harness at 20 articles', () => {
  let naive: Awaited<ReturnType<typeof measurePublish>>;
  let upload: PublishMeasure;

  it('seeds the archive on disk and derives state and site with one rebuild', async () => {
    expect(seed.articles).toBe(ARTICLES);
    expect(seed.rebuild).toMatchObject({ articles: ARTICLES, published: ARTICLES });
    // The running server serves what was written to its disk.
    const page = await client.send(
      new GetObjectCommand({
        Bucket: BUCKETS.site,
        Key: `articles/${slugForKey('story-000000.txt')}/index.html`,
      }),
    );
    expect(await page.Body?.transformToString()).toContain('<html');
  });

  it('the naive baseline lists the inbox and GETs every article', async () => {
    s3.counter.reset();
    const result = await naivePublish(
      createS3Store(client, BUCKETS.inbox),
      createS3Store(client, BUCKETS.naiveSite),
      SITE,
    );
    const inbox = s3.counter.byBucket()[BUCKETS.inbox];
    const site = s3.counter.byBucket()[BUCKETS.naiveSite];
    expect(result).toMatchObject({
      listed: ARTICLES,
      fetched: ARTICLES,
      published: ARTICLES,
      rejected: 0,
      written: 4,
    });
    expect(inbox).toMatchObject({ list: 1, get: ARTICLES, put: 0 });
    expect(site).toMatchObject({ put: 4, get: 0 });
    expect(inbox?.bytesOut).toBeGreaterThan(ARTICLES * 500);
  });

  it('runs the naive baseline bundled, in a worker, counted by the server', async () => {
    naive = await measurePublish(
      {
        s3,
        client,
        inboxBucket: BUCKETS.inbox,
        workerFile: bundles.worker,
        functionFile: bundles.naive.file,
        env: functionEnv(s3.endpoint, BUCKETS.naiveSite, nodeOptions),
        batchSize: 10,
      },
      ARTICLES,
      [{ uploads: uploads.slice(0, 1) }],
    );
    // The upload made it 21 articles, every one read again.
    expect(naive.requests.get).toBe(ARTICLES + 1);
    expect(naive.requests.list).toBe(1);
    expect(naive.responses[0]).toMatchObject({ fetched: ARTICLES + 1, published: ARTICLES + 1 });
  });

  it('publishes uploads through the real handler without listing, and reports memory', async () => {
    upload = await measurePublish(
      {
        s3,
        client,
        inboxBucket: BUCKETS.inbox,
        workerFile: bundles.worker,
        functionFile: bundles.handler.file,
        env: functionEnv(s3.endpoint, BUCKETS.site, nodeOptions),
        batchSize: 10,
      },
      ARTICLES + 1,
      [{ uploads: uploads.slice(1, 2) }, { uploads: uploads.slice(2, 3) }],
    );
    expect(upload.runs).toBe(1);
    expect(upload.invocations).toBe(1);
    expect(upload.totalRequests).toBeGreaterThan(0);
    expect(upload.requests.get).toBeGreaterThan(0);
    expect(upload.requests.put).toBeGreaterThan(0);
    expect(upload.requests.list).toBe(0);
    expect(upload.totalRequests).toBeLessThan(naive.totalRequests);
    expect(upload.peakRssMiB).toBeGreaterThan(upload.rssDeltaMiB);
    expect(upload.peakHeapMiB).toBeGreaterThan(0);
    for (const u of uploads.slice(1)) {
      const page = await client.send(
        new GetObjectCommand({ Bucket: BUCKETS.site, Key: `articles/${slugForKey(u.key)}/index.html` }),
      );
      expect(page.$metadata.httpStatusCode).toBe(200);
    }
  });

  it('extrapolates the naive baseline with exact request arithmetic, labelled', () => {
    const at100k = extrapolateNaive(naive, 100_000);
    expect(at100k.extrapolatedFrom).toBe(ARTICLES);
    expect(at100k.requests.list).toBe(100);
    expect(at100k.requests.get).toBe(Math.round((naive.requests.get * 100_000) / ARTICLES));
    expect(at100k.requests.put).toBe(naive.requests.put);
    expect(Number.isNaN(at100k.peakRssMiB)).toBe(true);
  });

  it('writes a well-formed scaling plot and a BENCHMARKS.md with every measure and target', () => {
    const results: BenchResults = {
      version: 1,
      generatedAt: '2026-01-01T00:00:00.000Z',
      mode: 'quick',
      command: 'npm run bench -- --quick',
      durationS: 1,
      machine: machineInfo(),
      sizes: [ARTICLES, 100_000],
      upload: [upload],
      batch: [],
      naive: [naive, extrapolateNaive(naive, 100_000)],
      build: [],
      buildStartup: null,
      memoryCapped: null,
      bundle: null,
      cost: null,
      parse: null,
      targets: checkTargets({ upload: [upload], naive: [naive], build: [], bundle: null }),
      notes: ['smoke'],
    };
    const svg = scalingSvg(results);
    const parser = new SaxesParser();
    const elements: string[] = [];
    parser.on('opentag', (tag) => elements.push(tag.name));
    parser.write(svg).close();
    expect(elements[0]).toBe('svg');
    expect(elements.filter((e) => e === 'circle').length).toBeGreaterThanOrEqual(3 * 2);
    expect(svg).toContain('naive: list + get + parse all');

    const markdown = renderBenchmarksMd(results);
    for (const heading of [
      '## Machine',
      '## Targets',
      '## 1. Publishing one upload',
      '## 4. Full build',
      '## 6. Cost',
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('extrapolated linearly from 20');
    expect(markdown).toContain('bench/results/scaling.svg');
    expect(results.targets.every((t) => t.met === null)).toBe(true);
  });
});

describe('Lambda bundle measure', () => {
  it('bundles the real and the bare handler with the same settings and cold-loads both', async () => {
    const bundling = await lambdaBundling();
    const measure = await measureBundles(
      tmp,
      bundling,
      bundles.handler,
      2,
      functionEnv('http://127.0.0.1:9', BUCKETS.site, bundling.nodeOptions),
    );
    expect(measure.handler.bytes).toBe(bundles.handler.bytes);
    // The handler ships parser, renderers and pipeline; the bare one only names the SDK it imports.
    expect(measure.handler.bytes).toBeGreaterThan(measure.bare.bytes * 100);
    expect(measure.handler.cold.runs).toBe(2);
    expect(measure.handler.cold.importMs).toBeGreaterThan(0);
    expect(measure.bare.cold.importMs).toBeGreaterThan(0);
    expect(measure.handler.cold.processMs).toBeGreaterThan(measure.handler.cold.importMs);
  });
});

describe('cost model', () => {
  it('prices requests, queue and Lambda at the published list prices', () => {
    const cost = costPer1000Uploads({
      s3PerUpload: { get: 2, head: 1, put: 3, copy: 0, post: 0, list: 1, delete: 5 },
      invocationMs: 99.2,
      uploadsPerInvocation: 1,
      memoryMb: 512,
    });
    expect(cost.s3).toBeCloseTo(1000 * (4 * 0.000005 + 3 * 0.0000004), 12);
    // SendMessage + ReceiveMessage + DeleteMessageBatch per single-message batch.
    expect(cost.sqs).toBeCloseTo(3000 * 0.0000005, 12);
    // Billed per started millisecond: 100 ms at 0.5 GB.
    expect(cost.lambdaDuration).toBeCloseTo(1000 * 0.1 * 0.5 * PRICES.lambdaArmGbSecond, 12);
    expect(cost.lambdaRequests).toBeCloseTo(1000 * 0.0000002, 12);
    // S3's events are EventBridge "opt-in data events": $1.00 per million, one per upload.
    expect(cost.eventBridge).toBeCloseTo(1000 * 0.000001, 12);
    expect(cost.total).toBeCloseTo(
      cost.s3 + cost.sqs + cost.eventBridge + cost.lambdaDuration + cost.lambdaRequests,
      12,
    );
  });
});

describe('build comparison at 20 articles', () => {
  it('times dropfeed build, and Hugo when it is installed (skipped columns otherwise)', async () => {
    const hugo = await hugoAvailable();
    const row = await measureBuild({
      corpusDir,
      workDir: join(tmp, 'build'),
      articles: ARTICLES,
      site: SITE,
      hugo,
      hugoOneCore: hugo,
    });
    expect(row.dropfeed.articlesPerSecond).toBeGreaterThan(0);
    expect(row.dropfeed.maxRssMiB).toBeGreaterThan(0);
    if (hugo) expect(row.hugoOneCore?.maxRssMiB).toBeGreaterThan(0);
    else expect(row.hugo).toBeNull();
    const startup = await measureStartup(join(tmp, 'build'), hugo);
    expect(startup.dropfeedMs).toBeGreaterThan(0);
    expect(startup.hugoMs === null).toBe(!hugo);
  });

  it('gives Hugo the same articles as a site with one page each and one feed', async () => {
    if (!(await hugoAvailable())) {
      await expect(buildHugoSite(join(tmp, 'none'), join(tmp, 'none-out'))).rejects.toThrow();
      return;
    }
    const site = join(tmp, 'hugo-site');
    const out = join(tmp, 'hugo-out');
    const articles = Array.from({ length: 3 }, (_, i) => ({
      slug: `a-${i}`,
      title: `Title <${i}> & "quotes"`,
      published: `2024-01-0${i + 1}T08:00:00Z`,
      summary: 'Summary *not emphasis*',
      author: i === 0 ? 'Grace Mbeki' : null,
      paragraphs: ['First [paragraph].', 'Second # paragraph.'],
    }));
    await writeHugoSite(site, articles, { ...SITE, maxItems: 2 });
    await buildHugoSite(site, out);
    expect((await readdir(join(out, 'articles'))).sort()).toEqual(['a-0', 'a-1', 'a-2']);
    const page = await readFile(join(out, 'articles', 'a-0', 'index.html'), 'utf8');
    expect(page).toContain('First [paragraph].');
    const rss = await readFile(join(out, 'index.xml'), 'utf8');
    expect(rss.match(/<item>/g)?.length).toBe(2);
  });
});

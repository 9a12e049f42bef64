/**
 * The serverless pipeline and `dropfeed build` publish the same site. A varied corpus (samples, examples,
 * edge cases including rejected files and a draft, generated articles, a key with spaces, Markdown, a
 * picture beside an article, a stray non-article file) is uploaded all at once to a real S3 server
 * (s3rver, in-process), its events are duplicated, shuffled and delivered in batches of ten through the
 * handler's path (tests/pipeline/harness.ts); the same files are built into a folder with the same site
 * settings. Every file of the site bucket must equal the built file byte for byte, with its content type,
 * and every rejected file must have its report in the state bucket and still be in the inbox.
 *
 * Undated articles are dated by their first upload time: S3's LastModified for the pipeline, the file's
 * mtime for the build. The folder's files get their object's LastModified as mtime, as a sync tool that
 * preserves times would give them, so undated articles are compared too.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../shared/pipeline/json-doc.ts';
import { type RejectionReport, reportKey } from '../../shared/pipeline/state.ts';
import type { SiteConfig } from '../../shared/render/model.ts';
import { MANIFEST_FILE } from '../../shared/site/manifest.ts';
import { createHarness, type Harness, shuffled } from '../pipeline/harness.ts';
import { type S3TestServer, startS3Server } from '../support/s3-server.ts';
import { SPACED_KEY, UNDATED_KEYS, writeVariedCorpus } from './corpus.ts';
import { type ExpectedInbox, expectedInbox, listKeys } from './expected.ts';
import { contentTypeFor, dropfeedBuild } from './site.ts';

// maxItems below the number of articles, so the pipeline's feed window and the build's selection meet.
const SITE: SiteConfig = {
  baseUrl: 'https://news.example.org/valley',
  title: 'Valley Wire',
  description: 'Everything dropped in the inbox, once.',
  language: 'en-GB',
  maxItems: 25,
  imageUrl: 'https://news.example.org/valley/logo.png',
  author: 'The Valley Desk',
};

let s3: S3TestServer;
let work: string;
let inboxDir: string;
let outDir: string;
let harness: Harness;
let expected: ExpectedInbox;
let keys: string[];
let siteObjects: Map<string, { body: string; contentType: string | undefined }>;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
  work = mkdtempSync(join(tmpdir(), 'dropfeed-parity-'));
  inboxDir = join(work, 'inbox');
  outDir = join(work, 'site');
  await writeVariedCorpus(inboxDir, { generated: 30 });
  writeFileSync(join(inboxDir, 'notes.pdf'), '%PDF-1.4 not an article');
  keys = listKeys(inboxDir).sort();
  expected = await expectedInbox(inboxDir);

  harness = await createHarness(s3, { site: SITE });
  // All at once: every upload in flight together, in no particular order.
  await Promise.all(shuffled(keys, 3).map((key) => harness.upload(key, readFileSync(join(inboxDir, key)))));
  const events = harness.takeEvents();
  expect(events).toHaveLength(keys.length);
  const chaos = shuffled([...events, ...events, ...shuffled(events, 5).slice(0, 20)], 17);
  for (let i = 0; i < chaos.length; i += 10) {
    const response = await harness.deliver(chaos.slice(i, i + 10));
    expect(response.batchItemFailures).toEqual([]);
  }

  for (const key of keys) {
    const info = await harness.inbox.head(key);
    if (!info) throw new Error(`${key} is not in the inbox`);
    utimesSync(join(inboxDir, key), info.lastModified, info.lastModified);
  }
  const config = join(work, 'dropfeed.config.json');
  writeFileSync(config, JSON.stringify(SITE));
  const build = await dropfeedBuild(inboxDir, outDir, ['--config', config]);
  expect(build.code, build.stderr).toBe(0);

  siteObjects = new Map(
    [...(await harness.siteSnapshot())].map(([key, object]) => [
      key,
      { body: object.body, contentType: object.contentType },
    ]),
  );
}, 120_000);

afterAll(async () => {
  harness?.stopCapture();
  await s3?.stop();
  rmSync(work, { recursive: true, force: true });
});

function builtFiles(): string[] {
  return (readdirSync(outDir, { recursive: true }) as string[])
    .map((p) => p.split('\\').join('/'))
    .filter((p) => p !== MANIFEST_FILE && statSync(join(outDir, p)).isFile())
    .sort();
}

describe('the pipeline and `dropfeed build` publish the same site', () => {
  it('the corpus has what the comparison needs: rejections, a draft, undated articles, a spaced key, pictures', () => {
    expect(expected.published.length).toBeGreaterThan(SITE.maxItems);
    expect(expected.rejected.length).toBeGreaterThanOrEqual(5);
    expect(expected.drafts.length).toBeGreaterThanOrEqual(1);
    expect(expected.published.filter((a) => a.article.date === null).length).toBeGreaterThanOrEqual(
      UNDATED_KEYS.length,
    );
    expect(keys).toContain(SPACED_KEY);
    expect(keys.filter((k) => /\.(png|jpg)$/.test(k)).length).toBeGreaterThanOrEqual(2);
  });

  it('the site bucket holds exactly the files the build wrote', () => {
    expect([...siteObjects.keys()].sort()).toEqual(builtFiles());
  });

  it('feeds, index page, every article page, stylesheets and pictures are byte-identical', () => {
    const differing: string[] = [];
    for (const path of builtFiles()) {
      const built = readFileSync(join(outDir, path)).toString('base64');
      if (siteObjects.get(path)?.body !== built) differing.push(path);
    }
    expect(differing).toEqual([]);
    for (const path of ['feed.xml', 'atom.xml', 'feed.json', 'index.html'])
      expect(siteObjects.has(path)).toBe(true);
    const pages = builtFiles().filter((p) => p.startsWith('articles/'));
    expect(pages).toHaveLength(expected.published.length);
  });

  it('every object carries the content type its kind of file is published with', () => {
    for (const [path, object] of siteObjects) expect(object.contentType, path).toBe(contentTypeFor(path));
  });

  it('every rejected file and the draft have their report, and are still in the inbox', async () => {
    for (const { key, reason } of expected.rejected) {
      const report = (await readJson<RejectionReport>(harness.state, reportKey(key))).value;
      expect(report, key).not.toBeNull();
      expect(report?.key).toBe(key);
      expect(report?.reason).toBe(reason);
      expect(report?.published).toBe('not-published');
      expect(await harness.inbox.head(key), key).not.toBeNull();
    }
    for (const key of expected.drafts) {
      expect((await readJson<RejectionReport>(harness.state, reportKey(key))).value?.code, key).toBe('draft');
      expect(await harness.inbox.head(key), key).not.toBeNull();
    }
  });

  it('published articles and files that are not articles have no report', async () => {
    for (const key of [...expected.published.map((a) => a.key), 'notes.pdf']) {
      expect((await readJson<RejectionReport>(harness.state, reportKey(key))).value, key).toBeNull();
    }
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runRebuild } from '../../cli/rebuild.ts';
import { isArticleKey } from '../../shared/article/slug.ts';
import { EXAMPLES_DIR } from '../../shared/dev/samples.ts';
import { type DevRuntime, type DevSiteOptions, startDev } from '../../shared/dev/start-dev.ts';
import {
  articleUrl,
  editorClient,
  eventually,
  inAllFeeds,
  inAnyFeed,
  readFeeds,
  remove,
  textArticle,
  untilInAllFeeds,
  untilInNoFeed,
  upload,
} from './dev-support.ts';

/**
 * `dropfeed dev` end to end, in-process: the embedded S3 server, the real Lambda handler behind the FIFO
 * queue, the site server. Every change goes in through the S3 API, every check reads the HTTP site or
 * the buckets through the SDK, as an editor and a reader would.
 */
describe('dropfeed dev, end to end', () => {
  let dataDir: string;
  let dev: DevRuntime;
  let client: S3Client;
  const lines: string[] = [];

  const start = (ports: { s3Port: number; httpPort: number }, site: DevSiteOptions = {}) =>
    startDev({ dataDir, ...ports, site, log: (line) => lines.push(line), handlerLog: 'pretty' });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dropfeed-dev-'));
    dev = await start({ s3Port: 0, httpPort: 0 });
    client = editorClient(dev.s3Endpoint);
    await dev.idle();
  });
  afterAll(async () => {
    client?.destroy();
    await dev?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const stateObject = async (key: string) => {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: 'state', Key: key }));
      return JSON.parse((await out.Body?.transformToString()) ?? 'null') as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };

  it('publishes the repository’s examples in all three feeds at first start', async () => {
    const examples = (await readdir(EXAMPLES_DIR)).filter(isArticleKey);
    expect(examples.length).toBeGreaterThan(0);
    expect([...dev.seededSamples].sort()).toEqual(expect.arrayContaining(examples));
    const feeds = await readFeeds(dev.siteUrl);
    const published = [];
    for (const key of examples) {
      if ((await stateObject(`reports/${key}.json`)) !== undefined) continue;
      published.push(key);
      expect(inAllFeeds(feeds, articleUrl(dev.siteUrl, key)), key).toBe(true);
    }
    expect(published.length).toBeGreaterThan(0);
  });

  it('an uploaded article reaches the three feeds and its own page', async () => {
    const key = 'dev-e2e-fresh.txt';
    await upload(client, key, textArticle('Fresh Article From The Dev Runtime'));
    const url = articleUrl(dev.siteUrl, key);
    await untilInAllFeeds(dev.siteUrl, url, `${key} in the feeds`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Fresh Article From The Dev Runtime');
    await dev.idle(); // the log line follows the feed write
    expect(lines).toContain(`${key} → published`);
  });

  it('deleting the object removes the article from every feed and its page', async () => {
    const key = 'dev-e2e-short-lived.txt';
    const url = articleUrl(dev.siteUrl, key);
    await upload(client, key, textArticle('Short Lived Article'));
    await untilInAllFeeds(dev.siteUrl, url, `${key} published`);
    await remove(client, key);
    await untilInNoFeed(dev.siteUrl, url, `${key} gone from the feeds`);
    // The page goes after the feeds stop pointing at it.
    await eventually(async () => (await fetch(url)).status === 404, `${key} page gone`);
    await dev.idle(); // the log line follows the feed write
    expect(lines).toContain(`${key} → removed`);
  });

  it('an edited upload updates the same item: same id, same link, new title', async () => {
    const key = 'dev-e2e-edited.txt';
    const url = articleUrl(dev.siteUrl, key);
    await upload(client, key, textArticle('First Headline'));
    await untilInAllFeeds(dev.siteUrl, url, `${key} published`);
    await upload(client, key, textArticle('Corrected Headline'));
    const feeds = await eventually(async () => {
      const current = await readFeeds(dev.siteUrl);
      return current.json.items.find((item) => item.id === url)?.title === 'Corrected Headline'
        ? current
        : undefined;
    }, `${key} retitled`);
    expect(feeds.json.items.filter((item) => item.id === url)).toHaveLength(1);
    expect(feeds.json.items.find((item) => item.id === url)?.url).toBe(url);
    expect(feeds.rss).not.toContain('First Headline');
    expect(await (await fetch(url)).text()).toContain('Corrected Headline');
  });

  it('keys with spaces, plus signs, percent signs and accents work end to end', async () => {
    const key = 'Dossiers/Café + Bar 100% Opening.txt';
    const url = articleUrl(dev.siteUrl, key);
    await upload(client, key, textArticle('Café Opens With A Plus'));
    await untilInAllFeeds(dev.siteUrl, url, `'${key}' published`);
    await remove(client, key);
    await untilInNoFeed(dev.siteUrl, url, `'${key}' removed`);
  });

  it('a rejected file gets a report in the state bucket, stays in the inbox, and stays out of the feeds', async () => {
    const key = 'dev-e2e-empty.txt';
    await upload(client, key, new Uint8Array(0));
    const report = await eventually(() => stateObject(`reports/${key}.json`), `report for ${key}`);
    expect(report).toMatchObject({ key, code: 'empty' });
    expect((await client.send(new HeadObjectCommand({ Bucket: 'inbox', Key: key }))).ContentLength).toBe(0);
    expect(inAnyFeed(await readFeeds(dev.siteUrl), articleUrl(dev.siteUrl, key))).toBe(false);
    await dev.idle(); // the log line follows the feed write
    expect(lines.some((line) => line.startsWith(`${key} → rejected:`))).toBe(true);
  });

  it('serves every site object with the Content-Type and Cache-Control stored on it', async () => {
    const expected: Record<string, [string, string]> = {
      'feed.xml': ['application/rss+xml; charset=utf-8', 'public, max-age=300'],
      'atom.xml': ['application/atom+xml; charset=utf-8', 'public, max-age=300'],
      'feed.json': ['application/feed+json; charset=utf-8', 'public, max-age=300'],
      'index.html': ['text/html; charset=utf-8', 'public, max-age=300'],
    };
    const listing = await client.send(new ListObjectsV2Command({ Bucket: 'site' }));
    const keys = (listing.Contents ?? []).map((object) => object.Key ?? '');
    expect(keys).toEqual(expect.arrayContaining(Object.keys(expected)));
    for (const key of keys) {
      const stored = await client.send(new HeadObjectCommand({ Bucket: 'site', Key: key }));
      const response = await fetch(`${dev.siteUrl}/${key.split('/').map(encodeURIComponent).join('/')}`, {
        method: 'HEAD',
      });
      expect(response.status, key).toBe(200);
      expect(response.headers.get('content-type'), key).toBe(stored.ContentType);
      expect(response.headers.get('cache-control'), key).toBe(stored.CacheControl);
      const want =
        expected[key] ??
        (key.startsWith('articles/') ? ['text/html; charset=utf-8', 'public, max-age=3600'] : undefined);
      if (want) expect([stored.ContentType, stored.CacheControl], key).toEqual(want);
    }
  });

  it('only inbox events reach the handler: the pipeline’s own writes do not loop', async () => {
    await dev.idle();
    const before = lines.length;
    const key = 'dev-e2e-one-event.txt';
    await upload(client, key, textArticle('One Upload, One Line'));
    await untilInAllFeeds(dev.siteUrl, articleUrl(dev.siteUrl, key), `${key} published`);
    // The pipeline has written pages, feeds and state by now; any of those forwarded would log a line.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await dev.idle();
    expect(lines.slice(before)).toEqual([`${key} → published`]);
    expect(dev.deadLetters).toEqual([]);
  });

  it('dropfeed rebuild re-derives the site from the running server’s inbox and prints a summary', async () => {
    await dev.idle();
    const printed: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let code: number;
    try {
      code = await runRebuild(['--endpoint', dev.s3Endpoint, '--base-url', dev.siteUrl, '--json']);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    const summary = JSON.parse(printed.join('')) as {
      articles: number;
      published: number;
      actions: Record<string, number>;
    };
    const inbox = await client.send(new ListObjectsV2Command({ Bucket: 'inbox' }));
    expect(summary.articles).toBe((inbox.Contents ?? []).filter((o) => isArticleKey(o.Key ?? '')).length);
    expect(summary.published).toBe((await readFeeds(dev.siteUrl)).json.items.length);
    expect(summary.actions.published ?? 0).toBe(0);
  });

  it('a restart with the same data directory resumes: nothing re-seeded, no rebuild, feeds intact, uploads work', async () => {
    const ports = {
      s3Port: Number(new URL(dev.s3Endpoint).port),
      httpPort: Number(new URL(dev.siteUrl).port),
    };
    const kept = articleUrl(dev.siteUrl, 'dev-e2e-fresh.txt');
    await dev.stop();
    client.destroy();
    const before = lines.length;
    dev = await start(ports);
    client = editorClient(dev.s3Endpoint);
    expect(dev.seededSamples).toEqual([]);
    await dev.idle();
    expect(lines.slice(before)).toEqual([]);
    expect(inAllFeeds(await readFeeds(dev.siteUrl), kept)).toBe(true);
    const key = 'dev-e2e-after-restart.txt';
    await upload(client, key, textArticle('Written After The Restart'));
    await untilInAllFeeds(dev.siteUrl, articleUrl(dev.siteUrl, key), `${key} published`);
  });

  it('a restart with other site options rebuilds the site with them', async () => {
    const ports = {
      s3Port: Number(new URL(dev.s3Endpoint).port),
      httpPort: Number(new URL(dev.siteUrl).port),
    };
    await dev.stop();
    client.destroy();
    dev = await start(ports, { title: 'Renamed Local Site' });
    client = editorClient(dev.s3Endpoint);
    await dev.idle();
    expect(lines).toContain('rebuilding the site: the site options changed');
    const feeds = await readFeeds(dev.siteUrl);
    expect(feeds.rss).toContain('<title>Renamed Local Site</title>');
    expect(inAllFeeds(feeds, articleUrl(dev.siteUrl, 'dev-e2e-fresh.txt'))).toBe(true);
  });
});

describe('dropfeed dev with classic S3 notifications (form-encoded keys)', () => {
  let dataDir: string;
  let dev: DevRuntime;
  let client: S3Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dropfeed-dev-notif-'));
    dev = await startDev({
      dataDir,
      s3Port: 0,
      httpPort: 0,
      samples: false,
      eventShape: 's3-notification',
      log: () => {},
    });
    client = editorClient(dev.s3Endpoint);
  });
  afterAll(async () => {
    client?.destroy();
    await dev?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a key with spaces, plus and percent signs and accents survives the encoding both ways', async () => {
    const key = 'Dossiers/Café + Bar 100% Opening.txt';
    const url = articleUrl(dev.siteUrl, key);
    await upload(client, key, textArticle('Café Opens With A Plus'));
    await untilInAllFeeds(dev.siteUrl, url, `'${key}' published`);
    await remove(client, key);
    await untilInNoFeed(dev.siteUrl, url, `'${key}' removed`);
    expect(dev.deadLetters).toEqual([]);
  });
});

/**
 * Real feed readers against a real build served over HTTP: `dropfeed build` of a varied corpus, served on
 * a loopback port with the site's content types, read by sfeed (Debian `sfeed`) and newsboat (Debian
 * `newsboat`, its cache read with Debian `sqlite3`). Every article the parser accepts must be listed by
 * both readers, from both the RSS and the Atom feed, with the right title, link, author and date.
 * Both readers accept malformed XML silently, so validity is checked elsewhere (w3c-rules.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugForKey } from '../../shared/article/slug.ts';
import { SPACED_KEY, UNDATED_KEYS, writeVariedCorpus } from './corpus.ts';
import { type ExpectedArticle, expectedAuthor, expectedInbox } from './expected.ts';
import {
  type BuildOutcome,
  dropfeedBuild,
  fetchText,
  newsboatItems,
  type ReaderItem,
  type ServedSite,
  serveFolder,
  sfeedItems,
} from './site.ts';

const SITE_TITLE = 'Conformance Gazette';
const DAY_START_SECONDS = 6 * 3600;
const DAY_WINDOW_SECONDS = 12 * 3600;

let work: string;
let served: ServedSite;
let build: BuildOutcome;
let expected: ExpectedArticle[];
let jsonDates: Map<string, string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dropfeed-readers-'));
  const inbox = join(work, 'inbox');
  const out = join(work, 'site');
  await writeVariedCorpus(inbox, { generated: 40 });
  expected = (await expectedInbox(inbox)).published;
  served = await serveFolder(out);
  build = await dropfeedBuild(inbox, out, [
    '--base-url',
    served.baseUrl,
    '--title',
    SITE_TITLE,
    '--max-items',
    '1000',
  ]);
  const json = JSON.parse((await fetchText(`${served.baseUrl}/feed.json`)).body) as {
    items: { url: string; date_published: string }[];
  };
  jsonDates = new Map(json.items.map((i) => [i.url, i.date_published]));
});

afterAll(async () => {
  await served?.close();
  rmSync(work, { recursive: true, force: true });
});

const linkOf = (a: ExpectedArticle) => `${served.baseUrl}/articles/${a.slug}/`;

/** The reader's items by link; a link listed twice is a failure of its own. */
function byLink(items: readonly ReaderItem[]): Map<string, ReaderItem> {
  const map = new Map(items.map((i) => [i.link, i]));
  expect(map.size, 'a link listed twice').toBe(items.length);
  return map;
}

function expectListsEveryArticle(items: readonly ReaderItem[]): void {
  const listed = byLink(items);
  expect([...listed.keys()].sort()).toEqual(expected.map(linkOf).sort());
  const undatedMs = Math.floor(expected.find((a) => a.key === UNDATED_KEYS[0])?.mtime.getTime() ?? 0);
  for (const a of expected) {
    const item = listed.get(linkOf(a)) as ReaderItem;
    const label = `${a.key} (${item.title})`;
    expect(item.title, label).toBe(a.article.title);
    expect(item.author, label).toBe(expectedAuthor(a.article, SITE_TITLE));
    expect(item.id, label).toBe(linkOf(a));
    // Every reader sees the date the JSON Feed states, to the second.
    expect(item.timestamp, label).toBe(Date.parse(jsonDates.get(linkOf(a)) as string) / 1000);
    if (a.article.date) {
      // Dated: on that day, within the publishing window (06:00Z + up to 12 h, plus tie-break seconds).
      const dayStart = Date.parse(`${a.article.date}T00:00:00Z`) / 1000;
      expect(item.timestamp - dayStart, label).toBeGreaterThanOrEqual(DAY_START_SECONDS);
      expect(item.timestamp - dayStart, label).toBeLessThan(DAY_START_SECONDS + DAY_WINDOW_SECONDS + 60);
    } else {
      // Undated: the file's mtime (the stand-in for the upload time), moved by whole seconds at most as
      // many as there are undated articles sharing it.
      const mtime = Math.floor(a.mtime.getTime() / 1000);
      expect(item.timestamp - mtime, label).toBeGreaterThanOrEqual(0);
      expect(item.timestamp - mtime, label).toBeLessThan(UNDATED_KEYS.length + expected.length);
    }
  }
  // The three undated notices share one mtime second and still get three distinct times.
  const undated = UNDATED_KEYS.map((k) => expected.find((a) => a.key === k) as ExpectedArticle);
  const times = undated.map((a) => (listed.get(linkOf(a)) as ReaderItem).timestamp);
  expect(new Set(times).size).toBe(UNDATED_KEYS.length);
  expect(Math.min(...times)).toBe(Math.floor(undatedMs / 1000));
}

describe('a varied corpus through `dropfeed build`, served on localhost', () => {
  it('builds, publishing exactly what the parser accepts', () => {
    expect(build.code, build.stderr).toBe(0);
    expect(expected.length).toBeGreaterThan(60);
    expect(build.stdout).toMatch(new RegExp(`^dropfeed build: ${expected.length} published`));
    expect([...jsonDates.keys()].sort()).toEqual(expected.map(linkOf).sort());
  });

  it('serves each feed with its media type', async () => {
    for (const [path, type] of [
      ['feed.xml', 'application/rss+xml; charset=utf-8'],
      ['atom.xml', 'application/atom+xml; charset=utf-8'],
      ['feed.json', 'application/feed+json; charset=utf-8'],
    ]) {
      const file = await fetchText(`${served.baseUrl}/${path}`);
      expect(file.status).toBe(200);
      expect(file.contentType).toBe(type);
    }
  });

  for (const feed of ['feed.xml', 'atom.xml']) {
    it(`sfeed lists every accepted article from ${feed} with the right title, link, author and date`, async () => {
      const file = await fetchText(`${served.baseUrl}/${feed}`);
      const items = sfeedItems(file.body);
      expectListsEveryArticle(items);
      const slug = slugForKey(SPACED_KEY);
      const withPicture = items.find((i) => i.link === `${served.baseUrl}/articles/${slug}/`);
      expect(withPicture?.enclosure).toBe(`${served.baseUrl}/media/${slug}.png`);
    });

    it(`newsboat fetches ${feed} over HTTP and lists every accepted article with the right title, link, author and date`, async () => {
      const items = await newsboatItems(`${served.baseUrl}/${feed}`, join(work, `newsboat-${feed}`));
      expectListsEveryArticle(items);
    });
  }
});

/**
 * Links of a built site, followed over HTTP: every item link of every feed answers its article page, every
 * page (index and articles) names the three feeds for autodiscovery and in its visible subscribe links,
 * and every link and picture inside the site resolves.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attr, findAll, parsePage } from '../render/html-support.ts';
import { feedparser } from '../render/support.ts';
import { writeVariedCorpus } from './corpus.ts';
import { expectedInbox } from './expected.ts';
import { dropfeedBuild, fetchText, type ServedSite, serveFolder } from './site.ts';

let work: string;
let out: string;
let served: ServedSite;
let publishedCount: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dropfeed-links-'));
  const inbox = join(work, 'inbox');
  out = join(work, 'site');
  await writeVariedCorpus(inbox, { generated: 20 });
  publishedCount = (await expectedInbox(inbox)).published.length;
  served = await serveFolder(out);
  const build = await dropfeedBuild(inbox, out, ['--base-url', served.baseUrl, '--max-items', '1000']);
  expect(build.code, build.stderr).toBe(0);
});

afterAll(async () => {
  await served?.close();
  rmSync(work, { recursive: true, force: true });
});

const FEED_TYPES = [
  ['feed.xml', 'application/rss+xml'],
  ['atom.xml', 'application/atom+xml'],
  ['feed.json', 'application/feed+json'],
] as const;

async function itemLinks(): Promise<{ feed: string; link: string; enclosures: string[] }[]> {
  const links: { feed: string; link: string; enclosures: string[] }[] = [];
  for (const feed of ['feed.xml', 'atom.xml']) {
    for (const entry of feedparser((await fetchText(`${served.baseUrl}/${feed}`)).body).entries) {
      links.push({ feed, link: entry.link, enclosures: entry.enclosures.map((e) => e.href) });
    }
  }
  const json = JSON.parse((await fetchText(`${served.baseUrl}/feed.json`)).body) as {
    items: { url: string; image?: string }[];
  };
  for (const item of json.items)
    links.push({ feed: 'feed.json', link: item.url, enclosures: item.image ? [item.image] : [] });
  return links;
}

/** Every page of the site on disk, as site paths (`index.html`, `articles/x/index.html`). */
function pagePaths(): string[] {
  return (readdirSync(out, { recursive: true }) as string[])
    .map((p) => p.split('\\').join('/'))
    .filter((p) => p.endsWith('.html'))
    .sort();
}

describe('links of a built site', () => {
  it('every item link of every feed answers its article page, whose canonical URL it is', async () => {
    const links = await itemLinks();
    expect(links).toHaveLength(3 * publishedCount);
    for (const { feed, link } of links) {
      expect(link.startsWith(`${served.baseUrl}/articles/`), `${feed}: ${link}`).toBe(true);
      const page = await fetchText(link);
      expect(page.status, `${feed}: ${link}`).toBe(200);
      expect(page.contentType).toBe('text/html; charset=utf-8');
      const { document } = parsePage(page.body);
      const canonical = findAll(document, (e) => e.tagName === 'link' && attr(e, 'rel') === 'canonical');
      expect(canonical.map((l) => attr(l, 'href'))).toEqual([link]);
    }
  });

  it('every enclosure and item picture is served with its media type', async () => {
    const pictures = [...new Set((await itemLinks()).flatMap((l) => l.enclosures))];
    expect(pictures.length).toBeGreaterThanOrEqual(2);
    for (const url of pictures) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toMatch(/^image\/(png|jpeg)$/);
    }
  });

  it('every page names its three feeds: autodiscovery links with the right types, and visible links', async () => {
    const pages = pagePaths();
    expect(pages).toHaveLength(publishedCount + 1);
    for (const path of pages) {
      const url = `${served.baseUrl}/${path.replace(/index\.html$/, '')}`;
      const page = await fetchText(url);
      expect(page.status, path).toBe(200);
      const { document, errors } = parsePage(page.body);
      expect(errors, path).toEqual([]);
      const alternates = findAll(document, (e) => e.tagName === 'link' && attr(e, 'rel') === 'alternate');
      expect(
        alternates.map((l) => [attr(l, 'type'), attr(l, 'href')]),
        path,
      ).toEqual(FEED_TYPES.map(([feed, type]) => [type, `${served.baseUrl}/${feed}`]));
      const visible = findAll(
        document,
        (e) => e.tagName === 'a' && FEED_TYPES.some(([, t]) => attr(e, 'type') === t),
      );
      expect(
        visible.map((a) => new URL(attr(a, 'href') ?? '', url).href),
        path,
      ).toEqual(FEED_TYPES.map(([feed]) => `${served.baseUrl}/${feed}`));
    }
  });

  it('every link and picture inside the site resolves', async () => {
    const checked = new Map<string, number>();
    for (const path of pagePaths()) {
      const url = `${served.baseUrl}/${path.replace(/index\.html$/, '')}`;
      const { document } = parsePage((await fetchText(url)).body);
      const refs = findAll(document, (e) => ['a', 'link', 'img'].includes(e.tagName))
        .map((e) => attr(e, e.tagName === 'img' ? 'src' : 'href'))
        .filter((ref): ref is string => ref !== undefined)
        .map((ref) => new URL(ref, url))
        .filter((target) => target.origin === served.baseUrl);
      for (const target of refs) {
        target.hash = '';
        // Addresses an author's Markdown points at inside the site, but no build writes, are not the site's.
        if (
          /\/articles\/town-hall-notes-[0-9a-f]{6}\/(agenda|maps)\/|\/articles\/minutes\.html/.test(
            target.pathname,
          )
        )
          continue;
        if (!checked.has(target.href)) checked.set(target.href, (await fetch(target.href)).status);
        expect(checked.get(target.href), `${path} → ${target.href}`).toBe(200);
      }
    }
    expect(checked.size).toBeGreaterThan(publishedCount);
  });
});

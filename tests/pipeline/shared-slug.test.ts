/**
 * `x.txt` beside `x.md` want the same slug. The first key in code-unit order that claims it owns it; a draft
 * or a file that does not parse claims nothing, so it never keeps the article beside it off the site
 * ("bad input never stops the articles beside it"), and `dropfeed build` of the same files agrees.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../shared/pipeline/json-doc.ts';
import type { RejectionReport } from '../../shared/pipeline/state.ts';
import { reportKey } from '../../shared/pipeline/state.ts';
import { resolveSiteConfig } from '../../shared/render/site-config.ts';
import { buildSite } from '../../shared/site/build-site.ts';
import { markdownArticle, textArticle } from '../factories/articles.ts';
import { type S3TestServer, startS3Server } from '../support/s3-server.ts';
import { createHarness, deliverOneByOne, type Harness, shuffled } from './harness.ts';

let s3: S3TestServer;
let work: string;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
  work = mkdtempSync(join(tmpdir(), 'dropfeed-shared-slug-'));
});
afterAll(async () => {
  await s3.stop();
  rmSync(work, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  'x.md': markdownArticle({ title: 'X as a draft', date: '2025-07-01', draft: true }),
  'x.txt': textArticle({ title: 'X as text', date: '2025-07-02' }),
  'y.md': '---\ntitle: [never closed\n---\n\nThe front matter is not YAML.\n',
  'y.txt': textArticle({ title: 'Y as text', date: '2025-07-03' }),
};

/** Title of the page at each `articles/<slug>/`, and the feed's items by link. */
async function published(h: Harness) {
  const snapshot = await h.siteSnapshot();
  const text = (path: string) => Buffer.from(snapshot.get(path)?.body ?? '', 'base64').toString('utf8');
  const pages = Object.fromEntries(
    [...snapshot.keys()]
      .filter((path) => /^articles\/[^/]+\/index\.html$/.test(path))
      .map((path) => [path, /<h1>([^<]*)<\/h1>/.exec(text(path))?.[1]]),
  );
  const feed = JSON.parse(text('feed.json')) as { items: { url: string; title: string }[] };
  return { pages, items: feed.items.map((i) => `${i.title} @ ${new URL(i.url).pathname}`).sort() };
}

async function report(h: Harness, key: string) {
  return (await readJson<RejectionReport>(h.state, reportKey(key))).value;
}

describe('two files wanting one slug', () => {
  it('a draft or unparseable x.md never keeps a good x.txt off the site, in any delivery order', async () => {
    const inOrder = await createHarness(s3);
    for (const [key, body] of Object.entries(FILES)) await inOrder.upload(key, body);
    const events = inOrder.takeEvents();
    await deliverOneByOne(inOrder, events);
    const expected = {
      pages: { 'articles/x/index.html': 'X as text', 'articles/y/index.html': 'Y as text' },
      items: ['X as text @ /articles/x/', 'Y as text @ /articles/y/'],
    };
    expect(await published(inOrder)).toEqual(expected);
    expect((await report(inOrder, 'x.md'))?.code).toBe('draft');
    expect((await report(inOrder, 'y.md'))?.code).toBe('malformed-front-matter');
    expect(await report(inOrder, 'x.txt')).toBeNull();

    const reversed = await inOrder.sibling();
    await deliverOneByOne(reversed, [...events].reverse());
    expect(await published(reversed)).toEqual(expected);
    const batched = await inOrder.sibling();
    expect((await batched.deliver(shuffled([...events, ...events], 5))).batchItemFailures).toEqual([]);
    expect(await published(batched)).toEqual(expected);
    const rebuilt = await inOrder.sibling();
    await rebuilt.pipeline.rebuild();
    expect(await published(rebuilt)).toEqual(expected);
  });

  it('the first key takes the slug back once it claims it, and hands it over when it goes', async () => {
    const h = await createHarness(s3);
    for (const [key, body] of Object.entries(FILES)) await h.upload(key, body);
    await deliverOneByOne(h, h.takeEvents());

    await h.upload('y.md', markdownArticle({ title: 'Y as markdown', date: '2025-07-04' }));
    await deliverOneByOne(h, h.takeEvents());
    expect(await published(h)).toEqual({
      pages: { 'articles/x/index.html': 'X as text', 'articles/y/index.html': 'Y as markdown' },
      items: ['X as text @ /articles/x/', 'Y as markdown @ /articles/y/'],
    });
    const conflict = await report(h, 'y.txt');
    expect(conflict?.code).toBe('slug-conflict');
    expect(conflict?.reason).toContain("'y.md'");

    await h.upload('y.md', markdownArticle({ title: 'Y as a draft now', date: '2025-07-04', draft: true }));
    await deliverOneByOne(h, h.takeEvents());
    expect((await published(h)).pages['articles/y/index.html']).toBe('Y as text');
    expect(await report(h, 'y.txt')).toBeNull();

    await h.upload('y.md', markdownArticle({ title: 'Y as markdown again', date: '2025-07-05' }));
    await deliverOneByOne(h, h.takeEvents());
    expect((await published(h)).pages['articles/y/index.html']).toBe('Y as markdown again');
    await h.remove('y.md');
    await deliverOneByOne(h, h.takeEvents());
    expect(await published(h)).toEqual({
      pages: { 'articles/x/index.html': 'X as text', 'articles/y/index.html': 'Y as text' },
      items: ['X as text @ /articles/x/', 'Y as text @ /articles/y/'],
    });
  });

  it('dropfeed build of the same files publishes the same articles at the same addresses', async () => {
    const inbox = join(work, 'inbox');
    const out = join(work, 'site');
    rmSync(inbox, { recursive: true, force: true });
    mkdirSync(inbox, { recursive: true });
    for (const [key, body] of Object.entries(FILES)) writeFileSync(join(inbox, key), body);
    const built = await buildSite({
      inboxDir: inbox,
      outDir: out,
      site: resolveSiteConfig({ baseUrl: 'https://news.example.org', title: 'Example News' }),
      threads: 1,
    });
    expect(built.published).toBe(2);
    expect(built.written.filter((path) => path.startsWith('articles/')).sort()).toEqual([
      'articles/x/index.html',
      'articles/y/index.html',
    ]);
    const title = (slug: string) =>
      /<h1>([^<]*)<\/h1>/.exec(readFileSync(join(out, 'articles', slug, 'index.html'), 'utf8'))?.[1];
    expect([title('x'), title('y')]).toEqual(['X as text', 'Y as text']);
    expect(built.drafts.map((n) => n.key)).toEqual(['x.md']);
    expect(built.rejected.map((n) => n.key)).toEqual(['y.md']);
  });
});

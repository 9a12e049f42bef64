/**
 * Hostile inbox KEYS through the pipeline: dot segments (`../../etc/passwd.txt`), a leading slash, doubled
 * slashes, names that look like site files (`feed.xml.md`), markup and quotes in names, and one name in
 * two Unicode normal forms. Every site path the pipeline writes must stay a plain path under the site,
 * every accepted article must be published once under its own slug, and no output may carry a hazard.
 *
 * The stores are the IN-MEMORY FAKE (shared/store/memory-store.ts), on purpose: S3 treats a key as an
 * opaque string, while s3rver maps keys onto file paths, normalises dot segments away and, for
 * `../../etc/passwd.txt`, writes outside its own directory (observed: it created /tmp/etc/…). Keys like
 * these cannot be exercised faithfully, or safely, on the emulator.
 */
import { describe, expect, it } from 'vitest';
import { slugForKey } from '../../shared/article/slug.ts';
import { createPipeline } from '../../shared/pipeline/pipeline.ts';
import type { SiteConfig } from '../../shared/render/model.ts';
import { createMemoryStore } from '../../shared/store/memory-store.ts';
import { textArticle } from '../factories/articles.ts';
import { hostileCorpus } from '../fixtures/hostile/corpus.ts';
import { checkSiteFiles } from './html-safety.ts';

const SITE: SiteConfig = {
  baseUrl: 'https://news.example.org',
  title: 'Hostile keys',
  description: 'Keys that try to climb out',
  language: 'en',
  maxItems: 100,
  imageUrl: null,
  author: null,
};

const NAMED =
  /^(?:caf|<script>|" onmouseover|javascript:|\.\.\.\.txt|feed\.xml|index\.html|assets\/|\.\.|\.\/|\/|folder|a\/|articles\/|%2e)/i;
const cases = hostileCorpus().filter((c) => c.keyOnly || (NAMED.test(c.name) && c.expect === 'accept'));

describe('hostile inbox keys through the pipeline', () => {
  it('publish every article under a plain, distinct path, and nothing else', async () => {
    const stores = { inbox: createMemoryStore(), site: createMemoryStore(), state: createMemoryStore() };
    for (const c of cases) await stores.inbox.put(c.name, c.bytes);
    const pipeline = createPipeline({
      ...stores,
      siteConfig: SITE,
      now: () => new Date('2025-08-01T12:00:00Z'),
    });
    const outcomes = await pipeline.handleChanges(
      cases.map((c) => ({ key: c.name, kind: 'upsert', eventTime: '2025-08-01T12:00:00Z' })),
    );
    expect(outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
    expect(cases.length).toBeGreaterThan(15);

    const paths = stores.site.keys();
    const files = await Promise.all(
      paths.map(async (path) => {
        const object = await stores.site.get(path);
        return {
          path,
          body: object?.body ?? new Uint8Array(),
          ...(object?.contentType ? { contentType: object.contentType } : {}),
        };
      }),
    );
    expect(checkSiteFiles(files).hazards).toEqual([]);

    const pages = paths.filter((p) => p.startsWith('articles/'));
    const expected = cases.map((c) => `articles/${slugForKey(c.name)}/index.html`);
    expect(new Set(expected).size).toBe(cases.length);
    expect(pages.sort()).toEqual([...expected].sort());
    expect(paths.filter((p) => !p.startsWith('articles/')).sort()).toEqual([
      'assets/feed.xsl',
      'assets/site.css',
      'atom.xml',
      'feed.json',
      'feed.xml',
      'index.html',
    ]);
    const feed = JSON.parse(new TextDecoder().decode((await stores.site.get('feed.json'))?.body)) as {
      items: { id: string }[];
    };
    expect(feed.items.map((i) => i.id).sort()).toEqual(
      cases.map((c) => `${SITE.baseUrl}/articles/${slugForKey(c.name)}/`).sort(),
    );
  });

  it('never publishes markup as a picture: an SVG is ignored, HTML named .jpg is served only as image/jpeg', async () => {
    const stores = { inbox: createMemoryStore(), site: createMemoryStore(), state: createMemoryStore() };
    const markup =
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>';
    await stores.inbox.put('vector-trick.txt', textArticle({ title: 'Vector trick' }));
    await stores.inbox.put('vector-trick.svg', markup);
    await stores.inbox.put('raster-trick.txt', textArticle({ title: 'Raster trick' }));
    await stores.inbox.put(
      'raster-trick.jpg',
      `<html><body><script>alert(1)</script>${markup}</body></html>`,
    );
    const pipeline = createPipeline({
      ...stores,
      siteConfig: SITE,
      now: () => new Date('2025-08-01T12:00:00Z'),
    });
    const keys = ['vector-trick.txt', 'vector-trick.svg', 'raster-trick.txt', 'raster-trick.jpg'];
    const outcomes = await pipeline.handleChanges(
      keys.map((key) => ({ key, kind: 'upsert', eventTime: '2025-08-01T12:00:00Z' })),
    );
    expect(outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
    const media = stores.site.keys().filter((k) => k.startsWith('media/'));
    expect(media.filter((k) => /\.svg$/i.test(k))).toEqual([]);
    for (const path of media) {
      // Served as a raster type, with nosniff from CloudFront, a browser never renders these bytes as markup.
      expect((await stores.site.head(path))?.contentType, path).toMatch(/^image\/(jpeg|png|gif|webp|avif)$/);
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEED_XSL } from '../../shared/render/assets.ts';
import {
  CACHE_CONTROL,
  CONTENT_TYPES,
  renderArticleFile,
  renderAssetFiles,
  renderFeedFiles,
  renderSiteFiles,
} from '../../shared/render/site.ts';
import { resolveSiteConfig, SiteConfigError } from '../../shared/render/site-config.ts';
import {
  assertJsonRoundTrip,
  assertWellFormedXml,
  MalformedOutputError,
} from '../../shared/render/well-formed.ts';
import { entries, entry, sampleEntries, site } from './factories.ts';
import { byTag, parsePage, textOf } from './html-support.ts';

describe('renderFeedFiles', () => {
  it('gives the three feeds and the index page with their content types and cache lifetimes', () => {
    const files = renderFeedFiles(sampleEntries(), site());
    expect(files.map((f) => [f.path, f.contentType, f.cacheControl])).toEqual([
      ['feed.xml', 'application/rss+xml; charset=utf-8', 'public, max-age=300'],
      ['atom.xml', 'application/atom+xml; charset=utf-8', 'public, max-age=300'],
      ['feed.json', 'application/feed+json; charset=utf-8', 'public, max-age=300'],
      ['index.html', 'text/html; charset=utf-8', 'public, max-age=300'],
    ]);
  });

  it('carries only the newest maxItems, newest first, whatever it is given', () => {
    const all = entries(30);
    const files = renderFeedFiles([...all].reverse(), site({ maxItems: 7 }));
    const json = JSON.parse(String(files.find((f) => f.path === 'feed.json')?.body));
    const newest = [...all].sort((a, b) => (a.published < b.published ? 1 : -1)).slice(0, 7);
    expect(json.items.map((i: { title: string }) => i.title)).toEqual(newest.map((e) => e.article.title));
    const index = parsePage(String(files.find((f) => f.path === 'index.html')?.body)).document;
    expect(byTag(index, 'li').filter((li) => byTag(li, 'article').length > 0)).toHaveLength(7);
  });
});

describe('renderArticleFile, renderAssetFiles, renderSiteFiles', () => {
  it('puts an article page at articles/<slug>/index.html, cached for an hour', () => {
    const file = renderArticleFile(entry({ key: 'news/x.txt', slug: 'x-abc123' }), site());
    expect(file).toMatchObject({
      path: 'articles/x-abc123/index.html',
      contentType: CONTENT_TYPES.html,
      cacheControl: 'public, max-age=3600',
    });
  });

  it('assets are constant and cached for a day', () => {
    const assets = renderAssetFiles(site());
    expect(assets.map((a) => [a.path, a.contentType, a.cacheControl])).toEqual([
      ['assets/site.css', 'text/css; charset=utf-8', CACHE_CONTROL.asset],
      ['assets/feed.xsl', 'text/xsl; charset=utf-8', CACHE_CONTROL.asset],
    ]);
    expect(renderAssetFiles(site({ title: 'Other' }))).toEqual(assets);
  });

  it('the whole site is feeds, index, assets and one page per entry, with no duplicate path', () => {
    const list = sampleEntries();
    const files = renderSiteFiles(list, site());
    const paths = files.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toHaveLength(4 + 2 + list.length);
    for (const e of list) expect(paths).toContain(`articles/${e.slug}/index.html`);
  });
});

describe('the XSL stylesheet', () => {
  // Saxon-HE comes with Debian's jing package (its dependency libsaxonhe-java), so it is there wherever jing is.
  const transform = (xml: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'dropfeed-xsl-'));
    try {
      writeFileSync(join(dir, 'feed.xml'), xml);
      writeFileSync(join(dir, 'feed.xsl'), FEED_XSL);
      const run = spawnSync(
        'java',
        [
          '-cp',
          '/usr/share/java/Saxon-HE.jar',
          'net.sf.saxon.Transform',
          `-s:${join(dir, 'feed.xml')}`,
          `-xsl:${join(dir, 'feed.xsl')}`,
        ],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`XSLT failed: ${run.stderr}`);
      return run.stdout;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('turns both RSS and Atom into a page listing every item title', () => {
    const list = sampleEntries();
    const [rss, atom] = renderFeedFiles(list, site());
    for (const feed of [rss, atom]) {
      const page = parsePage(transform(String(feed?.body))).document;
      expect(byTag(page, 'h2').map((h) => textOf(h))).toEqual(list.map((e) => e.article.title));
      expect(textOf(byTag(page, 'h1')[0] as never)).toBe('Example News');
    }
  });
});

describe('guards', () => {
  it('assertWellFormedXml names the file and the problem', () => {
    expect(() => assertWellFormedXml('feed.xml', '<rss><channel></rss>')).toThrow(MalformedOutputError);
    expect(() => assertWellFormedXml('feed.xml', '<a>\u0001</a>')).toThrow(/refusing to publish feed\.xml/);
    expect(() => assertWellFormedXml('feed.xml', '<a xmlns:x="u"><x:b/></a>')).not.toThrow();
    expect(() => assertWellFormedXml('feed.xml', '<a><y:b/></a>')).toThrow(/prefix/);
  });

  it('assertJsonRoundTrip refuses text that does not parse or re-serialise the same', () => {
    expect(() => assertJsonRoundTrip('feed.json', '{"a":')).toThrow(/refusing to publish feed\.json/);
    expect(() => assertJsonRoundTrip('feed.json', '{"a":1}')).toThrow(/round-trip/);
    expect(() => assertJsonRoundTrip('feed.json', '{\n  "a": 1\n}\n')).not.toThrow();
  });
});

describe('resolveSiteConfig', () => {
  it('normalises the base URL and fills defaults', () => {
    const config = resolveSiteConfig({ baseUrl: 'https://Example.org/news/' });
    expect(config.baseUrl).toBe('https://example.org/news');
    expect(config.maxItems).toBe(50);
    expect(resolveSiteConfig().baseUrl).toBe('http://localhost:8080');
  });

  it('refuses settings that would break feeds, naming the setting', () => {
    expect(() => resolveSiteConfig({ baseUrl: 'news.example.org' })).toThrow(SiteConfigError);
    expect(() => resolveSiteConfig({ baseUrl: 'ftp://example.org' })).toThrow(/http or https/);
    expect(() => resolveSiteConfig({ baseUrl: 'https://example.org/?a=1' })).toThrow(/query/);
    expect(() => resolveSiteConfig({ language: 'en"><script>' })).toThrow(/language/);
    expect(() => resolveSiteConfig({ maxItems: 0 })).toThrow(/maxItems/);
    expect(() => resolveSiteConfig({ title: '  ' })).toThrow(/title/);
  });
});

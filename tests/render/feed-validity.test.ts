import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../shared/render/atom.ts';
import { renderRss } from '../../shared/render/rss.ts';
import { entries, entry, JPEG_IMAGE, sampleEntries, site } from './factories.ts';
import { ATOM_SCHEMA, child, children, feedparser, jing, parseXml } from './support.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
const RFC_822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

describe('Atom against RFC 4287 (RELAX NG, jing)', () => {
  it('accepts the sample feed, an empty feed, and a full window', () => {
    for (const list of [sampleEntries(), [], entries(50)]) {
      const result = jing(ATOM_SCHEMA, renderAtom(list, site()));
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    }
  });

  it('is a real check: the same feed with an entry missing its id is refused', () => {
    const broken = renderAtom(sampleEntries(), site()).replace(
      /<id>https:\/\/news\.example\.org\/articles\/[^<]*<\/id>/,
      '',
    );
    const result = jing(ATOM_SCHEMA, broken);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/id/);
  });

  it('meets the rules the schema states only as Schematron: authors, and a link or content per entry', () => {
    const feed = parseXml(renderAtom(sampleEntries(), site({ author: null })));
    for (const entryElement of children(feed, 'entry', ATOM)) {
      expect(children(entryElement, 'author', ATOM)).toHaveLength(1);
      const alternate = children(entryElement, 'link', ATOM).filter(
        (l) => !l.attributes.rel || l.attributes.rel === 'alternate',
      );
      expect(alternate).toHaveLength(1);
    }
    expect(children(feed, 'author', ATOM)).toHaveLength(1);
  });
});

describe('an odd base URL', () => {
  it('with `&`, quotes and a path still gives valid feeds with the right links', () => {
    const odd = site({ baseUrl: "https://example.org/a&b/it's/" });
    const atom = renderAtom(sampleEntries(), odd);
    expect(jing(ATOM_SCHEMA, atom).ok).toBe(true);
    for (const xml of [atom, renderRss(sampleEntries(), odd)]) {
      const parsed = feedparser(xml);
      expect(parsed.bozo).toBe(false);
      expect(parsed.entries[0]?.link).toBe("https://example.org/a&b/it's/articles/undated-notice/");
    }
  });
});

describe('W3C-validator-style checks', () => {
  const list = sampleEntries();
  const rss = parseXml(renderRss(list, site()));
  const channel = child(rss, 'channel');
  const items = children(channel, 'item');

  it('RSS: unique permalink guids equal to the item links', () => {
    const guids = items.map((i) => child(i, 'guid'));
    expect(new Set(guids.map((g) => g.text)).size).toBe(items.length);
    for (const [i, guid] of guids.entries()) {
      expect(guid.attributes.isPermaLink).toBe('true');
      expect(guid.text).toBe(child(items[i] as never, 'link').text);
    }
  });

  it('RSS: pubDate and lastBuildDate in RFC 822 form; lastBuildDate is the newest update, not the clock', () => {
    for (const item of items) expect(child(item, 'pubDate').text).toMatch(RFC_822);
    const lastBuild = child(channel, 'lastBuildDate').text;
    expect(lastBuild).toMatch(RFC_822);
    const newest = list
      .map((e) => e.updated)
      .sort()
      .at(-1) as string;
    expect(new Date(lastBuild).toISOString().replace('.000', '')).toBe(newest);
  });

  it('RSS: no author element (it must be an email); dc:creator instead', () => {
    for (const item of items) {
      expect(children(item, 'author')).toHaveLength(0);
      expect(children(item, 'creator', 'http://purl.org/dc/elements/1.1/')).toHaveLength(1);
    }
  });

  it('RSS and Atom: the self link is the feed URL with the right type', () => {
    const self = children(channel, 'link', ATOM).find((l) => l.attributes.rel === 'self');
    expect(self?.attributes).toMatchObject({
      href: 'https://news.example.org/feed.xml',
      type: 'application/rss+xml',
    });
    const atom = parseXml(renderAtom(list, site()));
    const atomSelf = children(atom, 'link', ATOM).find((l) => l.attributes.rel === 'self');
    expect(atomSelf?.attributes.href).toBe('https://news.example.org/atom.xml');
  });

  it('no two items share a timestamp', () => {
    const dates = items.map((i) => child(i, 'pubDate').text);
    expect(new Set(dates).size).toBe(dates.length);
  });

  it('the lead picture is an enclosure with its real media type and byte length', () => {
    const withImage = items.find((i) => children(i, 'enclosure').length > 0);
    expect(child(withImage as never, 'enclosure').attributes).toEqual({
      url: 'https://news.example.org/media/river-cleanup.jpg',
      type: 'image/jpeg',
      length: String(JPEG_IMAGE.length),
    });
    const atom = parseXml(renderAtom(list, site()));
    const links = children(atom, 'entry', ATOM).flatMap((e) => children(e, 'link', ATOM));
    const enclosure = links.find((l) => l.attributes.rel === 'enclosure');
    expect(enclosure?.attributes).toMatchObject({ type: 'image/jpeg', length: String(JPEG_IMAGE.length) });
  });

  it('the channel image appears only when configured', () => {
    expect(children(channel, 'image')).toHaveLength(0);
    const withLogo = child(
      parseXml(renderRss(list, site({ imageUrl: 'https://news.example.org/logo.png' }))),
      'channel',
    );
    expect(child(child(withLogo, 'image'), 'url').text).toBe('https://news.example.org/logo.png');
  });

  it('both feeds point browsers at the XSL stylesheet under the base URL path', () => {
    const nested = site({ baseUrl: 'https://example.org/news/' });
    for (const xml of [renderRss(list, nested), renderAtom(list, nested)]) {
      expect(xml.split('\n')[1]).toBe('<?xml-stylesheet href="/news/assets/feed.xsl" type="text/xsl"?>');
    }
  });
});

describe('Universal Feed Parser round trip', () => {
  const list = sampleEntries();
  for (const [format, render] of [
    ['rss20', renderRss],
    ['atom10', renderAtom],
  ] as const) {
    it(`${format}: no bozo flag; titles, links, authors and dates come back`, () => {
      const parsed = feedparser(render(list, site()));
      expect(parsed.bozo, parsed.bozoException ?? '').toBe(false);
      expect(parsed.version).toBe(format);
      expect(parsed.feed.title).toBe('Example News');
      expect(parsed.feed.language).toBe('en-GB');
      expect(parsed.entries.map((e) => e.title)).toEqual(list.map((e) => e.article.title));
      expect(parsed.entries.map((e) => e.link)).toEqual(
        list.map((e) => `https://news.example.org/articles/${e.slug}/`),
      );
      expect(parsed.entries.map((e) => e.id)).toEqual(parsed.entries.map((e) => e.link));
      expect(parsed.entries.map((e) => e.published)).toEqual(list.map((e) => e.published));
      expect(parsed.entries.map((e) => e.author)).toEqual([
        ...list.map((e) => e.article.author ?? e.article.outlet ?? 'Example News'),
      ]);
      expect(parsed.entries.map((e) => e.summary)).toEqual(list.map((e) => e.article.summary));
      expect(parsed.entries.find((e) => e.title === 'Harvest Festival Returns')?.tags).toEqual([
        'local',
        'food',
      ]);
    });
  }

  it('atom10: updated differs from published for an edited article', () => {
    const parsed = feedparser(renderAtom(list, site()));
    const edited = parsed.entries.find((e) => e.title === 'Library Reopens After Repairs');
    expect(edited?.updated).toBe('2025-08-03T09:30:00Z');
    expect(edited?.published).not.toBe(edited?.updated);
  });

  it('an entry without a lead picture has no enclosure', () => {
    const parsed = feedparser(renderRss([entry({ key: 'plain.txt' })], site()));
    expect(parsed.entries[0]?.enclosures).toEqual([]);
  });
});

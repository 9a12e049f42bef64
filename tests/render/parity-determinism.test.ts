import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderAtom } from '../../shared/render/atom.ts';
import { renderJsonFeed } from '../../shared/render/json-feed.ts';
import { renderRss } from '../../shared/render/rss.ts';
import { renderSiteFiles } from '../../shared/render/site.ts';
import { hostileEntry, sampleEntries, site } from './factories.ts';
import { feedparser } from './support.ts';

interface Normalised {
  id: string;
  title: string;
  published: string | null;
  updated: string | null;
  author: string | null;
}

describe('parity across RSS, Atom and JSON Feed', () => {
  const list = [...sampleEntries(), hostileEntry()];
  const config = site();

  it('same ids, titles, dates, authors, in the same order', () => {
    const fromXml = (xml: string): Normalised[] =>
      feedparser(xml).entries.map((e) => ({
        id: e.id,
        title: e.title,
        published: e.published,
        updated: e.updated,
        author: e.author,
      }));
    const json = JSON.parse(renderJsonFeed(list, config)) as {
      items: {
        id: string;
        title: string;
        date_published: string;
        date_modified: string;
        authors: { name: string }[];
      }[];
    };
    const fromJson: Normalised[] = json.items.map((i) => ({
      id: i.id,
      title: i.title,
      published: i.date_published,
      updated: i.date_modified,
      author: i.authors[0]?.name ?? null,
    }));
    const atom = fromXml(renderAtom(list, config));
    expect(atom).toEqual(fromJson);
    // RSS has one date per item (pubDate, the publication); everything else must agree.
    const rss = fromXml(renderRss(list, config));
    expect(rss.map(({ updated: _u, ...rest }) => rest)).toEqual(
      fromJson.map(({ updated: _u, ...rest }) => rest),
    );
    expect(fromJson.map((i) => i.id)).toEqual(
      list.map((e) => `https://news.example.org/articles/${e.slug}/`),
    );
  });
});

describe('determinism', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const renderAll = () =>
    renderSiteFiles(sampleEntries(), site()).map(
      (f) => `${f.path}\n${f.contentType}\n${f.cacheControl}\n${String(f.body)}`,
    );

  it('the same input gives the same bytes, whatever the clock says', () => {
    vi.useFakeTimers({ now: new Date('2001-02-03T04:05:06Z') });
    const early = renderAll();
    vi.setSystemTime(new Date('2099-12-31T23:59:59Z'));
    const late = renderAll();
    expect(late).toEqual(early);
    expect(early.join('\n')).not.toContain('2099');
    expect(early.join('\n')).not.toContain('2001');
  });

  it('input order does not matter for the feeds', () => {
    const list = sampleEntries();
    const reversed = [...list].reverse();
    const feeds = (entries: typeof list) =>
      renderSiteFiles(entries, site())
        .filter((f) => !f.path.startsWith('articles/'))
        .map((f) => f.body);
    expect(feeds(reversed)).toEqual(feeds(list));
  });

  it('an empty feed has a fixed date, not the build time', () => {
    vi.useFakeTimers({ now: new Date('2042-06-01T00:00:00Z') });
    expect(renderAtom([], site())).toContain('<updated>1970-01-01T00:00:00Z</updated>');
    expect(renderRss([], site())).toContain('<lastBuildDate>Thu, 01 Jan 1970 00:00:00 GMT</lastBuildDate>');
  });
});

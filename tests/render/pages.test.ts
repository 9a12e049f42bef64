import { describe, expect, it } from 'vitest';
import { renderArticlePage, renderIndexPage } from '../../shared/render/pages.ts';
import { entry, HOSTILE_TEXT_KEPT, hostileEntry, JPEG_IMAGE, sampleEntries, site } from './factories.ts';
import { attr, byTag, findAll, parsePage, textOf } from './html-support.ts';

const FEED_TYPES = {
  'https://news.example.org/feed.xml': 'application/rss+xml',
  'https://news.example.org/atom.xml': 'application/atom+xml',
  'https://news.example.org/feed.json': 'application/feed+json',
};

function basics(html: string) {
  const { document, errors } = parsePage(html);
  expect(errors).toEqual([]);
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(attr(byTag(document, 'html')[0] as never, 'lang')).toBe('en-GB');
  expect(byTag(document, 'h1')).toHaveLength(1);
  const metas = byTag(document, 'meta');
  expect(metas.some((m) => attr(m, 'charset') === 'utf-8')).toBe(true);
  expect(metas.some((m) => attr(m, 'name') === 'viewport')).toBe(true);
  expect(byTag(document, 'script')).toHaveLength(0);
  const alternates = findAll(document, (e) => e.tagName === 'link' && attr(e, 'rel') === 'alternate');
  expect(Object.fromEntries(alternates.map((l) => [attr(l, 'href'), attr(l, 'type')]))).toEqual(FEED_TYPES);
  return document;
}

describe('article page', () => {
  const article = entry({ image: JPEG_IMAGE });
  const document = basics(renderArticlePage(article, site()));

  it('shows title, date, byline, lead picture with caption and credit, body, figures and attribution', () => {
    expect(textOf(byTag(document, 'h1')[0] as never)).toBe(article.article.title);
    const time = byTag(document, 'time')[0];
    expect(attr(time as never, 'datetime')).toBe(article.published);
    expect(textOf(time as never)).toBe('27 May 2023');
    expect(textOf(findAll(document, (e) => attr(e, 'class') === 'byline')[0] as never)).toBe(
      'By Grace Mbeki, Averleynews.org',
    );
    const [lead, inline] = byTag(document, 'figure');
    expect(attr(byTag(lead as never, 'img')[0] as never, 'src')).toBe(
      'https://news.example.org/media/river-cleanup.jpg',
    );
    expect(textOf(byTag(lead as never, 'figcaption')[0] as never)).toBe(
      'Volunteers haul a trolley from the shallows. Image: Averley Rivers Trust',
    );
    expect(textOf(inline as never)).toBe(
      'A volunteer holds up a rotary telephone handset (Averley Rivers Trust photo)',
    );
    const paragraphs = byTag(document, 'p').map((p) => textOf(p));
    expect(paragraphs).toContain('“We can pull out trolleys all day,” Okoye said.');
    expect(paragraphs).toContain('This article originally appeared at Averleynews.org.');
  });

  it('links to the three feeds and back to the index, relative to the page', () => {
    const hrefs = byTag(document, 'a').map((a) => attr(a, 'href'));
    expect(hrefs).toEqual(
      expect.arrayContaining(['../../feed.xml', '../../atom.xml', '../../feed.json', '../../']),
    );
    const canonical = findAll(document, (e) => e.tagName === 'link' && attr(e, 'rel') === 'canonical')[0];
    expect(attr(canonical as never, 'href')).toBe('https://news.example.org/articles/river-cleanup/');
  });

  it('shows an update time only when the article changed after publication', () => {
    const edited = sampleEntries().find((e) => e.updated !== e.published);
    if (!edited) throw new Error('fixture needs an edited entry');
    const times = byTag(parsePage(renderArticlePage(edited, site())).document, 'time');
    expect(times.map((t) => attr(t, 'datetime'))).toEqual([edited.published, edited.updated]);
    expect(byTag(document, 'time')).toHaveLength(1);
  });

  it('shows hostile text as text', () => {
    const hostile = parsePage(renderArticlePage(hostileEntry(), site())).document;
    expect(textOf(byTag(hostile, 'h1')[0] as never)).toBe(`Title ${HOSTILE_TEXT_KEPT}`);
    expect(byTag(hostile, 'script')).toHaveLength(0);
    expect(byTag(hostile, 'b')).toHaveLength(0);
  });

  it('uses the ISO day for sites in other languages', () => {
    const page = parsePage(renderArticlePage(article, site({ language: 'de' }))).document;
    expect(textOf(byTag(page, 'time')[0] as never)).toBe('2023-05-27');
  });
});

describe('index page', () => {
  const list = sampleEntries();
  const document = basics(renderIndexPage(list, site()));

  it('lists the articles newest first with link, date and summary', () => {
    const items = byTag(byTag(document, 'ol')[0] as never, 'li');
    expect(items).toHaveLength(list.length);
    for (const [i, item] of items.entries()) {
      const expected = list[i];
      if (!expected) throw new Error('more items than entries');
      const link = byTag(item, 'a')[0];
      expect(attr(link as never, 'href')).toBe(`articles/${expected.slug}/`);
      expect(textOf(link as never)).toBe(expected.article.title);
      expect(attr(byTag(item, 'time')[0] as never, 'datetime')).toBe(expected.published);
      expect(textOf(findAll(item, (e) => attr(e, 'class') === 'summary')[0] as never)).toBe(
        expected.article.summary,
      );
    }
  });

  it('offers visible subscribe links to the three feeds', () => {
    const nav = findAll(document, (e) => attr(e, 'class') === 'subscribe')[0];
    const links = byTag(nav as never, 'a').map((a) => [attr(a, 'href'), textOf(a)]);
    expect(links).toEqual([
      ['feed.xml', 'RSS'],
      ['atom.xml', 'Atom'],
      ['feed.json', 'JSON Feed'],
    ]);
  });

  it('says so when there is nothing yet', () => {
    const empty = parsePage(renderIndexPage([], site())).document;
    expect(byTag(empty, 'ol')).toHaveLength(0);
    expect(textOf(empty)).toContain('No articles yet.');
  });
});

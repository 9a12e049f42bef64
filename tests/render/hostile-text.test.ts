import { Feed } from 'feed';
import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../shared/render/atom.ts';
import { renderJsonFeed } from '../../shared/render/json-feed.ts';
import { renderArticlePage, renderIndexPage } from '../../shared/render/pages.ts';
import { renderRss } from '../../shared/render/rss.ts';
import { assertWellFormedXml, MalformedOutputError } from '../../shared/render/well-formed.ts';
import { HOSTILE_TEXT, HOSTILE_TEXT_KEPT, hostileEntry, hostileSite } from './factories.ts';
import { child, children, feedparser, parseXml } from './support.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
const DC = 'http://purl.org/dc/elements/1.1/';
const CONTENT = 'http://purl.org/rss/1.0/modules/content/';

describe('hostile text in the feeds', () => {
  const entries = [hostileEntry()];
  const site = hostileSite();

  it('the unguarded feed package really does break on it (why every string is guarded)', () => {
    const naive = new Feed({
      id: 'https://x.org/',
      title: HOSTILE_TEXT,
      link: 'https://x.org/',
      updated: new Date(0),
    });
    naive.addItem({
      title: HOSTILE_TEXT,
      link: 'https://x.org/a/',
      date: new Date(0),
      content: HOSTILE_TEXT,
    });
    expect(() => assertWellFormedXml('naive.xml', naive.rss2())).toThrow(MalformedOutputError);
    expect(() => assertWellFormedXml('naive.xml', naive.atom1())).toThrow(MalformedOutputError);
  });

  it('RSS stays well-formed and carries every text exactly, minus XML-illegal characters', () => {
    const channel = child(parseXml(renderRss(entries, site)), 'channel');
    expect(child(channel, 'title').text).toBe(`Site ${HOSTILE_TEXT_KEPT}`);
    expect(child(channel, 'description').text).toBe(`About ${HOSTILE_TEXT_KEPT}`);
    const item = child(channel, 'item');
    expect(child(item, 'title').text).toBe(`Title ${HOSTILE_TEXT_KEPT}`);
    expect(child(item, 'creator', DC).text).toBe(`Author ${HOSTILE_TEXT_KEPT}`);
    expect(child(item, 'category').text).toBe(`tag ${HOSTILE_TEXT_KEPT}`);
    // description is HTML: the plain summary arrives escaped once more, so a reader shows it as text.
    const description = child(item, 'description').text;
    expect(description).toContain('Summary &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt;');
    expect(description).toContain('AT&amp;amp;T &amp;');
    const content = child(item, 'encoded', CONTENT).text;
    expect(content).toContain('<p>Paragraph &lt;script&gt;');
    expect(content).not.toMatch(/<script/i);
  });

  it('Atom stays well-formed; titles and summaries are type="text" and exact', () => {
    const feed = parseXml(renderAtom(entries, site));
    expect(feed.attributes['xml:lang']).toBe('en-GB');
    expect(child(feed, 'title', ATOM).text).toBe(`Site ${HOSTILE_TEXT_KEPT}`);
    const entry = child(feed, 'entry', ATOM);
    const title = child(entry, 'title', ATOM);
    expect(title.attributes.type).toBe('text');
    expect(title.text).toBe(`Title ${HOSTILE_TEXT_KEPT}`);
    expect(child(entry, 'summary', ATOM).text).toBe(`Summary ${HOSTILE_TEXT_KEPT}`);
    expect(child(child(entry, 'author', ATOM), 'name', ATOM).text).toBe(`Author ${HOSTILE_TEXT_KEPT}`);
    expect(children(entry, 'category', ATOM)[0]?.attributes.term).toBe(`tag ${HOSTILE_TEXT_KEPT}`);
    const content = child(entry, 'content', ATOM);
    expect(content.attributes.type).toBe('html');
    expect(content.text).not.toMatch(/<script/i);
    expect(content.text).toContain('&lt;script&gt;');
  });

  it('a real feed reader sees the same inert text, without a bozo flag', () => {
    for (const xml of [renderRss(entries, site), renderAtom(entries, site)]) {
      const parsed = feedparser(xml);
      expect(parsed.bozo, parsed.bozoException ?? '').toBe(false);
      expect(parsed.entries[0]?.title).toBe(`Title ${HOSTILE_TEXT_KEPT}`);
      expect(parsed.entries[0]?.content).not.toMatch(/<script/i);
    }
  });

  it('JSON Feed carries the same text, with no character XML could not carry', () => {
    const feed = JSON.parse(renderJsonFeed(entries, site));
    expect(feed.title).toBe(`Site ${HOSTILE_TEXT_KEPT}`);
    expect(feed.items[0].title).toBe(`Title ${HOSTILE_TEXT_KEPT}`);
    expect(feed.items[0].authors[0].name).toBe(`Author ${HOSTILE_TEXT_KEPT}`);
    expect(feed.items[0].tags).toEqual([`tag ${HOSTILE_TEXT_KEPT}`]);
    expect(feed.items[0].content_html).not.toMatch(/<script/i);
    expect(feed.items[0].content_html).toContain('&lt;script&gt;');
  });

  it('pages escape it too: no markup from text, no raw control characters', () => {
    const pages = [renderArticlePage(hostileEntry(), site), renderIndexPage(entries, site)];
    for (const page of pages) {
      expect(page).not.toMatch(/<script|<b>bold/i);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
      expect(page).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE]/);
      expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    }
  });
});

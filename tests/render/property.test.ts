import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripForbiddenChars } from '../../shared/html/safe-html.ts';
import { renderAtom } from '../../shared/render/atom.ts';
import { renderJsonFeed } from '../../shared/render/json-feed.ts';
import { renderRss } from '../../shared/render/rss.ts';
import { assertJsonRoundTrip, assertWellFormedXml } from '../../shared/render/well-formed.ts';
import { entry, site } from './factories.ts';
import { child, children, parseXml } from './support.ts';

const ATOM = 'http://www.w3.org/2005/Atom';

// Any UTF-16 code units at all: controls, lone surrogates, U+FFFE, markup, `]]>`, entities.
const anyText = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
      fc.constantFrom(']]>', '&amp;', '<![CDATA[', '<script>', '"', "'", '&#0;', '\uE000', '\uE0011\uE001'),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

/** What an XML parser gives back for element text: line breaks normalised to LF (XML 1.0 §2.11). */
const asXmlText = (text: string) => stripForbiddenChars(text).replace(/\r\n?/g, '\n');

describe('any text whatsoever', () => {
  it('RSS, Atom and JSON Feed stay well-formed and carry it exactly (minus XML-illegal characters)', () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, anyText, (title, summary, author, siteTitle) => {
        const entries = [
          entry({ article: { title: `t${title}`, summary, author: `a${author}`, dek: summary } }),
        ];
        const config = site({ title: `s${siteTitle}` });
        const rss = renderRss(entries, config);
        const atom = renderAtom(entries, config);
        const json = renderJsonFeed(entries, config);
        assertWellFormedXml('feed.xml', rss);
        assertWellFormedXml('atom.xml', atom);
        assertJsonRoundTrip('feed.json', json);

        const item = child(child(parseXml(rss), 'channel'), 'item');
        expect(child(item, 'title').text).toBe(asXmlText(`t${title}`));
        expect(child(item, 'creator', 'http://purl.org/dc/elements/1.1/').text).toBe(asXmlText(`a${author}`));
        const atomEntry = child(parseXml(atom), 'entry', ATOM);
        expect(child(atomEntry, 'title', ATOM).text).toBe(asXmlText(`t${title}`));
        expect(child(atomEntry, 'summary', ATOM).text).toBe(asXmlText(summary));
        expect(children(parseXml(atom), 'title', ATOM)[0]?.text).toBe(asXmlText(config.title));
        const parsedJson = JSON.parse(json);
        expect(parsedJson.items[0].title).toBe(stripForbiddenChars(`t${title}`));
        expect(parsedJson.items[0].summary).toBe(stripForbiddenChars(summary));
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * The feeds of a real `dropfeed build` of a varied corpus, served on localhost, against the W3C Feed
 * Validation Service's rules (w3c-rules.ts: the service cannot run here), RFC 4287's RELAX NG schema
 * (jing), JSON Feed 1.1's schema and rules, and the Universal Feed Parser. Then the checker is shown to be
 * a real check: each rule trips on a feed broken the way it guards against.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugForKey } from '../../shared/article/slug.ts';
import { ATOM_SCHEMA, feedparser, jing } from '../render/support.ts';
import { MARKUP_TITLE, SPACED_KEY, writeVariedCorpus } from './corpus.ts';
import { type ExpectedArticle, expectedInbox } from './expected.ts';
import { dropfeedBuild, type FetchedFile, fetchText, type ServedSite, serveFolder } from './site.ts';
import {
  type CheckContext,
  checkAtom,
  checkJsonFeed,
  checkRss,
  type Finding,
  formatFindings,
} from './w3c-rules.ts';

let work: string;
let served: ServedSite;
let expected: ExpectedArticle[];
const feeds = new Map<string, FetchedFile>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dropfeed-w3c-'));
  const inbox = join(work, 'inbox');
  await writeVariedCorpus(inbox, { generated: 40 });
  expected = (await expectedInbox(inbox)).published;
  served = await serveFolder(join(work, 'site'));
  const build = await dropfeedBuild(inbox, join(work, 'site'), [
    '--base-url',
    served.baseUrl,
    '--max-items',
    '1000',
    '--language',
    'en-GB',
  ]);
  expect(build.code, build.stderr).toBe(0);
  for (const path of ['feed.xml', 'atom.xml', 'feed.json'])
    feeds.set(path, await fetchText(`${served.baseUrl}/${path}`));
});

afterAll(async () => {
  await served?.close();
  rmSync(work, { recursive: true, force: true });
});

const context = (path: string): CheckContext => ({
  feedUrl: `${served.baseUrl}/${path}`,
  now: new Date(),
  contentType: feeds.get(path)?.contentType,
});
const body = (path: string) => feeds.get(path)?.body ?? '';

/**
 * The one kind of warning no renderer can avoid without changing the author's words: a title or summary
 * that literally contains an HTML end tag (`Why <b>Bold</b> Tags…`) is plain text the validator suspects of
 * being markup. Allowed only when the article at that link really has that text.
 */
function unavoidable(finding: Finding): boolean {
  if (finding.code !== 'ContainsHTML' && finding.code !== 'ContainsUndeclaredHTML') return false;
  const link = /\[(http[^\]]+)\]/.exec(finding.where)?.[1];
  const article = expected.find((a) => `${served.baseUrl}/articles/${a.slug}/` === link)?.article;
  return article !== undefined && `${article.title} ${article.summary}`.includes(finding.detail);
}

describe('W3C Feed Validation Service rules over a built site', () => {
  it('RSS 2.0: no error and no warning', () => {
    const findings = checkRss(body('feed.xml'), context('feed.xml'));
    expect(formatFindings(findings.filter((f) => !unavoidable(f)))).toBe('');
  });

  it('Atom 1.0: no error and no warning', () => {
    const findings = checkAtom(body('atom.xml'), context('atom.xml'));
    expect(formatFindings(findings.filter((f) => !unavoidable(f)))).toBe('');
  });

  it('the only tolerated warnings come from the one article whose title shows markup as text', () => {
    const tolerated = [
      ...checkRss(body('feed.xml'), context('feed.xml')),
      ...checkAtom(body('atom.xml'), context('atom.xml')),
    ].filter(unavoidable);
    const links = new Set(tolerated.map((f) => /\[(http[^\]]+)\]/.exec(f.where)?.[1]));
    expect([...links]).toEqual([`${served.baseUrl}/articles/inert-text/`]);
  });

  it('JSON Feed 1.1: the schema and the spec rules hold', () => {
    expect(formatFindings(checkJsonFeed(body('feed.json'), context('feed.json')))).toBe('');
  });

  it('Atom is valid against RFC 4287 RELAX NG (jing)', () => {
    const result = jing(ATOM_SCHEMA, body('atom.xml'));
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('Universal Feed Parser reads RSS and Atom without a bozo flag, every item present', () => {
    for (const path of ['feed.xml', 'atom.xml']) {
      const parsed = feedparser(body(path));
      expect(parsed.bozo, parsed.bozoException ?? '').toBe(false);
      expect(parsed.entries).toHaveLength(expected.length);
    }
  });

  it('text that looks like markup stays text, escaped the RSS-profile way', () => {
    const parsed = feedparser(body('feed.xml'));
    expect(parsed.entries.map((e) => e.title)).toContain(MARKUP_TITLE);
    expect(body('feed.xml')).toContain('Q&#x26;A: Rates, &#x3C;Budgets&gt; &#x26; the “&#x26;amp;” Clause');
  });

  it('links and pictures in a Markdown body are absolute, resolved against the article page', () => {
    const page = `${served.baseUrl}/articles/${slugForKey(SPACED_KEY)}/`;
    const item = feedparser(body('atom.xml')).entries.find((e) => e.link === page);
    const content = item?.content ?? '';
    for (const url of [
      `${page}agenda/`,
      `${served.baseUrl}/articles/minutes.html?year=2025&amp;month=6`,
      `${served.baseUrl}/`,
      `${page}#vote`,
      `${page}maps/ward.png`,
      'mailto:clerk@example.org',
      'https://example.org/report',
    ]) {
      expect(content).toContain(`"${url}"`);
    }
    expect(content).not.toMatch(/(href|src)="(?![a-z]+:)/);
  });

  it('no two entries share a timestamp, though two articles tie on their day and three undated ones on their upload second', () => {
    const parsed = feedparser(body('atom.xml'));
    const updated = parsed.entries.map((e) => e.updated);
    const published = parsed.entries.map((e) => e.published);
    expect(new Set(updated).size).toBe(updated.length);
    expect(new Set(published).size).toBe(published.length);
    const sameDay = parsed.entries.filter((e) => e.title.startsWith('Same Second'));
    expect(sameDay).toHaveLength(2);
    expect(sameDay.map((e) => e.published?.slice(0, 10))).toEqual(['2025-05-20', '2025-05-20']);
  });
});

describe('site settings that could trip the validator', () => {
  it('an empty description, an SVG logo, an author and a path in the base URL still give clean feeds', async () => {
    const inbox = join(work, 'small-inbox');
    await writeVariedCorpus(inbox, { generated: 2, edge: false });
    const site = await serveFolder(join(work, 'small-site'));
    try {
      const base = `${site.baseUrl}/news`;
      const build = await dropfeedBuild(inbox, join(work, 'small-site', 'news'), [
        '--base-url',
        base,
        '--description',
        '',
        '--config',
        writeConfig({ imageUrl: 'https://cdn.example.org/logo.svg', author: 'The Desk' }),
      ]);
      expect(build.code, build.stderr).toBe(0);
      const now = new Date();
      const rss = await fetchText(`${base}/feed.xml`);
      const atom = await fetchText(`${base}/atom.xml`);
      const json = await fetchText(`${base}/feed.json`);
      const ctx = (path: string, file: FetchedFile) => ({
        feedUrl: `${base}/${path}`,
        now,
        contentType: file.contentType,
      });
      expect(formatFindings(checkRss(rss.body, ctx('feed.xml', rss)))).toBe('');
      expect(formatFindings(checkAtom(atom.body, ctx('atom.xml', atom)))).toBe('');
      expect(formatFindings(checkJsonFeed(json.body, ctx('feed.json', json)))).toBe('');
      // RSS images are GIF, JPEG or PNG: the SVG logo is left to Atom and JSON Feed.
      expect(rss.body).not.toContain('<image>');
      expect(atom.body).toContain('<logo>https://cdn.example.org/logo.svg</logo>');
    } finally {
      await site.close();
    }
  });
});

describe('the default base URL, http://localhost:8080', () => {
  it('gives clean feeds: a dotless host cannot carry an RSS enclosure, so the picture stays in the content', async () => {
    const inbox = join(work, 'localhost-inbox');
    const site = join(work, 'localhost-site');
    await writeVariedCorpus(inbox, { generated: 2, edge: false });
    const build = await dropfeedBuild(inbox, site, []);
    expect(build.code, build.stderr).toBe(0);
    const base = 'http://localhost:8080';
    const ctx = (path: string) => ({ feedUrl: `${base}/${path}`, now: new Date() });
    const rss = readFileSync(join(site, 'feed.xml'), 'utf8');
    const atom = readFileSync(join(site, 'atom.xml'), 'utf8');
    expect(formatFindings(checkRss(rss, ctx('feed.xml')))).toBe('');
    expect(formatFindings(checkAtom(atom, ctx('atom.xml')))).toBe('');
    expect(
      formatFindings(checkJsonFeed(readFileSync(join(site, 'feed.json'), 'utf8'), ctx('feed.json'))),
    ).toBe('');
    const picture = `${base}/media/${slugForKey(SPACED_KEY)}.png`;
    expect(rss).not.toContain('<enclosure');
    expect(rss).toContain(`src=&quot;${picture}&quot;`);
    expect(atom).toContain(`<link rel="enclosure" href="${picture}"`);
  });
});

function writeConfig(settings: Record<string, string>): string {
  const path = join(work, 'settings.json');
  writeFileSync(path, JSON.stringify(settings));
  return path;
}

/** The feed cut to a few entries (html5lib runs once per check): the first three and any with a picture. */
function fewEntries(xml: string, tag: 'item' | 'entry'): string {
  let kept = 0;
  return xml.replace(new RegExp(`\\s*<${tag}>[\\s\\S]*?</${tag}>`, 'g'), (entry) => {
    kept += 1;
    return kept <= 3 || /<enclosure|rel="enclosure"/.test(entry) ? entry : '';
  });
}

describe('the checker is a real check', () => {
  const ctx = (path: string): CheckContext => ({ feedUrl: `${served.baseUrl}/${path}`, now: new Date() });
  const codes = (findings: readonly Finding[]) => findings.map((f) => f.code);
  const firstItemLink = () => /<link>([^<]*)<\/link>\s*<guid/.exec(body('feed.xml'))?.[1] ?? '';

  it('RSS: each rule trips on a feed broken its way', () => {
    const rss = fewEntries(body('feed.xml'), 'item');
    expect(formatFindings(checkRss(rss, ctx('feed.xml')))).toBe('');
    const cases: [string, string, string][] = [
      ['MissingAtomSelfLink', rss.replace(/<atom:link [^>]*rel="self"[^>]*\/>/, ''), ''],
      [
        'SelfDoesntMatchLocation',
        rss.replace(`${served.baseUrl}/feed.xml`, 'https://elsewhere.example/feed.xml'),
        '',
      ],
      [
        'DuplicateValue',
        rss.replace(/<guid isPermaLink="true">[^<]*</g, `<guid isPermaLink="true">${firstItemLink()}<`),
        '',
      ],
      ['InvalidBooleanAttribute', rss.replace('isPermaLink="true"', 'isPermaLink="yes"'), ''],
      [
        'InvalidHttpGUID',
        rss.replace(/<guid isPermaLink="true">[^<]*</, '<guid isPermaLink="true">story-1<'),
        '',
      ],
      ['InvalidRFC2822Date', rss.replace(/<pubDate>[^<]*</, '<pubDate>2025-06-01T10:00:00Z<'), ''],
      ['ProblematicalRFC822Date', rss.replace(/<pubDate>([^<]*) GMT</, '<pubDate>$1 +0000 (UTC)<'), ''],
      [
        'IncorrectDOW',
        rss.replace(/<pubDate>\w{3},/, (m) => (m.includes('Mon') ? '<pubDate>Tue,' : '<pubDate>Mon,')),
        '',
      ],
      ['ImplausibleDate', rss.replace(/<pubDate>[^<]*</, '<pubDate>Sat, 01 Jan 2095 10:00:00 GMT<'), ''],
      ['InvalidContact', rss.replace('<dc:creator>', '<author>Jo Bloggs</author><dc:creator>'), ''],
      [
        'DuplicateItemSemantics',
        rss.replace('<dc:creator>', '<author>jo@example.org (Jo)</author><dc:creator>'),
        '',
      ],
      ['InvalidLanguage', rss.replace(/<language>[^<]*</, '<language>english<'), ''],
      ['MissingDescription', rss.replace(/<description>[^<]*<\/description>/, ''), ''],
      [
        'ContainsRelRef',
        rss.replace('&lt;p&gt;', '&lt;p&gt;&lt;a href=&quot;../x/&quot;&gt;x&lt;/a&gt;'),
        '',
      ],
      ['SecurityRisk', rss.replace('&lt;p&gt;', '&lt;p&gt;&lt;script&gt;x()&lt;/script&gt;'), ''],
      ['SecurityRiskAttr', rss.replace('&lt;p&gt;', '&lt;p onclick=&quot;x()&quot;&gt;'), ''],
      ['DangerousStyleAttr', rss.replace('&lt;p&gt;', '&lt;p style=&quot;x:expression(1)&quot;&gt;'), ''],
      ['NotHtml', rss.replace('&lt;p&gt;', '&lt;p&gt;&amp;bogus; &lt;div/&gt;'), ''],
      [
        'NeedDescriptionBeforeContent',
        rss.replace(/<description>(?:(?!<\/description>)[\s\S])*<\/description>\s*(<content:encoded>)/, '$1'),
        '',
      ],
      [
        'CharacterData',
        rss.replace(/<title>[^<]*<\/title>\s*<link>http/, '<title>1 &lt;y 2</title><link>http'),
        '',
      ],
      [
        'ContainsHTML',
        rss.replace(/<title>[^<]*<\/title>\s*<link>http/, '<title>&lt;b&gt;x&lt;/b&gt;</title><link>http'),
        '',
      ],
      [
        'InvalidURLAttribute',
        rss.replace(
          /<enclosure length="(\d+)" type="([^"]+)" url="http:\/\/127\.0\.0\.1:\d+/,
          '<enclosure length="$1" type="$2" url="http://localhost:8080',
        ),
        '',
      ],
      ['MissingAttribute', rss.replace(/<enclosure length="\d+" /, '<enclosure '), ''],
      [
        'InvalidWidth',
        rss.replace(
          '<atom:link',
          `<image><url>${served.baseUrl}/a.png</url><title>x</title><link>${served.baseUrl}/</link><width>200</width></image><atom:link`,
        ),
        '',
      ],
      [
        'ImageUrlFormat',
        rss.replace(
          '<atom:link',
          `<image><url>${served.baseUrl}/a.svg</url><title>x</title><link>${served.baseUrl}/</link></image><atom:link`,
        ),
        '',
      ],
      ['MisplacedItem', rss.replace('</channel>', '<ttl>60</ttl></channel>'), ''],
      ['UnknownNamespace', rss.replace('<rss version="2.0"', '<rss version="2.0" xmlns:foo="urn:x-foo"'), ''],
      [
        'DropfeedLastBuildBeforeItem',
        rss.replace(/<lastBuildDate>[^<]*</, '<lastBuildDate>Mon, 01 Jan 2001 00:00:00 GMT<'),
        '',
      ],
      ['SAXError', rss.replace('</channel>', ''), ''],
    ];
    for (const [code, broken] of cases) {
      expect(broken, `${code}: the mutation did not apply`).not.toBe(rss);
      expect(codes(checkRss(broken, ctx('feed.xml'))), code).toContain(code);
    }
    expect(codes(checkRss(rss, { ...ctx('feed.xml'), contentType: 'text/html; charset=utf-8' }))).toContain(
      'UnexpectedContentType',
    );
  });

  it('Atom: each rule trips on a feed broken its way', () => {
    const atom = fewEntries(body('atom.xml'), 'entry');
    expect(formatFindings(checkAtom(atom, ctx('atom.xml')))).toBe('');
    const firstUpdated = /<entry>[\s\S]*?<updated>([^<]*)<\/updated>/.exec(atom)?.[1] ?? '';
    const cases: [string, string][] = [
      [
        'DuplicateUpdated',
        atom.replace(/(<entry>[\s\S]*?<entry>[\s\S]*?<updated>)[^<]*/, `$1${firstUpdated}`),
      ],
      [
        'DuplicateEntries',
        atom.replace(/(<entry>[\s\S]*?<id>)([^<]*)(<\/id>[\s\S]*?<entry>[\s\S]*?<id>)[^<]*/, '$1$2$3$2'),
      ],
      ['MissingSelf', atom.replace(/<link rel="self"[^>]*\/>/, '')],
      ['SelfDoesntMatchLocation', atom.replace(`${served.baseUrl}/atom.xml`, `${served.baseUrl}/other.xml`)],
      ['MissingElement', atom.replace(/<author>\s*<name>[^<]*<\/name>\s*<\/author>/g, '')],
      ['InvalidRFC3339Date', atom.replace(/<updated>[^<]*</, '<updated>2025-06-01 10:00<')],
      ['ImplausibleDate', atom.replace(/<published>[^<]*</, '<published>1970-01-02T00:00:00Z<')],
      ['NonCanonicalURI', atom.replace(/<id>http:\/\/127\.0\.0\.1/, '<id>HTTP://127.0.0.1')],
      [
        'ContainsUndeclaredHTML',
        atom.replace(/<title type="text">[^<]*</, '<title type="text">&lt;b&gt;x&lt;/b&gt;<'),
      ],
      ['NotHtml', atom.replace('<content type="html">', '<content type="html">&lt;div/&gt;')],
      [
        'ContainsRelRef',
        atom.replace('<content type="html">', '<content type="html">&lt;img src=&quot;x.png&quot;&gt;'),
      ],
      ['UnregisteredAtomLinkRel', atom.replace('<link rel="alternate"', '<link rel="sideways"')],
      [
        'MissingTextualContent',
        atom.replace(/<summary type="text">[^<]*<\/summary>\s*<content type="html">[^<]*<\/content>/, ''),
      ],
      ['BadCharacters', atom.replace(/<title type="text">/, '<title type="text">\u0085')],
      ['MisplacedMetadata', atom.replace('</feed>', '<rights>x</rights></feed>')],
    ];
    for (const [code, broken] of cases) {
      expect(broken, `${code}: the mutation did not apply`).not.toBe(atom);
      expect(codes(checkAtom(broken, ctx('atom.xml'))), code).toContain(code);
    }
  });

  it('JSON Feed: each rule trips on a feed broken its way', () => {
    const feed = JSON.parse(body('feed.json'));
    const mutate = (change: (f: typeof feed) => void) => {
      const copy = structuredClone(feed);
      change(copy);
      return JSON.stringify(copy);
    };
    const cases: [string, string][] = [
      ['JsonFeedVersion', mutate((f) => (f.version = 'https://jsonfeed.org/version/1'))],
      ['JsonFeedUrl', mutate((f) => (f.home_page_url = '/'))],
      ['JsonFeedSelf', mutate((f) => (f.feed_url = 'https://elsewhere.example/feed.json'))],
      ['JsonFeedDuplicateId', mutate((f) => (f.items[1].id = f.items[0].id))],
      ['JsonFeedItemId', mutate((f) => (f.items[0].id = ''))],
      ['JsonFeedNoContent', mutate((f) => delete f.items[0].content_html)],
      ['JsonFeedDate', mutate((f) => (f.items[0].date_published = 'June 1, 2025'))],
      ['JsonFeedAuthors', mutate((f) => (f.items[0].authors = ['Jo']))],
      ['JsonFeedDeprecated', mutate((f) => (f.items[0].author = { name: 'Jo' }))],
      ['JsonFeedSchema', mutate((f) => (f.items = 'none'))],
      ['ContainsRelRef', mutate((f) => (f.items[0].content_html = '<p><a href="x/">x</a></p>'))],
    ];
    for (const [code, broken] of cases) {
      expect(codes(checkJsonFeed(broken, ctx('feed.json'))), code).toContain(code);
    }
  });
});

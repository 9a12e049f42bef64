/**
 * The checker is only worth its green if it turns red on every payload class it claims to catch, and stays
 * green on ordinary markup. These are hand-written hazards, not product output.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HazardKind } from './html-safety.ts';
import { checkHtml, checkJsonFeed, checkSiteDir, checkSiteFile, checkXml } from './html-safety.ts';
import { dangerousScheme } from './url-safety.ts';

const kinds = (hazards: ReadonlyArray<{ kind: HazardKind }>) =>
  [...new Set(hazards.map((h) => h.kind))].sort();

describe('dangerousScheme reads URLs the way the WHATWG URL parser does', () => {
  it.each([
    ['javascript:alert(1)', 'javascript'],
    ['JaVaScRiPt:alert(1)', 'javascript'],
    [' \u0001 javascript:alert(1)', 'javascript'],
    ['java\tscr\nipt:alert(1)', 'javascript'],
    ['vbscript:msgbox(1)', 'vbscript'],
    ['data:text/html,<script>alert(1)</script>', 'data'],
    ['DATA:image/svg+xml;base64,PHN2Zz4=', 'data'],
  ])('%j is %s', (url, scheme) => {
    expect(dangerousScheme(url)).toBe(scheme);
  });

  it.each([
    'https://example.org/a',
    '/articles/javascript-tips/',
    'javascript-tips.html',
    'java%09script:alert(1)',
    '#javascript:x',
    'mailto:a@example.org',
  ])('%j is safe', (url) => {
    expect(dangerousScheme(url)).toBeNull();
  });
});

describe('checkHtml', () => {
  it.each<[string, HazardKind[]]>([
    ['<p>x</p><script>alert(1)</script>', ['script']],
    ['<img src=x onerror=alert(1)>', ['event-handler']],
    ['<a href="javascript:alert(1)">x</a>', ['dangerous-url']],
    ['<a href="&#106;avascript:alert(1)">x</a>', ['dangerous-url']],
    ['<a href="&#x6A;&#x61;vascript&colon;alert(1)">x</a>', ['dangerous-url']],
    ['<a href="java&#x09;script:alert(1)">x</a>', ['dangerous-url']],
    ['<a href="&#1;javascript:alert(1)">x</a>', ['dangerous-url']],
    ['<img srcset="a.png 1x, javascript:alert(1) 2x">', ['dangerous-url']],
    ['<iframe src="https://example.org"></iframe>', ['forbidden-element']],
    ['<object data="x.swf"></object><embed src="x.swf">', ['forbidden-element']],
    ['<base href="https://evil.example/">', ['forbidden-element']],
    ['<meta http-equiv="refresh" content="0; url=javascript:alert(1)">', ['dangerous-url']],
    ['<style>body{}</style>', ['style']],
    ['<p style="background:url(javascript:alert(1))">x</p>', ['style']],
    ['<p style="width: expre\\ssion(alert(1))">x</p>', ['style']],
    [
      '<form action="javascript:alert(1)"><button formaction="vbscript:x">go</button></form>',
      ['dangerous-url', 'form'],
    ],
    [
      '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
      ['dangerous-url', 'foreign-content'],
    ],
    [
      '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>',
      ['dangerous-url', 'foreign-content'],
    ],
    ['<svg onload="alert(1)"></svg>', ['event-handler', 'foreign-content']],
    ['<template><script>alert(1)</script></template>', ['script']],
    ['<details open ontoggle="alert(1)">x</details>', ['event-handler']],
    ['<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', ['forbidden-element']],
    // A DOMPurify-era mutation payload: harmless on this parse, live after one more serialise/parse round;
    // the checker flags the foreign content and <style> it needs, whichever way the next parse goes.
    ['<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', ['foreign-content', 'style']],
  ])('flags %s', (markup, expected) => {
    expect(kinds(checkHtml(markup, 'page.html', { fragment: true }))).toEqual(expected);
  });

  it('walks 10,000 nested elements without overflowing and still finds the script at the bottom', () => {
    const markup = `${'<div>'.repeat(10_000)}<script>alert(1)</script>${'</div>'.repeat(10_000)}`;
    expect(kinds(checkHtml(markup, 'deep.html'))).toEqual(['script']);
  });

  it('passes ordinary article markup, including escaped payloads shown as text', () => {
    const markup = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>&lt;script&gt;</title>
      <link rel="stylesheet" href="/assets/site.css"></head><body><article><h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>
      <p><a href="https://example.org/x?a=1&amp;b=2">x</a> <a href="/articles/javascript-tips/">tips</a>
      <img src="/media/a.jpg" alt="javascript:alert(1)" srcset="/media/a.jpg 1x, /media/a@2x.jpg 2x"></p>
      <blockquote><p>onerror=alert(1)</p></blockquote><pre><code>&lt;svg onload=x&gt;</code></pre></article></body></html>`;
    expect(checkHtml(markup, 'index.html')).toEqual([]);
  });
});

describe('checkXml', () => {
  const rss = (item: string) =>
    `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title><link>https://example.org/</link><description>d</description><item>${item}</item></channel></rss>`;
  const atom = (entry: string) =>
    `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>https://example.org/</id><updated>2025-01-01T00:00:00Z</updated><entry>${entry}</entry></feed>`;

  it.each<[string, string, HazardKind[]]>([
    [
      'escaped script in description',
      rss('<description>&lt;script&gt;alert(1)&lt;/script&gt;</description>'),
      ['script'],
    ],
    [
      'CDATA handler in content:encoded',
      rss('<content:encoded><![CDATA[<img src=x onerror=alert(1)>]]></content:encoded>'),
      ['event-handler'],
    ],
    [
      'double-escaped entity URL in description',
      rss('<description>&lt;a href="&amp;#106;avascript:x"&gt;x&lt;/a&gt;</description>'),
      ['dangerous-url'],
    ],
    ['a javascript: item link', rss('<link>javascript:alert(1)</link>'), ['dangerous-url']],
    [
      'a DOCTYPE',
      `<!DOCTYPE rss [<!ENTITY x "y">]>${rss('<title>t</title>').replace(/^<\?xml[^>]*>/, '')}`,
      ['doctype'],
    ],
    ['an undefined entity', rss('<title>&xxe;</title>'), ['malformed']],
    ['a truncated feed', rss('<title>t</title>').slice(0, -20), ['malformed']],
    ['an illegal control character', rss('<title>a\u0001b</title>'), ['malformed']],
    [
      'Atom html content',
      atom('<content type="html">&lt;iframe src=x&gt;&lt;/iframe&gt;</content>'),
      ['forbidden-element'],
    ],
    [
      'Atom xhtml content',
      atom(
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="javascript:x">x</a><script>1</script></div></content>',
      ),
      ['dangerous-url', 'script'],
    ],
    ['an Atom link href', atom('<link rel="alternate" href="data:text/html,x"/>'), ['dangerous-url']],
    [
      'XSLT disable-output-escaping',
      '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:value-of select="title" disable-output-escaping="yes"/></xsl:template></xsl:stylesheet>',
      ['unescaped-output'],
    ],
    [
      'an SVG with a handler',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      ['event-handler'],
    ],
  ])('flags %s', (_name, xml, expected) => {
    expect(kinds(checkXml(xml, 'feed.xml'))).toEqual(expected);
  });

  it('allows disable-output-escaping only on RSS fields it checks as HTML', () => {
    const xsl = (select: string) =>
      `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="item"><p><xsl:value-of select="${select}" disable-output-escaping="yes"/></p></xsl:template></xsl:stylesheet>`;
    expect(checkXml(xsl('description'), 'feed.xsl')).toEqual([]);
    expect(kinds(checkXml(xsl('atom:content'), 'feed.xsl'))).toEqual(['unescaped-output']);
  });

  it('reads an RSS title as plain text: escaped markup there is text, not a hazard', () => {
    expect(checkXml(rss('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>'), 'feed.xml')).toEqual([]);
  });

  it('passes a clean feed with escaped payloads as text', () => {
    const clean = atom(
      '<title type="text">&lt;b&gt;x</title><content type="html">&lt;p&gt;&amp;lt;script&amp;gt; is text&lt;/p&gt;</content><link href="https://example.org/a/"/>',
    );
    expect(checkXml(clean, 'atom.xml')).toEqual([]);
  });
});

describe('checkJsonFeed', () => {
  it('flags script in content_html, a javascript: url, and malformed JSON', () => {
    const feed = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      items: [{ id: '1', url: 'javascript:alert(1)', content_html: '<p>x</p><script>alert(1)</script>' }],
    });
    expect(kinds(checkJsonFeed(feed, 'feed.json'))).toEqual(['dangerous-url', 'script']);
    expect(kinds(checkJsonFeed('{"items": [', 'feed.json'))).toEqual(['malformed']);
  });

  it('passes escaped text', () => {
    const feed = JSON.stringify({
      items: [{ id: '1', url: 'https://e.org/a/', content_html: '<p>&lt;script&gt;</p>' }],
    });
    expect(checkJsonFeed(feed, 'feed.json')).toEqual([]);
  });
});

describe('checkSiteFile / checkSiteDir', () => {
  it('flags unsafe paths and markup disguised as media', () => {
    expect(kinds(checkSiteFile({ path: '../state/x.html', body: '<p>x</p>' }))).toEqual(['unsafe-path']);
    expect(kinds(checkSiteFile({ path: 'media/a.jpg', body: '<html><script>alert(1)</script>' }))).toEqual([
      'active-media',
    ]);
    expect(
      kinds(
        checkSiteFile({
          path: 'media/a.svg',
          body: '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
        }),
      ),
    ).toEqual(['script']);
    expect(checkSiteFile({ path: 'media/a.jpg', body: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]) })).toEqual(
      [],
    );
  });

  it('walks a directory and reports each hazard with its file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-check-'));
    try {
      await mkdir(join(dir, 'articles', 'a'), { recursive: true });
      await writeFile(join(dir, 'index.html'), '<!doctype html><p>fine</p>');
      await writeFile(join(dir, 'articles', 'a', 'index.html'), '<p><a href="javascript:x">x</a></p>');
      await writeFile(join(dir, 'feed.json'), '{"items":[{"content_html":"<b onclick=x>"}]}');
      const result = await checkSiteDir(dir);
      expect(result.files).toBe(3);
      expect(result.hazards.map((h) => `${h.file.split(' ')[0]}:${h.kind}`).sort()).toEqual([
        'articles/a/index.html:dangerous-url',
        'feed.json:event-handler',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * `absoluteUrls`: feed readers resolve nothing, so every address in an article's markup leaves the
 * renderer absolute, resolved against the article's page exactly as a browser resolves it on that page.
 * Inputs are written in the sanitiser's output form (double-quoted, escaped attributes), the only markup
 * the renderer receives.
 */
import { describe, expect, it } from 'vitest';
import { trustedHtml } from '../../shared/html/safe-html.ts';
import { absoluteUrls } from '../../shared/render/absolute-urls.ts';

const PAGE = 'https://news.example.org/valley/articles/town-hall/';

describe('absoluteUrls', () => {
  it('resolves relative links and pictures against the page, like a browser on that page', () => {
    const markup = trustedHtml(
      '<p><a href="agenda/">a</a> <a href="../minutes.html?y=2025&amp;m=6">m</a> <a href="/">home</a> ' +
        '<a href="#vote">v</a> <a href="">self</a> <img src="maps/ward.png" alt="map"></p>',
    );
    const out = absoluteUrls(markup, PAGE);
    const refs = [...out.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs).toEqual([
      `${PAGE}agenda/`,
      'https://news.example.org/valley/articles/minutes.html?y=2025&amp;m=6',
      'https://news.example.org/',
      `${PAGE}#vote`,
      PAGE,
      `${PAGE}maps/ward.png`,
    ]);
    // Each is what the page itself would resolve.
    for (const [ref, resolved] of [
      ['agenda/', refs[0]],
      ['../minutes.html?y=2025&m=6', refs[1]?.replace('&amp;', '&')],
    ]) {
      expect(new URL(ref as string, PAGE).href).toBe(resolved);
    }
  });

  it('leaves absolute addresses byte for byte, and text that only looks like a link alone', () => {
    const markup = trustedHtml(
      '<p><a href="https://Example.org/a?b=1&amp;c=2" title="t">x</a> <a href="mailto:clerk@example.org">m</a> ' +
        '&lt;a href="relative/"&gt; is text</p>',
    );
    expect(absoluteUrls(markup, PAGE)).toBe(markup);
  });

  it('keeps the other attributes and escapes what it writes', () => {
    const markup = trustedHtml('<p><img src="a b/&quot;q&quot;.png" alt="A &amp; B" title="T"></p>');
    const out = absoluteUrls(markup, PAGE);
    expect(out).toContain(`src="${PAGE}a%20b/%22q%22.png"`);
    expect(out).toContain('alt="A &amp; B"');
    expect(out).toContain('title="T"');
  });
});

import { describe, expect, it } from 'vitest';
import { loadMarkdownDeps } from '../../shared/article/markdown-deps.ts';
import { dangerousScheme } from '../security/url-safety.ts';

// The sanitiser as the Markdown parser gets it: sanitize-html loaded on first use.
const { sanitizer } = await loadMarkdownDeps();
const sanitizeHtml = (markup: string) => sanitizer.sanitize(markup);

describe('sanitizeHtml', () => {
  it('keeps the allowlist', () => {
    const markup =
      '<p>a <em>b</em> <strong>c</strong> <a href="https://x.org/">d</a> <a href="/rel">e</a> <a href="mailto:a@b.c">f</a><br /></p>' +
      '<h3>h</h3><ul><li>i</li></ul><ol start="3"><li>j</li></ol><blockquote>k</blockquote><pre><code class="language-ts">l</code></pre>' +
      '<figure><img src="https://x.org/p.jpg" alt="m" /><figcaption>n</figcaption></figure><hr />' +
      '<table><thead><tr><th>o</th></tr></thead><tbody><tr><td>p</td></tr></tbody></table>';
    expect(sanitizeHtml(markup)).toBe(markup);
  });

  it('demotes h1 to h2', () => {
    expect(sanitizeHtml('<h1>Title</h1>')).toBe('<h2>Title</h2>');
  });

  it.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<p onclick="x()" style="color:red" class="c">ok</p>', '<p>ok</p>'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="JaVaScRiPt&#58;alert(1)">x</a>', '<a>x</a>'],
    ['<a href=" vbscript:msgbox(1)">x</a>', '<a>x</a>'],
    ['<a href="data:text/html,<b>x</b>">x</a>', '<a>x</a>'],
    ['<img src="data:image/png;base64,AAAA" alt="a" />', ''],
    ['<img src="javascript:alert(1)" />', ''],
    ['<a href="//evil.example/">x</a>', '<a>x</a>'],
    ['<iframe src="https://x.org/"></iframe><object data="x"></object><p>ok</p>', '<p>ok</p>'],
    ['<style>p{}</style><form><input value="v" /></form><p>ok</p>', '<p>ok</p>'],
    ['<svg><script>alert(1)</script></svg><p>ok</p>', '<p>ok</p>'],
    ['<code class="language-js evil">x</code>', '<code class="language-js">x</code>'],
  ])('%s', (input, expected) => {
    const output = sanitizeHtml(input);
    expect(output).toBe(expected);
    for (const match of output.matchAll(/(?:href|src)="([^"]*)"/g))
      expect(dangerousScheme(match[1] ?? '')).toBeNull();
  });

  it('escapes text so that it stays text', () => {
    expect(sanitizeHtml('<p>1 &lt; 2 &amp; 3 &gt; 2 ]]&gt;</p>')).toBe(
      '<p>1 &lt; 2 &amp; 3 &gt; 2 ]]&gt;</p>',
    );
  });
});

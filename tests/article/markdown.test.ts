import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accepted, parseFixture, parseText, rejectionCode } from './support.ts';

const md = (front: string, body = 'A paragraph of body text.') =>
  parseText('story.md', `---\n${front}\n---\n\n${body}\n`);

describe('Markdown front matter', () => {
  it('reads title, date, author, summary as dek, image, tags', async () => {
    const article = accepted(
      await md(
        'title: "Pier Reopens"\ndate: 2025-09-20\nauthor: Rosa Lind\nsummary: The short version.\nimage: pier.jpg\ntags: [local, sea]',
      ),
    );
    expect(article).toMatchObject({
      format: 'markdown',
      title: 'Pier Reopens',
      date: '2025-09-20',
      author: 'Rosa Lind',
      dek: 'The short version.',
      summary: 'The short version.',
      imageRef: 'pier.jpg',
      tags: ['local', 'sea'],
      warnings: [],
    });
  });

  it('takes the day from a quoted date or a timestamp', async () => {
    expect(accepted(await md('title: T\ndate: "2025-09-20"')).date).toBe('2025-09-20');
    expect(accepted(await md('title: T\ndate: 2025-09-20T23:30:00-05:00')).date).toBe('2025-09-20');
  });

  it('rejects an impossible or unreadable date', async () => {
    expect(rejectionCode(await md('title: T\ndate: 2025-02-30'))).toBe('impossible-date');
    expect(rejectionCode(await md('title: T\ndate: next Tuesday'))).toBe('impossible-date');
  });

  it('accepts a missing date with a warning', async () => {
    const article = accepted(await md('title: T'));
    expect(article.date).toBeNull();
    expect(article.warnings.join(' ')).toMatch(/no date/);
  });

  it('requires a title', async () => {
    expect(rejectionCode(await md('date: 2025-09-20'))).toBe('missing-title');
    expect(rejectionCode(await md('title: ""\ndate: 2025-09-20'))).toBe('missing-title');
    expect(rejectionCode(await parseText('story.md', '# A heading\n\nNo front matter.'))).toBe(
      'missing-title',
    );
  });

  it('rejects drafts', async () => {
    const result = await parseFixture(path.join('edge', 'draft.md'));
    expect(rejectionCode(result)).toBe('draft');
    expect(result.ok ? '' : result.rejection.reason).toMatch(/draft/);
  });

  it("rejects malformed YAML with the YAML parser's reason", async () => {
    const result = await parseFixture(path.join('edge', 'malformed-yaml.md'));
    expect(rejectionCode(result)).toBe('malformed-front-matter');
    expect(result.ok ? '' : result.rejection.reason).toMatch(/not valid YAML: .*line \d+/);
    expect(rejectionCode(await parseText('story.md', '---\ntitle: T\nno closing line'))).toBe(
      'malformed-front-matter',
    );
    expect(rejectionCode(await md('- just\n- a list'))).toBe('malformed-front-matter');
    expect(rejectionCode(await md('title: A\ntitle: B'))).toBe('malformed-front-matter');
  });

  it('refuses an alias bomb quickly instead of expanding it', async () => {
    const started = performance.now();
    const result = await parseFixture(path.join('edge', 'alias-bomb.md'));
    expect(rejectionCode(result)).toBe('malformed-front-matter');
    expect(result.ok ? '' : result.rejection.reason).toMatch(/alias/i);
    // Not a benchmark: 9^9 expanded strings would take minutes and gigabytes, so finishing at all is the test.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('warns about keys it does not know', async () => {
    expect(accepted(await md('title: T\ndate: 2025-01-01\ncategory: news')).warnings).toEqual([
      'ignored unknown front matter key(s): category',
    ]);
  });
});

describe('Markdown body', () => {
  it('makes one sanitised markup block per top-level element, with its plain text', async () => {
    const body = [
      '# Big heading',
      'Some *emphasis*, **strength** and a [link](https://example.org/a?b=1&c=2).',
      '- one\n- two',
      '> quoted',
      '```\ncode <b>here</b>\n```',
    ].join('\n\n');
    const article = accepted(await md('title: T\ndate: 2025-01-01', body));
    expect(article.blocks.map((block) => block.kind)).toEqual([
      'markup',
      'markup',
      'markup',
      'markup',
      'markup',
    ]);
    expect(article.blocks.map((block) => block.text)).toEqual([
      'Big heading',
      'Some emphasis, strength and a link.',
      'one two',
      'quoted',
      'code <b>here</b>',
    ]);
    const html = article.blocks.map((block) => (block.kind === 'markup' ? block.html.trim() : ''));
    expect(html[0]).toBe('<h2>Big heading</h2>');
    expect(html[1]).toBe(
      '<p>Some <em>emphasis</em>, <strong>strength</strong> and a <a href="https://example.org/a?b=1&amp;c=2">link</a>.</p>',
    );
    expect(html[4]).toBe('<pre><code>code &lt;b&gt;here&lt;/b&gt;\n</code></pre>');
  });

  it('shows raw HTML as text and never emits script, handlers or dangerous links', async () => {
    const body = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1)) [data](data:text/html,hi) ![pic](data:image/png;base64,AAAA)',
    ].join('\n\n');
    const article = accepted(await md('title: T\ndate: 2025-01-01', body));
    const html = article.blocks.map((block) => (block.kind === 'markup' ? block.html : '')).join('');
    // Only bare paragraphs: every other tag, and every attribute, was either text or refused.
    expect(html.match(/<[^>]*>/g)).toEqual(['<p>', '</p>', '<p>', '</p>', '<p>', '</p>']);
    expect(article.blocks[0]?.text).toBe('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('summary falls back to the first paragraph', async () => {
    expect(accepted(await md('title: T\ndate: 2025-01-01', '## Heading\n\nFirst words here.')).summary).toBe(
      'First words here.',
    );
  });

  it('a title with no body is accepted with a warning', async () => {
    const article = accepted(await parseText('story.md', '---\ntitle: T\ndate: 2025-01-01\n---\n'));
    expect(article.blocks).toEqual([]);
    expect(article.warnings.join(' ')).toMatch(/no body/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articleTextInOrder } from '../../shared/article/article-text.ts';
import { IMAGE_MARKER } from '../../shared/article/captions.ts';
import { ArticleRejection, type RejectionCode } from '../../shared/article/model.ts';
import { parseArticle } from '../../shared/article/parse.ts';
import { stripForbiddenChars } from '../../shared/html/safe-html.ts';
import { encode, paragraphs } from './support.ts';

/**
 * "Nothing is lost", made precise. Take the input without its date line; remove every `/ IMAGE:` marker,
 * every whitespace character, and the characters `(` `)` `,` (the byline's and the credits' punctuation,
 * which the parser turns into structure). What remains must equal, character for character and in order,
 * the same reduction of the article's roles concatenated in document order (`articleTextInOrder`). So no
 * word is dropped, duplicated, reordered or altered. Characters XML cannot carry are removed from both sides
 * first: the parser drops them by design, with a warning.
 */
function significant(text: string): string {
  return stripForbiddenChars(text)
    .normalize('NFC')
    .replace(new RegExp(IMAGE_MARKER.source, 'giu'), '')
    .replace(/[\s(),]/gu, '');
}

// Words exercise what a parser might mangle: markup, entities, quotes, accents, CJK, emoji, controls.
const CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'éÉßøΩ焼き🍙—–…“”‘’"\'<>&;:.!?-()[]]*#_',
  '\u0007',
  '\u001b',
  'e\u0301',
];
const word = fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 9 });
const words = (min: number, max: number) =>
  fc.array(word, { minLength: min, maxLength: max }).map((list) => list.join(' '));
/** A block hard-wrapped at random points, as editors' files are. */
const wrapped = (min: number, max: number) =>
  fc
    .tuple(
      fc.array(word, { minLength: min, maxLength: max }),
      fc.array(fc.boolean(), { minLength: max, maxLength: max }),
    )
    .map(([list, breaks]) =>
      list.map((w, i) => (i > 0 && breaks[i] ? `\n${w}` : i > 0 ? ` ${w}` : w)).join(''),
    );
const capitalised = words(1, 3).map((text) => `Q${text}`);

const isoDay = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

const bodyBlock = fc.oneof(
  wrapped(1, 30),
  fc.tuple(words(1, 8), capitalised).map(([caption, credit]) => `${caption} (${credit})`),
  fc.tuple(words(1, 8), words(1, 4)).map(([caption, credit]) => `${caption}. / IMAGE: ${credit}`),
);

const article = fc.record({
  dateLine: fc.option(isoDay.map((day) => ` date ${day}`)),
  // A title cannot start like a byline or a date line: those would be read as what they look like.
  title: words(1, 10).filter((title) => !/^\s*(?:\(|date)/i.test(title)),
  dek: fc.option(words(1, 20)),
  leadImage: fc.option(fc.tuple(words(1, 10), words(1, 4)).map(([c, credit]) => `${c} / IMAGE: ${credit}`)),
  byline: fc.option(
    fc
      .tuple(words(1, 3), fc.oneof(words(1, 3), fc.constant('Example.com')), fc.boolean(), wrapped(0, 20))
      .map(([author, outlet, closed, text]) => `(${author}, ${outlet}${closed ? ') ' : ''}${text}`),
  ),
  body: fc.array(bodyBlock, { maxLength: 6 }),
  footer: fc.option(
    fc.oneof(words(1, 3), fc.constant('Example.com')).map((o) => `This article originally appeared at ${o}.`),
  ),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
  gap: fc.constantFrom('\n\n', '\n\n\n', '\n \t\n'),
});

const CODES: ReadonlySet<RejectionCode> = new Set([
  'empty',
  'whitespace-only',
  'invalid-utf8',
  'nul-byte',
  'too-large',
  'impossible-date',
  'missing-title',
  'malformed-front-matter',
  'draft',
  'unsupported-type',
]);

describe('properties', () => {
  it('(a) every word of the input lands in exactly one role, in order', async () => {
    await fc.assert(
      fc.asyncProperty(article, async (a) => {
        const blocks = [a.title, a.dek, a.leadImage, a.byline, ...a.body, a.footer].filter(
          (block): block is string => block !== null && block.trim() !== '',
        );
        const text = [a.dateLine, ...blocks]
          .filter((part) => part !== null)
          .join(a.gap)
          .replace(/\n/g, a.newline);
        const result = await parseArticle('story.txt', encode(text));
        if (!result.ok)
          throw new Error(`rejected ${result.rejection.code}: ${result.rejection.reason}\n${text}`);
        expect(significant(articleTextInOrder(result.article).join(''))).toBe(
          significant(blocks.join('\n\n')),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('(b) any bytes give an article or a typed rejection, never an exception', async () => {
    const fragments = fc.constantFrom(
      '---\n',
      'title: ',
      'date ',
      ' date 2025-02-29',
      '2024-02-29',
      '/ IMAGE:',
      '(',
      ', ',
      ')',
      '\n\n',
      '\r',
      '&a [1]',
      '*a',
      'draft: true\n',
      '<script>',
      ']]>',
      '\u0000',
      '\uFEFF',
      'This article originally appeared at ',
      'Example.comThe',
      '# h\n',
      '[x](javascript:alert(1))',
      '\t',
      '\uD800',
    );
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.array(fragments, { maxLength: 40 }).map((parts) => encode(parts.join(''))),
      fc.string({ maxLength: 300 }).map(encode),
    );
    const name = fc.constantFrom('a.txt', 'a.md', 'B C.Markdown', 'x.text', 'photo.jpg', 'noext', '');
    await fc.assert(
      fc.asyncProperty(name, input, async (fileName, bytes) => {
        const result = await parseArticle(fileName, bytes, { maxBytes: 500 });
        if (result.ok) {
          expect(typeof result.article.title).toBe('string');
          expect(result.article.title.length).toBeGreaterThan(0);
          expect(result.article.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        } else {
          expect(result.rejection).toBeInstanceOf(ArticleRejection);
          // `internal-error` would mean the parser threw: the property is that it never does.
          expect(CODES.has(result.rejection.code)).toBe(true);
          expect(result.rejection.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('(c) markup, CDATA ends, entities and controls come out as inert text; only controls are removed', async () => {
    const token = fc.constantFrom(
      '<script>alert(1)</script>',
      ']]>',
      '&amp;',
      '&lt;b&gt;',
      '<b>',
      '<!--',
      '"',
      "'",
      '\u0007',
      '\u001b[31m',
      '\u007f',
      '\uFFFF',
      'plain',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { minLength: 1, maxLength: 12 }), async (tokens) => {
        const paragraph = `Start ${tokens.join(' ')} end.`;
        const title = `Title ${tokens.join(' ')}`;
        const result = await parseArticle('x.txt', encode(`date 2025-01-01\n\n${title}\n\n${paragraph}`));
        if (!result.ok) throw new Error(result.rejection.reason);
        const inert = (text: string) => stripForbiddenChars(text).replace(/ +/g, ' ').trim();
        expect(result.article.title).toBe(inert(title));
        expect(paragraphs(result.article)).toEqual([inert(paragraph)]);
      }),
      { numRuns: 200 },
    );
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8Offset } from '../../shared/article/decode.ts';
import { parseArticle } from '../../shared/article/parse.ts';
import { accepted, encode, fixturesDir, paragraphs, parseFixture, rejectionCode } from './support.ts';

const edge = (name: string) => path.join('edge', name);

describe('line endings, BOM and normalisation', () => {
  it.each(['crlf-line-endings.txt', 'cr-line-endings.txt', 'bom.txt'])(
    '%s reads like the LF original',
    async (name) => {
      const bytes = readFileSync(path.join(fixturesDir, 'edge', name));
      // The fixture must really carry what it is named after, or the test proves nothing.
      const raw = bytes.toString('latin1');
      if (name.startsWith('crlf')) expect(raw).toContain('\r\n');
      if (name.startsWith('cr-')) expect(raw).toMatch(/\r(?!\n)/);
      if (name === 'bom.txt') expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

      const article = accepted(await parseFixture(edge(name)));
      expect(article.date).toBe('2024-11-07');
      expect(article.title).toBe('Harbour Board Freezes Mooring Fees');
      expect(paragraphs(article)).toEqual([
        'The harbour board met on Thursday evening to discuss the winter mooring fees. Members agreed to freeze them for another year.',
        'A final decision on the slipway repairs was postponed until spring.',
      ]);
      expect(article.warnings).toEqual([]);
    },
  );

  it('trims trailing spaces, ignores indentation and tabs inside a block, and NFC-normalises', async () => {
    const decomposed = 'Cafe\u0301';
    const article = accepted(
      await parseArticle(
        'x.txt',
        encode(`date 2024-01-01   \n\n  Title  \t\n\n\tA ${decomposed}\tline   \n   wrapped.  \n`),
      ),
    );
    expect(article.title).toBe('Title');
    expect(paragraphs(article)).toEqual(['A Caf\u00e9 line wrapped.']);
  });

  it('keeps curly quotes, dashes, CJK and emoji exactly', async () => {
    const line = '“Quoted” — ‘single’ … 焼きおにぎり 🍙 Ω';
    expect(paragraphs(accepted(await parseArticle('x.txt', encode(`Title\n\n${line}`))))).toEqual([line]);
  });
});

describe('byte-level rejections', () => {
  it.each([
    ['empty.txt', 'empty'],
    ['whitespace-only.txt', 'whitespace-only'],
    ['nul-byte.txt', 'nul-byte'],
    ['invalid-utf8.txt', 'invalid-utf8'],
  ])('%s is rejected as %s', async (name, code) => {
    const result = await parseFixture(edge(name));
    expect(rejectionCode(result)).toBe(code);
  });

  it('names the offset of the first bad byte', async () => {
    const result = await parseFixture(edge('invalid-utf8.txt'));
    expect(result.ok ? '' : result.rejection.reason).toMatch(/bad byte 0xE9 at offset 56/);
  });

  it('treats a lone BOM as an empty file', async () => {
    expect(rejectionCode(await parseArticle('x.txt', new Uint8Array([0xef, 0xbb, 0xbf])))).toBe('empty');
  });

  it('rejects a file over the limit before looking at its bytes', async () => {
    // Invalid UTF-8 throughout: only a size check made before decoding can answer `too-large`.
    const huge = new Uint8Array(2 * 1024 * 1024).fill(0xff);
    const result = await parseArticle('huge.txt', huge);
    expect(rejectionCode(result)).toBe('too-large');
    expect(result.ok ? '' : result.rejection.reason).toContain(String(huge.length));
  });

  it('honours a configured limit, inclusive', async () => {
    const text = encode('Title\n\nBody.');
    expect((await parseArticle('x.txt', text, { maxBytes: text.length })).ok).toBe(true);
    expect(rejectionCode(await parseArticle('x.txt', text, { maxBytes: text.length - 1 }))).toBe('too-large');
  });

  it('falls back to the default limit when the configured one is not a positive number', async () => {
    const huge = new Uint8Array(2 * 1024 * 1024).fill(0x61);
    for (const maxBytes of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) {
      expect(rejectionCode(await parseArticle('huge.txt', huge, { maxBytes }))).toBe('too-large');
    }
  });

  it('removes control characters that XML cannot carry, and says so', async () => {
    const article = accepted(
      await parseArticle('x.txt', encode('Title\n\nA\u0007B\u001bC\u007fD\uFFFEE end.')),
    );
    expect(paragraphs(article)).toEqual(['ABCDE end.']);
    expect(article.warnings.join(' ')).toMatch(/removed 4 control characters/);
  });

  it('rejects other file types by extension', async () => {
    expect(rejectionCode(await parseArticle('photo.jpg', encode('Title\n\nBody.')))).toBe('unsupported-type');
    expect(rejectionCode(await parseArticle('README', encode('Title\n\nBody.')))).toBe('unsupported-type');
  });

  it('points at the start of the first sequence the fatal decoder refuses', async () => {
    const cases: [number[], number][] = [
      [[0x41, 0xc0, 0x80], 1], // overlong
      [[0xed, 0xa0, 0x80], 0], // surrogate
      [[0x41, 0x42, 0xf4, 0x90, 0x80, 0x80], 2], // above U+10FFFF
      [[0x41, 0xe2, 0x82], 1], // truncated at the end
      [[0x80], 0], // lone continuation byte
    ];
    for (const [bytes, offset] of cases) {
      const array = new Uint8Array(bytes);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(array)).toThrow();
      expect(firstInvalidUtf8Offset(array)).toBe(offset);
    }
    expect(firstInvalidUtf8Offset(encode('ascii, é, 焼, 🍙'))).toBe(-1);
  });
});

import { stripForbiddenChars } from '../html/safe-html.ts';
import { ArticleRejection } from './model.ts';

/** Article text ready for a parser: LF line endings, no trailing spaces, NFC, no XML-forbidden characters. */
export interface DecodedText {
  readonly text: string;
  readonly warnings: readonly string[];
}

// One decoder for every call: `fatal` turns any invalid sequence into an exception instead of U+FFFD,
// and the default `ignoreBOM: false` drops a leading BOM.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns raw bytes into normalised text, or throws an `ArticleRejection`. The cheap byte checks run first, so a
 * huge or binary upload is refused before any of it is decoded.
 */
export function decodeArticleBytes(bytes: Uint8Array, maxBytes: number): DecodedText {
  if (bytes.length === 0) throw new ArticleRejection('empty', 'the file is empty');
  if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes);
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new ArticleRejection(
      'nul-byte',
      `the file contains a NUL byte at offset ${nul}: it is not a text file`,
    );
  }
  let decoded: string;
  try {
    decoded = UTF8.decode(bytes);
  } catch {
    throw new ArticleRejection('invalid-utf8', `the file is not valid UTF-8 (${describeInvalidUtf8(bytes)})`);
  }
  return normaliseText(decoded);
}

/** The size rejection, also for callers that know a file's size before reading it (`dropfeed parse`). */
export function tooLarge(size: number, maxBytes: number): ArticleRejection {
  return new ArticleRejection(
    'too-large',
    `the file is ${size} bytes, larger than the ${maxBytes}-byte limit for an article`,
  );
}

/**
 * Line endings, trailing spaces and Unicode normalisation, per the inbox format. Characters XML cannot carry
 * (C0 controls but tab/LF/CR, DEL, U+FFFE/U+FFFF) would make every feed ill-formed: they are removed here,
 * once, and the removal is reported rather than done silently.
 */
export function normaliseText(decoded: string): DecodedText {
  const warnings: string[] = [];
  const withoutCr = decoded.replace(/\r\n?/g, '\n');
  const clean = stripForbiddenChars(withoutCr);
  const removed = withoutCr.length - clean.length;
  if (removed > 0) {
    warnings.push(`removed ${removed} control character${removed === 1 ? '' : 's'} that feeds cannot carry`);
  }
  // Per line, not /[^\S\n]+$/gm: that regex retries from every space of a long run that ends in a
  // non-space, which is quadratic; a 200 KB file of spaces took tens of seconds.
  const text = clean
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .normalize('NFC');
  if (text === '') throw new ArticleRejection('empty', 'the file has no text');
  if (text.trim() === '') throw new ArticleRejection('whitespace-only', 'the file contains only whitespace');
  return { text, warnings };
}

/** Points at the first bad byte so the author can find it; one linear pass (RFC 3629 well-formed sequences). */
function describeInvalidUtf8(bytes: Uint8Array): string {
  const offset = firstInvalidUtf8Offset(bytes);
  if (offset === -1) return 'undecodable byte sequence';
  const byte = bytes[offset] ?? 0;
  return `bad byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${offset}`;
}

export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
    if (length === 0) return i;
    // The second byte's range is narrower after some leads: that is what rules out overlongs and surrogates.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      if (byte === undefined) return i;
      const min = k === 1 ? low : 0x80;
      const max = k === 1 ? high : 0xbf;
      if (byte < min || byte > max) return i;
    }
    i += length;
  }
  return -1;
}

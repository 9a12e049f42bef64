/** A picture's caption and its credit, from an `/ IMAGE:` block or a trailing parenthesised credit. */
export interface CaptionParts {
  readonly caption: string;
  readonly credit: string | null;
}

/**
 * `/ IMAGE:` in any case with optional spaces. The slash must not sit inside a word, so a URL such as
 * `example.com/image:1` is not taken for the marker.
 */
export const IMAGE_MARKER = /(?<=^|[\s.!?…"'”’)\]])\/\s*image\s*:/iu;

/** Longest block still read as an inline caption; real paragraphs are longer. */
const MAX_CAPTION_LENGTH = 200;
const TRAILING_CREDIT = /^(.*\S)\s*\(([^()]+)\)$/su;
const ENDS_SENTENCE = /[.!?…:;]["'”’»]*$/u;
// Credits name someone: `(White House photo)`, `(AP Photo/…)`, `(via Reuters)`. A lower-case aside like
// `(yatai)` at the end of a short paragraph is not one.
const LOOKS_LIKE_CREDIT = /^(?:\p{Lu}|\p{N}|©|via\s|photo|courtesy|image|credit)/u;

/** Caption before the first marker, credit after it (null when nothing follows the marker). */
export function splitImageBlock(text: string): CaptionParts | null {
  // Most blocks have no slash at all; skipping the Unicode regex for them halves the text parser's time.
  if (!text.includes('/')) return null;
  const marker = IMAGE_MARKER.exec(text);
  if (!marker) return null;
  const credit = text.slice(marker.index + marker[0].length).trim();
  return { caption: text.slice(0, marker.index).trim(), credit: credit === '' ? null : credit };
}

/**
 * A short block without closing sentence punctuation that ends in a parenthesised credit is a figure caption.
 * Parentheses anywhere else, or a block that reads as a sentence, keep it a paragraph.
 */
export function parenthesisedCaption(text: string): CaptionParts | null {
  if (text.length >= MAX_CAPTION_LENGTH || !text.endsWith(')')) return null;
  const match = TRAILING_CREDIT.exec(text);
  const caption = match?.[1];
  const credit = match?.[2]?.trim();
  if (caption === undefined || credit === undefined || credit === '') return null;
  if (ENDS_SENTENCE.test(caption) || !LOOKS_LIKE_CREDIT.test(credit)) return null;
  return { caption, credit };
}

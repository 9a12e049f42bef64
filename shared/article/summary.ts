/** Summaries are cut near this many characters, the length feed readers show without truncating again. */
export const SUMMARY_LENGTH = 280;
// Do not cut back further than this for a word boundary: scripts without spaces get a hard cut instead.
const MIN_CUT = 200;

/** The dek when there is one; else the start of the first paragraph, cut at a word boundary, with `…`. */
export function summarise(dek: string | null, firstParagraph: string | null): string {
  if (dek !== null && dek !== '') return dek;
  if (firstParagraph === null) return '';
  const chars = Array.from(firstParagraph);
  if (chars.length <= SUMMARY_LENGTH) return firstParagraph;
  let cut = SUMMARY_LENGTH;
  while (cut > MIN_CUT && !/\s/u.test(chars[cut] ?? '')) cut--;
  if (cut === MIN_CUT) cut = SUMMARY_LENGTH;
  const head = chars
    .slice(0, cut)
    .join('')
    .trimEnd()
    .replace(/[\s,;:–—-]+$/u, '');
  return `${head}…`;
}

/**
 * Decides whether a URL, as a browser would read it, runs code or carries a document inline. It follows the
 * WHATWG URL parser rather than a regex on the raw text, because that is where obfuscations die: leading
 * C0 controls and spaces are stripped, tabs and newlines anywhere are removed, and the scheme is
 * case-insensitive. Entities must already be decoded (an HTML or XML parser has done that for attribute values).
 */

/** Schemes that execute script or embed a whole document; `data:` is refused everywhere, images included. */
export const DANGEROUS_SCHEMES: ReadonlySet<string> = new Set([
  'javascript',
  'vbscript',
  'data',
  'livescript',
  'mocha',
]);

// biome-ignore lint/suspicious/noControlCharactersInRegex: the URL parser strips exactly these
const LEADING_OR_TRAILING_C0_OR_SPACE = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** The scheme a browser would see, lower-cased, or null for a relative URL. */
export function urlScheme(value: string): string | null {
  const cleaned = value.replace(LEADING_OR_TRAILING_C0_OR_SPACE, '').replace(TAB_OR_NEWLINE, '');
  const match = SCHEME.exec(cleaned);
  return match?.[1] ? match[1].toLowerCase() : null;
}

/** The dangerous scheme the URL uses, or null when it is safe to follow or load. */
export function dangerousScheme(value: string): string | null {
  const scheme = urlScheme(value);
  return scheme !== null && DANGEROUS_SCHEMES.has(scheme) ? scheme : null;
}

/**
 * Every URL in a `srcset` (candidates separated by commas, each a URL then optional descriptors). A URL may
 * itself contain commas, so every whitespace- or comma-separated token is checked too: over-reporting is
 * the safe side for a checker.
 */
export function srcsetUrls(value: string): string[] {
  const candidates = value.split(',').map((part) => part.trim().split(/\s+/)[0] ?? '');
  const tokens = value.split(/[\s,]+/);
  return [...candidates, ...tokens].filter((url) => url !== '');
}

/** The URL in a `<meta http-equiv="refresh" content="5; url=...">`, if any. */
export function refreshUrl(content: string): string | null {
  const match = /^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(.*)$/i.exec(content);
  const url = match?.[1]?.trim().replace(/^['"]|['"]$/g, '') ?? '';
  return url === '' ? null : url;
}

/** CSS that can run script or fetch with a dangerous scheme (legacy engines, but cheap to refuse). */
export function dangerousCss(css: string): string | null {
  // CSS escapes (`\6a avascript`) and comments can hide words: undo both before looking.
  const plain = css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_m, hex: string) =>
      String.fromCodePoint(Number.parseInt(hex, 16) || 0xfffd),
    )
    .replace(/\\(.)/g, '$1')
    .toLowerCase();
  for (const word of ['expression(', 'behavior:', 'behaviour:', '-moz-binding', 'javascript:', 'vbscript:']) {
    if (plain.includes(word)) return word;
  }
  for (const match of plain.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/g)) {
    // A `data:` image in a stylesheet only paints; the script-running schemes are what matter here.
    const scheme = dangerousScheme(match[2] ?? '');
    if (scheme && scheme !== 'data') return `url(${scheme}:…)`;
  }
  if (/@import/.test(plain)) return '@import';
  return null;
}

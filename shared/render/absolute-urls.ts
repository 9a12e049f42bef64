import { escapeHtml, type SafeHtml, trustedHtml } from '../html/safe-html.ts';

/**
 * Feed readers resolve nothing (the W3C validator warns "should not contain relative URL references"), so
 * every link and picture address in an article's markup is made absolute against the page the markup
 * appears on. The page resolves a relative address against the same URL, so page and feeds point at the
 * same place.
 *
 * The input is sanitiser output, whose form is fixed: only `<a href>` and `<img src>` carry addresses,
 * attribute values are double-quoted with `&`, `<`, `>` and `"` escaped, so no `<` or `>` occurs inside a
 * tag and a tag is matched exactly by `<a ...>` / `<img ...>`. Text content never holds a raw `<`.
 */
const URL_TAG = /<(a|img)(\s[^<>]*)>/gi;
const URL_ATTRIBUTE = /(\s)(href|src)="([^"]*)"/gi;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function absoluteUrls(markup: SafeHtml, pageUrl: string): SafeHtml {
  const out = markup.replace(URL_TAG, (_tag, name: string, attributes: string) => {
    const rewritten = attributes.replace(
      URL_ATTRIBUTE,
      (match, space: string, attribute: string, escaped: string) => {
        const ref = decodeAttribute(escaped).trim();
        if (HAS_SCHEME.test(ref)) return match;
        let resolved: string;
        try {
          resolved = new URL(ref, pageUrl).href;
        } catch {
          return match;
        }
        return `${space}${attribute}="${escapeHtml(resolved)}"`;
      },
    );
    return `<${name}${rewritten}>`;
  });
  // Only attribute values were replaced, each by an escaped http(s) URL resolved against the page: the
  // markup stays exactly as safe as the sanitiser left it.
  return trustedHtml(out);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED[ref.toLowerCase()] ?? match;
  });
}

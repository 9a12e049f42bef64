/** What the byline gives: who wrote the piece, for whom, and the paragraph text that follows it. */
export interface Byline {
  readonly author: string;
  readonly outlet: string | null;
  readonly paragraph: string;
  readonly warning: string | null;
}

// `(Author, ` — a short name with no brackets or sentence punctuation (initials' dots are fine).
const BYLINE_START = /^\(\s*([^\s,()!?:;"“”][^,()!?:;"“”]{0,79}?)\s*,\s*/u;
/** Outlet names are short; a `)` further away than this closes some later aside, not the byline. */
const MAX_OUTLET_LENGTH = 80;
// A domain-like name (`Antiwar.com`, `Example.co.uk`) running into a capital letter or an opening quote.
const DOMAIN_RUN_IN = /^((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{Ll}{2,})\s*(?=[\p{Lu}"“‘'«])/u;
// Best effort: a lower-case letter glued to a capital or an opening quote (`DispatchResearchers`).
const CAMEL_JOIN = /^(.{1,80}?[\p{Ll}.])(?=[\p{Lu}“‘«])/u;

export function looksLikeByline(text: string): boolean {
  const match = BYLINE_START.exec(text);
  return match !== null && /\p{L}/u.test(match[1] ?? '');
}

/**
 * Splits `(Author, Outlet) First paragraph…`. The `)` is often lost, so the outlet's end is found, in order,
 * from: the `)`; the outlet the attribution footer names; a domain-like name running into the next word. When
 * none applies the guess is reported, and every word still lands in the outlet or the paragraph.
 */
export function splitByline(text: string, footerOutlet: string | null): Byline | null {
  const start = BYLINE_START.exec(text);
  const author = start?.[1]?.trim();
  if (!start || !author || !/\p{L}/u.test(author)) return null;
  const rest = text.slice(start[0].length);
  const found = outletByParenthesis(rest) ?? outletByFooter(rest, footerOutlet) ?? outletByDomain(rest);
  if (found) return { author, outlet: found.outlet, paragraph: found.paragraph, warning: null };

  const guess = outletByGuess(rest);
  return {
    author,
    outlet: guess.outlet,
    paragraph: guess.paragraph,
    warning:
      guess.outlet === null
        ? `the byline names no outlet after '${author}'`
        : `the byline has no closing ')' and no known end for the outlet; guessed '${guess.outlet}'`,
  };
}

interface OutletSplit {
  readonly outlet: string | null;
  readonly paragraph: string;
}

function outletByParenthesis(rest: string): OutletSplit | null {
  const close = rest.indexOf(')');
  if (close === -1 || close > MAX_OUTLET_LENGTH) return null;
  const outlet = rest.slice(0, close).trim();
  if (outlet.includes('(')) return null;
  return { outlet: outlet === '' ? null : outlet, paragraph: rest.slice(close + 1).trim() };
}

function outletByFooter(rest: string, footerOutlet: string | null): OutletSplit | null {
  if (!footerOutlet || !rest.toLowerCase().startsWith(footerOutlet.toLowerCase())) return null;
  const next = rest.charAt(footerOutlet.length);
  // `Antiwar` must not claim the start of `Antiwar.comPresident`.
  if (/[\p{Ll}\p{N}.-]/u.test(next)) return null;
  return { outlet: rest.slice(0, footerOutlet.length), paragraph: rest.slice(footerOutlet.length).trim() };
}

function outletByDomain(rest: string): OutletSplit | null {
  const match = DOMAIN_RUN_IN.exec(rest);
  if (!match?.[1]) return null;
  return { outlet: match[1], paragraph: rest.slice(match[0].length).trim() };
}

function outletByGuess(rest: string): OutletSplit {
  const joined = CAMEL_JOIN.exec(rest)?.[1];
  if (joined && !/[.!?]\s/u.test(joined)) {
    return { outlet: joined.trim(), paragraph: rest.slice(joined.length).trim() };
  }
  const firstWord = /^\S+/u.exec(rest)?.[0];
  if (!firstWord) return { outlet: null, paragraph: '' };
  return { outlet: firstWord, paragraph: rest.slice(firstWord.length).trim() };
}

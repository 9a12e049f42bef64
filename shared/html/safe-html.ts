/**
 * Escaping in the types: a `SafeHtml` can only be made by this module's escaper, by the sanitiser,
 * or by joining other `SafeHtml`s, so a renderer that accepts only `SafeHtml` cannot be handed raw text.
 */
declare const safeHtmlBrand: unique symbol;
export type SafeHtml = string & { readonly [safeHtmlBrand]: true };

// XML 1.0 forbids C0 controls other than tab/LF/CR, lone surrogates and U+FFFE/U+FFFF; HTML treats them as
// parse errors. They are dropped wherever text leaves the program, so no output can become ill-formed.
const FORBIDDEN_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// The same controls without the surrogate lookarounds: scanning for these alone is several times faster.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/;

/** Removes the characters XML 1.0 cannot carry at all (not even as references). */
export function stripForbiddenChars(text: string): string {
  // Nearly every text has none: checked first without the lookarounds, which made this a tenth of a build.
  if (isWellFormed(text) && !FORBIDDEN_CONTROL.test(text)) return text;
  return text.replace(FORBIDDEN_CHARS, '');
}

/** No lone surrogate (ES2024's String.prototype.isWellFormed, which Node 20 has; the ES2023 types do not). */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML or XML element content and attribute values (both quote styles). */
export function escapeHtml(text: string): SafeHtml {
  return stripForbiddenChars(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch) as SafeHtml;
}

/**
 * Template tag for markup: every interpolated value must already be `SafeHtml` (or a number), so plain text
 * cannot be spliced in unescaped; the compiler rejects `html\`<p>${title}</p>\`` until it reads
 * `escapeHtml(title)`. Arrays of fragments are joined; null and undefined render as nothing.
 */
export function html(
  strings: TemplateStringsArray,
  ...values: ReadonlyArray<SafeHtml | readonly SafeHtml[] | number | null | undefined>
): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += renderValue(value) + (strings[i + 1] ?? '');
  });
  return out as SafeHtml;
}

/** Joins already-safe fragments. */
export function joinSafe(parts: readonly SafeHtml[], separator = ''): SafeHtml {
  return parts.join(separator) as SafeHtml;
}

/**
 * Marks markup produced by a trusted generator (the sanitiser's output) as safe. Nothing else calls it:
 * renderers build markup with `html` and text goes through `escapeHtml`.
 */
export function trustedHtml(markup: string): SafeHtml {
  return markup as SafeHtml;
}

function renderValue(value: SafeHtml | readonly SafeHtml[] | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  return value.join('');
}

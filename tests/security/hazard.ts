/** What the output safety checker reports. */
export type HazardKind =
  /** `<script>` in any namespace. */
  | 'script'
  /** An `on*` attribute. */
  | 'event-handler'
  /** `javascript:` / `vbscript:` / `data:` … in a URL-bearing attribute or field. */
  | 'dangerous-url'
  /** Elements that embed other documents or rewrite the page: iframe, object, embed, base, … */
  | 'forbidden-element'
  /** `<svg>` / `<math>` / `<foreignObject>`: foreign content is where sanitiser bypasses (mXSS) live. */
  | 'foreign-content'
  /** `<style>` or a style attribute with script-capable CSS. */
  | 'style'
  /** Forms and controls in published content (phishing surface; no sanitiser allowlist needs them). */
  | 'form'
  /** The file does not parse as what it claims to be. */
  | 'malformed'
  /** A DOCTYPE in a feed: entity declarations are how XXE and billion-laughs payloads travel. */
  | 'doctype'
  /** XSLT `disable-output-escaping`: turns escaped text back into markup in the browser. */
  | 'unescaped-output'
  /** A media file that is really markup (an SVG with script, HTML served as an image). */
  | 'active-media'
  /** A site path that is absolute, climbs with `..`, or carries characters a key should not. */
  | 'unsafe-path';

export interface Hazard {
  /** The site file (and, for HTML inside a feed, the element that carried it). */
  readonly file: string;
  readonly kind: HazardKind;
  readonly detail: string;
}

/** Shortens a payload for a report line. */
export function clip(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

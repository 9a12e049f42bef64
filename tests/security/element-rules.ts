/**
 * The per-element rules of the output safety checker, shared by the HTML walk (parse5 elements) and the
 * XHTML carried inside Atom feeds (saxes elements): which elements, attributes and URLs are hazards.
 */
import type { Hazard, HazardKind } from './hazard.ts';
import { clip } from './hazard.ts';
import { dangerousCss, dangerousScheme, refreshUrl, srcsetUrls } from './url-safety.ts';

const SCRIPT_ELEMENTS = new Set(['script']);
const FORBIDDEN_ELEMENTS = new Set([
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'portal',
  'fencedframe',
  'isindex',
]);
const FOREIGN_ELEMENTS = new Set(['svg', 'math', 'foreignobject']);
const FORM_ELEMENTS = new Set(['form', 'input', 'button', 'textarea', 'select', 'keygen']);
const STYLE_ELEMENTS = new Set(['style']);

/** Attributes whose value a browser fetches, navigates to, or submits to. */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'background',
  'cite',
  'longdesc',
  'lowsrc',
  'dynsrc',
  'data',
  'codebase',
  'classid',
  'manifest',
  'ping',
  'profile',
  'usemap',
  'icon',
  'archive',
  'xlink:href',
  'xml:base',
]);

/** SVG animation can set `href` to a value given in these attributes. */
const SVG_ANIMATION_ELEMENTS = new Set(['animate', 'set', 'animatetransform', 'animatemotion']);
const SVG_ANIMATION_VALUES = new Set(['to', 'from', 'values', 'by']);

/** The rules for one element, shared by the HTML walk and the XHTML inside Atom feeds. */
export function checkElementParts(
  tagName: string,
  attributes: ReadonlyArray<{ readonly name: string; readonly value: string }>,
  file: string,
  where: string,
): Hazard[] {
  const hazards: Hazard[] = [];
  const name = tagName.toLowerCase();
  const report = (kind: HazardKind, detail: string) =>
    hazards.push({ file, kind, detail: `${where}: ${detail}` });
  if (SCRIPT_ELEMENTS.has(name)) report('script', `<${tagName}>`);
  if (FORBIDDEN_ELEMENTS.has(name)) report('forbidden-element', `<${tagName}>`);
  if (FOREIGN_ELEMENTS.has(name)) report('foreign-content', `<${tagName}>`);
  if (FORM_ELEMENTS.has(name)) report('form', `<${tagName}>`);
  if (STYLE_ELEMENTS.has(name)) report('style', `<${tagName}>`);
  const attr = (wanted: string) => attributes.find((a) => a.name.toLowerCase() === wanted)?.value;
  if (name === 'link' && /\bimport\b/i.test(attr('rel') ?? ''))
    report('forbidden-element', '<link rel=import>');
  if (name === 'meta' && (attr('http-equiv') ?? '').toLowerCase() === 'refresh') {
    const url = refreshUrl(attr('content') ?? '');
    const scheme = url === null ? null : dangerousScheme(url);
    if (scheme) report('dangerous-url', `<meta http-equiv=refresh> to ${scheme}: ${clip(url ?? '')}`);
  }
  for (const { name: rawName, value } of attributes) {
    const attrName = rawName.toLowerCase();
    const shown = `<${tagName} ${rawName}="${clip(value)}">`;
    if (/^on./.test(attrName) || /:on./.test(attrName)) report('event-handler', shown);
    if (attrName === 'srcdoc') report('forbidden-element', shown);
    const urls =
      attrName === 'srcset' || attrName === 'imagesrcset'
        ? srcsetUrls(value)
        : URL_ATTRIBUTES.has(attrName) || attrName.endsWith(':href')
          ? [value]
          : SVG_ANIMATION_ELEMENTS.has(name) && SVG_ANIMATION_VALUES.has(attrName)
            ? value.split(';')
            : [];
    for (const url of urls) {
      const scheme = dangerousScheme(url);
      if (scheme) report('dangerous-url', `${scheme}: in ${shown}`);
    }
    if (attrName === 'style') {
      const css = dangerousCss(value);
      if (css) report('style', `${css} in ${shown}`);
    }
  }
  return hazards;
}

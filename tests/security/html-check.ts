/**
 * Parses HTML with parse5 (the WHATWG algorithm browsers implement; deliberately not htmlparser2, which the
 * sanitiser itself uses, so a parser differential cannot hide a payload from both) and applies the element
 * rules to every element, template contents included.
 */
import type { DefaultTreeAdapterTypes } from 'parse5';
import { parse, parseFragment } from 'parse5';
import { checkElementParts } from './element-rules.ts';
import type { Hazard } from './hazard.ts';

export interface HtmlCheckOptions {
  /** Parse as a fragment (HTML carried inside a feed) instead of a whole document. */
  readonly fragment?: boolean;
}

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.ParentNode;
type Element = DefaultTreeAdapterTypes.Element;

/** Parses HTML with parse5 and reports every hazard in it. */
export function checkHtml(markup: string, file: string, options: HtmlCheckOptions = {}): Hazard[] {
  const root = options.fragment ? parseFragment(markup) : parse(markup);
  const hazards: Hazard[] = [];
  // An explicit stack: hostile input nests 10,000 deep, which would overflow a recursive walk.
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if ('tagName' in node) hazards.push(...checkElement(node, file));
    if ('childNodes' in node) stack.push(...node.childNodes);
    if (node.nodeName === 'template' && 'content' in node) stack.push(node.content);
  }
  return hazards;
}

function checkElement(element: Element, file: string): Hazard[] {
  const attributes = element.attrs.map((a) => ({
    name: a.prefix ? `${a.prefix}:${a.name}` : a.name,
    value: a.value,
  }));
  const found = checkElementParts(element.tagName, attributes, file, '');
  return found.map((h) => ({ ...h, detail: `${elementPath(element)}${h.detail}` }));
}

function elementPath(element: Element): string {
  const names: string[] = [];
  let node: Element | DefaultTreeAdapterTypes.ParentNode | null = element;
  while (node && 'tagName' in node && names.length < 8) {
    names.unshift(node.tagName);
    node = node.parentNode;
  }
  return names.join('>');
}

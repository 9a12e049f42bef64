import { type DefaultTreeAdapterTypes, parse } from 'parse5';

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;
export type Element = DefaultTreeAdapterTypes.Element;

/** Parses a page as a browser would (parse5, the WHATWG algorithm) and collects every parse error. */
export function parsePage(html: string): { document: DefaultTreeAdapterTypes.Document; errors: string[] } {
  const errors: string[] = [];
  const document = parse(html, {
    onParseError: (error) => errors.push(`${error.code} at line ${error.startLine}`),
  });
  return { document, errors };
}

export function findAll(node: Node, predicate: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  const visit = (current: Node) => {
    if ('tagName' in current && predicate(current)) found.push(current);
    const kids = 'childNodes' in current ? current.childNodes : [];
    for (const kid of kids) visit(kid);
    if ('content' in current && current.content) visit(current.content as unknown as Node);
  };
  visit(node);
  return found;
}

export function byTag(node: Node, tag: string): Element[] {
  return findAll(node, (e) => e.tagName === tag);
}

export function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

export function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  const kids = 'childNodes' in node ? node.childNodes : [];
  return kids.map((kid) => textOf(kid)).join('');
}

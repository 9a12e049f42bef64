import { SaxesParser } from 'saxes';

/**
 * A namespace-aware DOM with the line span of every element and the namespace declarations, which the W3C
 * Feed Validation Service's rules need (some of its checks look at the raw lines an element spans).
 */
export interface XAttribute {
  readonly name: string;
  readonly uri: string;
  readonly local: string;
  readonly value: string;
}

export interface XElement {
  readonly name: string;
  readonly uri: string;
  readonly local: string;
  readonly attributes: readonly XAttribute[];
  readonly children: XElement[];
  readonly parent: XElement | null;
  /** Character data directly inside this element (text and CDATA), entities decoded. */
  text: string;
  readonly startLine: number;
  endLine: number;
}

export interface XDocument {
  readonly root: XElement;
  /** `xmlns:prefix` (or `xmlns` with prefix '') → namespace URI, in document order. */
  readonly namespaces: readonly { readonly prefix: string; readonly uri: string }[];
  /** The XML declaration's version and encoding, when present. */
  readonly declaration: { readonly version: string; readonly encoding: string | undefined } | null;
  readonly lines: readonly string[];
}

/** Parses strictly; throws on the first well-formedness or namespace error. */
export function parseXmlDocument(xml: string): XDocument {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XElement[] = [];
  const namespaces: { prefix: string; uri: string }[] = [];
  let root: XElement | null = null;
  let declaration: XDocument['declaration'] = null;
  parser.on('xmldecl', (decl) => {
    declaration = { version: decl.version ?? '', encoding: decl.encoding };
  });
  parser.on('opentag', (tag) => {
    const attributes: XAttribute[] = [];
    for (const [name, attr] of Object.entries(tag.attributes)) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        namespaces.push({ prefix: name === 'xmlns' ? '' : name.slice(6), uri: attr.value });
        continue;
      }
      attributes.push({ name, uri: attr.uri, local: attr.local, value: attr.value });
    }
    const parent = stack.at(-1) ?? null;
    const element: XElement = {
      name: tag.name,
      uri: tag.uri,
      local: tag.local,
      attributes,
      children: [],
      parent,
      text: '',
      startLine: parser.line,
      endLine: parser.line,
    };
    parent?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  const addText = (text: string) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element) element.endLine = parser.line;
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return { root, namespaces, declaration, lines: xml.split('\n') };
}

export function kids(element: XElement, local: string, uri = ''): XElement[] {
  return element.children.filter((c) => c.local === local && c.uri === uri);
}

export function attribute(element: XElement, local: string, uri = ''): string | undefined {
  return element.attributes.find((a) => a.local === local && a.uri === uri)?.value;
}

/** The element's path, an item or entry labelled with its link or id so a finding names the article. */
export function pathOf(element: XElement): string {
  const names: string[] = [];
  for (let e: XElement | null = element; e; e = e.parent) {
    const label = e.local === 'item' || e.local === 'entry' ? itemLabel(e) : '';
    names.unshift(label ? `${e.name}[${label}]` : e.name);
  }
  return names.join('/');
}

function itemLabel(element: XElement): string {
  const named =
    element.children.find((c) => c.local === 'link' && c.text.trim()) ??
    element.children.find((c) => c.local === 'id');
  return (
    named?.text.trim() ||
    (element.children.find((c) => c.local === 'link')?.attributes.find((a) => a.local === 'href')?.value ??
      '')
  );
}

import { escapeHtml, type SafeHtml, stripForbiddenChars } from '../html/safe-html.ts';

/**
 * Lets the `feed` package lay out the XML while keeping every piece of text out of its hands. Its escaping is
 * unsound (only the first `]]>` is split, `&amp;` in text becomes `&`, attributes are not escaped, control
 * characters pass through), so each text value is handed to it as an opaque placeholder and written back
 * afterwards, escaped here. A placeholder is a private-use character pair around a number: it survives
 * `feed` untouched, and no URL or fixed string `feed` writes itself can contain one.
 *
 * Plain text writes `&` and `<` as hexadecimal character references (`&#x26;`, `&#x3C;`), as the RSS
 * Advisory Board's profile asks: the W3C validator otherwise warns that a title such as "Use <b> & &amp;"
 * may be mistaken for markup (its CharacterData and ContainsHTML checks accept the text when its line
 * carries `&#x`).
 */

const OPEN = '\uE000';
const CLOSE = '\uE001';
// A placeholder in CDATA (titles, summaries, content), optionally preceded by Atom's `type="html">`, or bare
// (element text and attribute values).
const SLOT_PATTERN = /(type="html">)?<!\[CDATA\[\uE000(\d+)\uE001\]\]>|\uE000(\d+)\uE001/g;

type SlotKind = 'text' | 'html';

interface Slot {
  readonly kind: SlotKind;
  /** Already escaped for XML element content and attribute values. */
  readonly xml: string;
}

export class FeedSlots {
  private readonly slots: Slot[] = [];

  /** Plain text. In Atom, a `type="html"` construct `feed` writes for it becomes `type="text"`. */
  text(value: string): string {
    return this.add({ kind: 'text', xml: escapeText(value) });
  }

  /** Markup, carried as escaped text (Atom `type="html"`, RSS `content:encoded`). */
  html(value: SafeHtml): string {
    return this.add({ kind: 'html', xml: escapeHtml(value) });
  }

  /** Plain text in a field readers treat as HTML (RSS `description`): escaped as HTML, then for XML. */
  textAsHtml(value: string): string {
    return this.add({ kind: 'html', xml: escapeHtml(escapeHtml(value)) });
  }

  /** Writes every placeholder in `feed`'s output back as its escaped text. */
  fill(xml: string): string {
    let filled = 0;
    const out = xml.replace(
      SLOT_PATTERN,
      (_match, atomHtmlType: string | undefined, cdataIndex?: string, bareIndex?: string) => {
        filled += 1;
        const slot = this.slots[Number(cdataIndex ?? bareIndex)];
        if (!slot) throw new Error(`feed output holds an unknown placeholder ${cdataIndex ?? bareIndex}`);
        if (atomHtmlType === undefined) return slot.xml;
        return `type="${slot.kind}">${slot.xml}`;
      },
    );
    // A placeholder `feed` mangled (split, re-wrapped) would otherwise leak a raw marker into the feed.
    const markers = xml.split(OPEN).length - 1;
    if (markers !== filled)
      throw new Error(`feed output holds ${markers - filled} placeholder(s) in an unexpected form`);
    return out;
  }

  private add(slot: Slot): string {
    this.slots.push(slot);
    return `${OPEN}${this.slots.length - 1}${CLOSE}`;
  }
}

const TEXT_REFERENCES: Record<string, string> = {
  '&': '&#x26;',
  '<': '&#x3C;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Plain text for XML element content and attribute values, `&` and `<` as hexadecimal references. */
function escapeText(value: string): string {
  return stripForbiddenChars(value).replace(/[&<>"']/g, (ch) => TEXT_REFERENCES[ch] ?? ch);
}

import { spawnSync } from 'node:child_process';

/**
 * The W3C Feed Validation Service's checks on HTML carried in a feed (RSS `description` and
 * `content:encoded`, Atom `type="html"`, here also JSON Feed `content_html`), run with the parser it runs:
 * html5lib in strict mode (Debian `python3-html5lib`, through `/usr/bin/python3`). The element and
 * attribute lists are the validator's own (feedvalidator/validators.py, HTMLValidator).
 */

/** Every HTML element name the validator knows; anything else is "Non-html tag". */
export const HTML_TAGS: readonly string[] = `a abbr acronym address applet area article aside audio b base
basefont bdi bdo big blockquote body br button canvas caption center cite code col colgroup command data
datagrid datalist dd del details dfn dialog dir div dl dt em eventsource fieldset figcaption figure font
footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins isindex kbd
label legend li link m main mark map menu meta meter nav noframes noscript object ol optgroup option output
p param picture pre progress q rp rt ruby s samp script section select slot small source span strike strong
style sub summary sup table tbody td template textarea tfoot th thead time title tr track tt u ul var xmp
plaintext embed comment listing video wbr`.split(/\s+/);

/** Elements the validator accepts without a SecurityRisk warning (no script, style, iframe, object…). */
export const ACCEPTABLE_ELEMENTS: readonly string[] = `a abbr acronym address area article aside audio b
bdi big blockquote br button canvas caption center cite code col colgroup command data datagrid datalist dd
del details dfn dialog dir div dl dt em eventsource fieldset figcaption figure footer font form header h1 h2
h3 h4 h5 h6 hgroup hr i img input ins keygen kbd label legend li m main map mark menu meter multicol nav
nextid ol output optgroup option p picture pre progress q rp rt ruby s samp section select small sound
source spacer span strike strong sub summary sup table tbody td template textarea time tfoot th thead tr
track tt u ul var video noscript wbr`.split(/\s+/);

/** Attributes accepted without a SecurityRiskAttr warning (so no `on*` event handler); `data-*` is fine too. */
export const ACCEPTABLE_ATTRIBUTES: readonly string[] = `abbr accept accept-charset accesskey action align
allow allowfullscreen allowpaymentrequest alt as autoplay autocapitalize autocomplete autofocus axis
background balance bgcolor bgproperties border bordercolor bordercolordark bordercolorlight bottompadding
cellpadding cellspacing ch challenge char charoff choff charset checked cite class clear color cols colspan
compact contenteditable coords crossorigin data datafld datapagesize datasrc datetime decoding default delay
dir dirname disabled download draggable dynsrc enctype end enterkeyhint face for form formenctype frame
galleryimg gutter headers height hidefocus hidden high href hreflang hspace icon id inputmode is ismap itemid
itemprop itemref itemscope itemtype kind keytype label lang leftspacing loading list longdesc loop loopcount
loopend loopstart low lowsrc max maxlength media method min minlength multiple muted name nohref nonce
noshade nowrap open optimum pattern ping placeholder playsinline point-size poster preload prompt pqg
radiogroup readonly referrerpolicy rel repeat-max repeat-min replace required rev reversed rightspacing rows
rowspan rules scope selected shape size sizes span spellcheck src srclang srcset start step summary suppress
tabindex target template title toppadding translate type unselectable usemap urn valign value variable
volume vspace vrml width wrap xml:lang xmlns`.split(/\s+/);

export interface HtmlFragment {
  /** Where the fragment sits, for the message. */
  readonly where: string;
  readonly html: string;
}

export interface HtmlFinding {
  readonly where: string;
  readonly code: 'NotHtml' | 'SecurityRisk' | 'SecurityRiskAttr' | 'DangerousStyleAttr' | 'ContainsRelRef';
  readonly detail: string;
}

// For each fragment: a strict html5lib parse (any parse error is the validator's NotHtml), then every
// element and attribute against the lists, then every href/src that is not absolute (`scheme:`). The
// validator looks for relative references only in `<a href>` as first attribute and `<img src>`; every
// href and src is checked here, which is stricter.
const SCRIPT = `
import sys, json, re
from html5lib.html5parser import HTMLParser, ParseError
data = json.load(sys.stdin)
tags = set(data['tags']); elements = set(data['elements']); attributes = set(data['attributes'])
out = []
for i, fragment in enumerate(data['fragments']):
    if fragment.lower().find('<?import ') >= 0:
        out.append([i, 'SecurityRisk', '?import'])
    try:
        tree = HTMLParser(strict=True).parseFragment(fragment)
    except ParseError as error:
        out.append([i, 'NotHtml', str(error)])
        continue
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag == 'DOCUMENT_FRAGMENT':
            continue
        tag = element.tag.split('}')[-1]
        if tag.lower() not in tags:
            out.append([i, 'NotHtml', 'Non-html tag: ' + tag])
        elif tag.lower() not in elements:
            out.append([i, 'SecurityRisk', tag])
        for name, value in element.attrib.items():
            name = name if isinstance(name, str) else ':'.join(n for n in name if n)
            if name.lower() == 'style':
                out.append([i, 'DangerousStyleAttr', tag + ' style=' + value])
            elif name.lower() not in attributes and name.lower()[:5] != 'data-':
                out.append([i, 'SecurityRiskAttr', tag + ' ' + name])
            if name.lower() in ('href', 'src') and not re.match(r'\\w+:', value.strip()):
                out.append([i, 'ContainsRelRef', tag + ' ' + name + '=' + value])
print(json.dumps(out))
`;

export function checkHtmlFragments(fragments: readonly HtmlFragment[]): HtmlFinding[] {
  if (fragments.length === 0) return [];
  const run = spawnSync('/usr/bin/python3', ['-c', SCRIPT], {
    input: JSON.stringify({
      tags: HTML_TAGS,
      elements: ACCEPTABLE_ELEMENTS,
      attributes: ACCEPTABLE_ATTRIBUTES,
      fragments: fragments.map((f) => f.html),
    }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`html5lib check failed (python3-html5lib installed?): ${run.stderr}`);
  const rows = JSON.parse(run.stdout) as [number, HtmlFinding['code'], string][];
  return rows.map(([i, code, detail]) => ({ where: fragments[i]?.where ?? `fragment ${i}`, code, detail }));
}

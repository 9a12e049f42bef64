import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { checkHtmlFragments, HTML_TAGS, type HtmlFragment } from './w3c-html.ts';
import { attribute, kids, parseXmlDocument, pathOf, type XDocument, type XElement } from './w3c-xml.ts';

/**
 * The W3C Feed Validation Service's checks that a site like dropfeed's can trip, as a reusable checker.
 * The service itself cannot run here (no network, not packaged), so its rules are encoded from its source
 * (github.com/w3c/feedvalidator: logging.py names every message, validators.py, item.py, channel.py,
 * image.py, link.py, content.py, entry.py and mediaTypes.py hold the rules). Codes are the validator's
 * message class names; `severity` is its Error/Warning split (Info messages are not reported, as the
 * service does not count them). A few checks are stricter than the service, marked "stricter" below,
 * and a few are dropfeed's own, with codes starting `Dropfeed`.
 *
 * Not encoded: checks for elements dropfeed never writes (iTunes, Media RSS, RSS 1.0, cloud, textInput,
 * skipHours...), HTTP-level checks (redirects, compression), and the ISO 639 three-letter code table
 * (three-letter languages are accepted unchecked).
 */

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly severity: Severity;
  readonly code: string;
  readonly where: string;
  readonly detail: string;
}

export interface CheckContext {
  /** The URL the feed is served at: the self link must name it. */
  readonly feedUrl: string;
  /** "Implausible" dates are those more than ten minutes after this. */
  readonly now: Date;
  /** The Content-Type header it is served with, when checking that too. */
  readonly contentType?: string;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.severity} ${f.code} at ${f.where}: ${f.detail}`).join('\n');
}

// ---------------------------------------------------------------------------------------------- shared

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** Namespaces the validator knows, with its preferred prefix (a subset of base.py's table). */
const KNOWN_NAMESPACES: Record<string, string> = {
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.w3.org/2005/Atom': 'atom',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://search.yahoo.com/mrss/': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://purl.org/rss/1.0/modules/syndication/': 'sy',
  'http://purl.org/rss/1.0/modules/slash/': 'slash',
  'http://wellformedweb.org/CommentAPI/': 'wfw',
  'http://www.georss.org/georss': 'georss',
  'http://purl.org/syndication/thread/1.0': 'thr',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://www.w3.org/XML/1998/namespace': 'xml',
};

/** html.entities.name2codepoint: the HTML 4 entity names the validator treats as markup in plain text. */
const HTML_ENTITY_NAMES = new Set(
  `AElig Aacute Acirc Agrave Alpha Aring Atilde Auml Beta Ccedil Chi Dagger Delta ETH Eacute Ecirc Egrave
Epsilon Eta Euml Gamma Iacute Icirc Igrave Iota Iuml Kappa Lambda Mu Ntilde Nu OElig Oacute Ocirc Ograve
Omega Omicron Oslash Otilde Ouml Phi Pi Prime Psi Rho Scaron Sigma THORN Tau Theta Uacute Ucirc Ugrave
Upsilon Uuml Xi Yacute Yuml Zeta aacute acirc acute aelig agrave alefsym alpha amp and ang aring asymp atilde
auml bdquo beta brvbar bull cap ccedil cedil cent chi circ clubs cong copy crarr cup curren dArr dagger darr
deg delta diams divide eacute ecirc egrave empty emsp ensp epsilon equiv eta eth euml euro exist fnof forall
frac12 frac14 frac34 frasl gamma ge gt hArr harr hearts hellip iacute icirc iexcl igrave image infin int iota
iquest isin iuml kappa lArr lambda lang laquo larr lceil ldquo le lfloor lowast loz lrm lsaquo lsquo lt macr
mdash micro middot minus mu nabla nbsp ndash ne ni not notin nsub ntilde nu oacute ocirc oelig ograve oline
omega omicron oplus or ordf ordm oslash otilde otimes ouml para part permil perp phi pi piv plusmn pound
prime prod prop psi quot rArr radic rang raquo rarr rceil rdquo real reg rfloor rho rlm rsaquo rsquo sbquo
scaron sdot sect shy sigma sigmaf sim spades sub sube sum sup sup1 sup2 sup3 supe szlig tau there4 theta
thetasym thinsp thorn tilde times trade uArr uacute uarr ucirc ugrave uml upsih upsilon uuml weierp xi yacute
yen yuml zeta zwj zwnj`.split(/\s+/),
);
const HTML_TAG_SET = new Set(HTML_TAGS);

/** ISO 639-1 codes (and the validator's 'x'/'xx'), from feedvalidator/iso639codes.py. */
const ISO_639_1 = new Set(
  `aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee
el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it
iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt
my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl
sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za
zh zu x xx`.split(/\s+/),
);

const FEED_MEDIA_TYPES = new Set([
  'text/xml',
  'application/xml',
  'application/rss+xml',
  'application/rdf+xml',
  'application/atom+xml',
]);

/** Collects findings; `html` fragments are checked together in one html5lib run at the end. */
class Report {
  readonly findings: Finding[] = [];
  readonly html: HtmlFragment[] = [];
  constructor(readonly ctx: CheckContext) {}
  error(code: string, where: string, detail = ''): void {
    this.findings.push({ severity: 'error', code, where, detail });
  }
  warning(code: string, where: string, detail = ''): void {
    this.findings.push({ severity: 'warning', code, where, detail });
  }
  finish(): Finding[] {
    for (const f of checkHtmlFragments(this.html)) {
      // The validator's NotHtml and the security checks are warnings; so is ContainsRelRef.
      this.warning(f.code, f.where, f.detail);
    }
    return this.findings;
  }
}

/** rfc2396_full: an absolute URI of URI characters; `http`/`ftp` ones need a host after `//`. */
const FULL_URI = /^[a-zA-Z][0-9a-zA-Z+\-.]*:(\/\/)?[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]+$/;

function isFullUri(value: string): boolean {
  if (!FULL_URI.test(value)) return false;
  const scheme = value.split(':')[0]?.toLowerCase();
  if ((scheme === 'http' || scheme === 'ftp') && !/^\w+:\/\/[^/].*/.test(value)) return false;
  return true;
}

// validators.py httpURL: the host must be dotted (a name with a dot, or an IPv4 address).
const HTTP_URL =
  /^(http|https):\/\/(([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([A-Z0-9-]+\.)+))([A-Z0-9][-A-Z0-9]*)(?::\d+)?(\/|$)/i;

const MIME =
  /^[^\s()<>,;:\\"/[\]?=]+\/[^\s()<>,;:\\"/[\]?=]+(\s*;\s*[^\s()<>,;:\\"/[\]?=]+=("(\\"|[^"])*"|[^\s()<>,;:\\"/[\]?=]+))*$/;

/** uri.py's canonical form, for NonCanonicalURI and for comparing a self link with the feed's location. */
export function canonicalUri(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const path = url.pathname
    .split('/')
    .map((segment) =>
      segment.replace(/%([0-9a-f]{2})/gi, (m, hex: string) => {
        const ch = String.fromCharCode(Number.parseInt(hex, 16));
        return /[A-Za-z0-9\-._~]/.test(ch) ? ch : m.toUpperCase();
      }),
    )
    .join('/');
  return `${url.protocol}//${url.host}${path}${url.search}${url.hash}`;
}

function sameUri(a: string, b: string): boolean {
  const ca = canonicalUri(a);
  return ca !== null && ca === canonicalUri(b);
}

function isImplausible(ms: number, ctx: CheckContext, year: number): boolean {
  return year < 1990 || ms > ctx.now.getTime() + 600_000;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RFC_2822 =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d\d?) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d\d\d\d) (\d\d):(\d\d)(?::(\d\d))? ([+-]?\d\d[03]0|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z)$/;
const RFC_822_LOOSE =
  /^((mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?\d\d?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+\d\d(\d\d)?\s+\d\d:\d\d(:\d\d)?\s+(([+-]\d\d\d\d)|ut|gmt|est|edt|cst|cdt|mst|mdt|pst|pdt|[a-ik-z])?$/;
const ZONE_HOURS: Record<string, number> = {
  EST: -5,
  EDT: -4,
  CST: -6,
  CDT: -5,
  MST: -7,
  MDT: -6,
  PST: -8,
  PDT: -7,
};

/** validators.py rfc822: pubDate, lastBuildDate. Returns the instant (ms) when valid. */
function checkRfc822(report: Report, where: string, value: string): number | null {
  const m = RFC_2822.exec(value);
  if (!m) {
    // The looser RFC 822 grammar, after dropping quoted pairs and (nested) comments, as validators.py does.
    let loose = value.replace(/\\./g, '');
    for (let before = ''; before !== loose; ) {
      before = loose;
      loose = loose.replace(/\([^(]*?\)/g, ' ');
    }
    if (RFC_822_LOOSE.test(loose.trim().toLowerCase()))
      report.warning('ProblematicalRFC822Date', where, value);
    else report.error('InvalidRFC2822Date', where, value);
    return null;
  }
  const [, dow, day, mon, year, hh, mm, ss, zone] = m;
  const monthIndex = MONTHS.indexOf(mon as string);
  const utc = Date.UTC(Number(year), monthIndex, Number(day), Number(hh), Number(mm), Number(ss ?? 0));
  const check = new Date(Date.UTC(Number(year), monthIndex, Number(day)));
  if (check.getUTCDate() !== Number(day) || Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 60) {
    report.error('InvalidRFC2822Date', where, value);
    return null;
  }
  if (dow && DAYS[check.getUTCDay()] !== dow) {
    report.error('IncorrectDOW', where, value);
    return null;
  }
  let offsetMinutes = 0;
  if (zone && /^[+-]?\d{4}$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/^[+-]/, '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  } else if (zone && ZONE_HOURS[zone] !== undefined) offsetMinutes = (ZONE_HOURS[zone] as number) * 60;
  const ms = utc - offsetMinutes * 60_000;
  if (isImplausible(ms, report.ctx, Number(year))) report.warning('ImplausibleDate', where, value);
  return ms;
}

const RFC_3339 = /^(\d\d\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d*)?(Z|[+-]\d\d:\d\d)$/;

/** validators.py rfc3339: Atom dates, JSON Feed dates. Returns the instant (ms) when valid. */
function checkRfc3339(
  report: Report,
  where: string,
  value: string,
  code = 'InvalidRFC3339Date',
): number | null {
  const m = RFC_3339.exec(value);
  const ms = Date.parse(value);
  if (!m || Number.isNaN(ms)) {
    report.error(code, where, value);
    return null;
  }
  const [, y, mo, d, hh, mi, ss] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCDate() !== Number(d) || Number(hh) > 23 || Number(mi) > 60 || Number(ss) > 60) {
    report.error(code, where, value);
    return null;
  }
  if (isImplausible(ms, report.ctx, Number(y))) report.warning('ImplausibleDate', where, value);
  return ms;
}

/**
 * validators.py nonhtml: plain-text elements (RSS titles, descriptions of the channel, categories; Atom
 * `type="text"` constructs) that look like markup. An end tag of an HTML element always warns; an entity
 * name or `&#` warns, and in RSS 2 a `<` or `&#` warns (CharacterData), unless a line of the element
 * carries `&#x` (the RSS profile's hexadecimal references).
 */
function checkNonHtml(
  report: Report,
  doc: XDocument,
  element: XElement,
  feed: 'rss' | 'atom',
  message: 'ContainsHTML' | 'ContainsUndeclaredHTML',
): void {
  const value = element.text;
  const where = pathOf(element);
  const endTags = [...value.matchAll(/<\/(\w+)>/g)].map((m) => m[1] as string);
  const htmlEnd = endTags.find((t) => HTML_TAG_SET.has(t.toLowerCase()));
  if (htmlEnd) {
    report.warning(message, where, `</${htmlEnd}>`);
    return;
  }
  const charData = doc.lines.slice(element.startLine - 1, element.endLine).some((l) => l.includes('&#x'));
  const entities = [...value.matchAll(/&(#?[\p{L}\p{N}_]+)/gu)].map((m) => m[1] as string);
  if (entities.length > 0) {
    for (const name of entities) {
      const looksLikeEntity = HTML_ENTITY_NAMES.has(name) || name === 'apos' || !/^\p{L}+$/u.test(name);
      if (looksLikeEntity && !charData) {
        report.warning(message, where, `&${name};`);
        return;
      }
    }
    return;
  }
  if (feed === 'rss' && /&#[x0-9]|<[/a-zA-Z]/.test(value) && !charData) {
    report.warning('CharacterData', where, value.slice(0, 80));
  }
}

function checkNamespaces(report: Report, doc: XDocument, feed: 'rss' | 'atom'): void {
  const preferredUri = new Map(Object.entries(KNOWN_NAMESPACES).map(([uri, prefix]) => [prefix, uri]));
  for (const { prefix, uri } of doc.namespaces) {
    const known = KNOWN_NAMESPACES[uri];
    if (prefix !== '' && preferredUri.has(prefix) && known !== prefix) {
      report.warning('ReservedPrefix', `xmlns:${prefix}`, `${prefix} is for ${preferredUri.get(prefix)}`);
    } else if (known === undefined && uri !== '' && !(feed === 'atom' && uri === NS.atom)) {
      report.warning('UnknownNamespace', `xmlns:${prefix}`, uri);
    }
    if (feed === 'atom' && (known === 'atom' || known === 'xhtml') && prefix !== '') {
      report.warning('AvoidNamespacePrefix', `xmlns:${prefix}`, uri);
    }
  }
}

function checkDocument(report: Report, doc: XDocument, expectedType: string): void {
  if (doc.declaration && doc.declaration.version !== '1.0') {
    report.error('BadXmlVersion', 'xml', doc.declaration.version);
  }
  const { contentType } = report.ctx;
  if (contentType === undefined) return;
  const [mediaType = '', ...params] = contentType.split(';').map((p) => p.trim());
  if (!FEED_MEDIA_TYPES.has(mediaType.toLowerCase())) {
    report.warning('UnexpectedContentType', 'Content-Type', contentType);
  } else if (mediaType.toLowerCase() !== expectedType && mediaType.toLowerCase().endsWith('+xml')) {
    report.warning('UnexpectedContentType', 'Content-Type', `${contentType} for a ${expectedType} document`);
  }
  const charset = params
    .find((p) => /^charset=/i.test(p))
    ?.split('=')[1]
    ?.replace(/"/g, '');
  const declared = doc.declaration?.encoding ?? 'utf-8';
  if (charset && charset.toLowerCase() !== declared.toLowerCase()) {
    report.warning('EncodingMismatch', 'Content-Type', `served as ${charset}, declared ${declared}`);
  }
}

/** link.py: Atom links (in Atom feeds and as `atom:link` in RSS). */
const LINK_RELATIONS = new Set(
  'alternate current describedby edit edit-media enclosure first hub last license next next-archive payment prev-archive previous related replies search self service up via'.split(
    ' ',
  ),
);

interface LinkInfo {
  readonly rel: string;
  readonly type: string;
  readonly hreflang: string;
  readonly href: string;
}

function checkAtomLink(report: Report, link: XElement, container: 'feed' | 'entry'): LinkInfo {
  const where = pathOf(link);
  const rel = attribute(link, 'rel') ?? 'alternate';
  const type = attribute(link, 'type') ?? '';
  const href = attribute(link, 'href');
  if (link.text.trim()) report.warning('AtomLinkNotEmpty', where);
  if (attribute(link, 'rel') !== undefined) {
    if (!rel) report.warning('AttrNotBlank', where, 'rel');
    else if (!LINK_RELATIONS.has(rel) && !FULL_URI.test(rel))
      report.warning('UnregisteredAtomLinkRel', where, rel);
  }
  if (attribute(link, 'type') !== undefined) {
    if (!MIME.test(type)) report.error('InvalidMIMEType', where, type);
    else if (
      rel === 'self' &&
      !['application/atom+xml', 'application/rss+xml', 'application/rdf+xml'].includes(
        type.split(';')[0] as string,
      )
    ) {
      report.warning('SelfNotAtom', where, type);
    }
  }
  const length = attribute(link, 'length');
  if (length !== undefined && !/^\d+$/.test(length)) report.error('InvalidNonNegativeInteger', where, length);
  const hreflang = attribute(link, 'hreflang') ?? '';
  if (href === undefined) report.error('MissingHref', where, 'href');
  else {
    if (!isFullUri(href)) report.error('InvalidIRI', where, href);
    if (rel === 'self' && container === 'feed' && !sameUri(href, report.ctx.feedUrl)) {
      report.warning('SelfDoesntMatchLocation', where, `${href} is not ${report.ctx.feedUrl}`);
    }
  }
  return { rel, type, hreflang, href: href ?? '' };
}

function checkLanguage(report: Report, where: string, value: string): void {
  const primary = value.split('-')[0]?.toLowerCase() ?? '';
  if (!(ISO_639_1.has(primary) || /^[a-z]{3}$/.test(primary))) report.error('InvalidLanguage', where, value);
}

function checkEmailWithName(report: Report, where: string, value: string): void {
  // validators.py email_with_name: `address (Real Name)`; a bare name is InvalidContact.
  const address = value.startsWith('mailto:') ? decodeURIComponent(value.slice(7)) : value;
  if (!/^[A-Z0-9_\-+.']+@(([0-9]{1,3}\.){3}|([A-Z0-9-]+\.)+)[A-Z0-9][-A-Z0-9]*/i.test(address)) {
    report.error('InvalidContact', where, value);
  } else if (!address.endsWith(')')) {
    report.warning(address.includes(' ') ? 'EmailFormat' : 'MissingRealName', where, value);
  }
}

function checkHtmlField(report: Report, element: XElement | { where: string; value: string }): void {
  const where = 'where' in element ? element.where : pathOf(element);
  const value = 'where' in element ? element.value : element.text;
  report.html.push({ where, html: value });
}

function checkNoDuplicates(report: Report, parent: XElement, names: readonly string[], uri = ''): void {
  for (const name of names) {
    const found = kids(parent, name, uri);
    if (found.length > 1) report.error('DuplicateElement', pathOf(parent), `${found.length} × ${name}`);
  }
}

function checkBadCharacters(report: Report, where: string, value: string): void {
  const bad = /[\u0080-\u009F\uFFFD]/.exec(value);
  if (bad) report.warning('BadCharacters', where, `U+${bad[0].charCodeAt(0).toString(16).toUpperCase()}`);
}

// ------------------------------------------------------------------------------------------------- RSS

const CHANNEL_ELEMENTS = new Set(
  'title link description language copyright managingEditor webMaster pubDate lastBuildDate category generator docs cloud ttl image rating textInput skipHours skipDays item'.split(
    ' ',
  ),
);
const ITEM_ELEMENTS = new Set(
  'title link description author category comments enclosure guid pubDate source'.split(' '),
);

/** The RSS 2.0 checks. */
export function checkRss(xml: string, ctx: CheckContext): Finding[] {
  const report = new Report(ctx);
  let doc: XDocument;
  try {
    doc = parseXmlDocument(xml);
  } catch (error) {
    report.error('SAXError', 'document', (error as Error).message);
    return report.findings;
  }
  checkDocument(report, doc, 'application/rss+xml');
  checkNamespaces(report, doc, 'rss');
  const rss = doc.root;
  if (rss.local !== 'rss' || rss.uri !== '') {
    report.error('UndefinedElement', rss.name, 'root is not <rss>');
    return report.finish();
  }
  if (attribute(rss, 'version') !== '2.0')
    report.error('InvalidRSSVersion', 'rss', attribute(rss, 'version') ?? '');
  const channels = kids(rss, 'channel');
  const channel = channels[0];
  if (!channel || channels.length > 1) {
    report.error(channel ? 'DuplicateElement' : 'MissingChannel', 'rss', 'channel');
    return report.finish();
  }
  checkChannel(report, doc, channel);
  return report.finish();
}

function checkChannel(report: Report, doc: XDocument, channel: XElement): void {
  for (const [name, code] of [
    ['title', 'MissingTitle'],
    ['link', 'MissingLink'],
    ['description', 'MissingDescription'],
  ] as const) {
    if (kids(channel, name).length === 0) report.error(code, 'channel', name);
  }
  checkNoDuplicates(report, channel, [
    'title',
    'link',
    'description',
    'language',
    'copyright',
    'pubDate',
    'lastBuildDate',
    'docs',
    'generator',
    'image',
    'ttl',
  ]);
  let seenItem = false;
  let lastBuild: number | null = null;
  const itemDates: number[] = [];
  const guids = new Set<string>();
  const selfLinks: LinkInfo[] = [];
  for (const child of channel.children) {
    const where = pathOf(child);
    if (child.uri === '' && child.local === 'item') {
      seenItem = true;
      const pubDate = checkItem(report, doc, child, guids);
      if (pubDate !== null) itemDates.push(pubDate);
      continue;
    }
    if (seenItem) report.warning('MisplacedItem', where, 'channel metadata after an item');
    if (child.uri === NS.atom && child.local === 'link') {
      const link = checkAtomLink(report, child, 'feed');
      if (link.rel === 'self') selfLinks.push(link);
      continue;
    }
    if (child.uri !== '') continue; // extension elements: only their namespace is checked
    if (!CHANNEL_ELEMENTS.has(child.local)) {
      report.error('UndefinedElement', where, child.local);
      continue;
    }
    switch (child.local) {
      case 'title':
        if (!child.text.trim()) report.warning('NotBlank', where);
        checkNonHtml(report, doc, child, 'rss', 'ContainsHTML');
        break;
      case 'description':
      case 'copyright':
        checkNonHtml(report, doc, child, 'rss', 'ContainsHTML');
        break;
      case 'link':
      case 'docs':
        if (!isFullUri(child.text)) report.error('InvalidFullLink', where, child.text);
        break;
      case 'language':
        checkLanguage(report, where, child.text);
        break;
      case 'pubDate':
        checkRfc822(report, where, child.text);
        break;
      case 'lastBuildDate':
        lastBuild = checkRfc822(report, where, child.text);
        break;
      case 'managingEditor':
      case 'webMaster':
        checkEmailWithName(report, where, child.text);
        break;
      case 'category':
        checkNonHtml(report, doc, child, 'rss', 'ContainsHTML');
        break;
      case 'ttl':
        if (!/^\d+$/.test(child.text) || Number(child.text) <= 0)
          report.error('InvalidInteger', where, child.text);
        break;
      case 'image':
        checkChannelImage(report, doc, channel, child);
        break;
    }
  }
  if (selfLinks.length === 0) report.warning('MissingAtomSelfLink', 'channel');
  if (lastBuild !== null) {
    const newest = Math.max(...itemDates);
    // Not a W3C rule: a channel last built before its newest item was published is a stale cache sign.
    if (itemDates.length > 0 && lastBuild < newest) {
      report.warning('DropfeedLastBuildBeforeItem', 'channel/lastBuildDate', new Date(newest).toISOString());
    }
  }
}

function checkChannelImage(report: Report, doc: XDocument, channel: XElement, image: XElement): void {
  const where = pathOf(image);
  if (image.text.trim()) report.error('UnexpectedText', where);
  for (const [name, code] of [
    ['title', 'MissingTitle'],
    ['url', 'MissingElement'],
    ['link', 'MissingLink'],
  ] as const) {
    if (kids(image, name).length === 0) report.error(code, where, name);
  }
  checkNoDuplicates(report, image, ['title', 'url', 'link', 'width', 'height', 'description']);
  const channelTitle = kids(channel, 'title')[0]?.text;
  const channelLink = kids(channel, 'link')[0]?.text;
  for (const child of image.children) {
    const at = pathOf(child);
    switch (child.local) {
      case 'title':
        if (!child.text.trim()) report.warning('NotBlank', at);
        else checkNonHtml(report, doc, child, 'rss', 'ContainsHTML');
        if (channelTitle && channelTitle !== child.text) report.warning('ImageTitleDoesntMatch', at);
        break;
      case 'link':
        if (!isFullUri(child.text)) report.error('InvalidFullLink', at, child.text);
        if (channelLink && channelLink !== child.text) report.warning('ImageLinkDoesntMatch', at);
        break;
      case 'url': {
        if (!isFullUri(child.text)) report.error('InvalidFullLink', at, child.text);
        const ext = child.text.split('.').at(-1)?.toLowerCase() ?? '';
        if (/^\w+$/.test(ext) && !['jpg', 'jpeg', 'gif', 'png'].includes(ext))
          report.warning('ImageUrlFormat', at);
        break;
      }
      case 'width':
      case 'height': {
        const max = child.local === 'width' ? 144 : 400;
        const n = Number(child.text);
        if (!/^\d+$/.test(child.text) || n <= 0 || n > max) {
          report.error(child.local === 'width' ? 'InvalidWidth' : 'InvalidHeight', at, child.text);
        }
        break;
      }
    }
  }
}

/** One item; returns its pubDate (ms) when it has a valid one. */
function checkItem(report: Report, doc: XDocument, item: XElement, guids: Set<string>): number | null {
  const where = pathOf(item);
  const has = (name: string, uri = '') => kids(item, name, uri).length > 0;
  if (!has('title') && !has('description')) report.error('ItemMustContainTitleOrDescription', where);
  if (!has('guid')) report.warning('MissingGuid', where);
  checkNoDuplicates(report, item, [
    'title',
    'link',
    'description',
    'guid',
    'pubDate',
    'author',
    'comments',
    'source',
  ]);
  checkNoDuplicates(report, item, ['encoded'], NS.content);
  if (kids(item, 'enclosure').length > 1) report.warning('DuplicateEnclosure', where);
  if (has('author') && has('creator', NS.dc)) {
    report.warning('DuplicateItemSemantics', where, 'author and dc:creator');
  }
  let pubDate: number | null = null;
  let seenDescription = false;
  for (const child of item.children) {
    const at = pathOf(child);
    if (child.uri === NS.content && child.local === 'encoded') {
      if (!seenDescription) report.warning('NeedDescriptionBeforeContent', at);
      checkHtmlField(report, child);
      continue;
    }
    if (child.uri === NS.atom && child.local === 'link') {
      checkAtomLink(report, child, 'entry');
      continue;
    }
    if (child.uri !== '') continue;
    if (!ITEM_ELEMENTS.has(child.local)) {
      report.error('UndefinedElement', at, child.local);
      continue;
    }
    switch (child.local) {
      case 'title':
        if (!child.text.trim()) report.warning('NotBlank', at);
        checkNonHtml(report, doc, child, 'rss', 'ContainsHTML');
        break;
      case 'link':
      case 'comments':
        if (!isFullUri(child.text)) report.error('InvalidFullLink', at, child.text);
        break;
      case 'description':
        seenDescription = true;
        checkHtmlField(report, child);
        break;
      case 'author':
        checkEmailWithName(report, at, child.text);
        break;
      case 'category':
        if (!child.text.trim()) report.warning('NotBlank', at);
        checkNonHtml(report, doc, child, 'rss', 'ContainsHTML');
        break;
      case 'pubDate':
        pubDate = checkRfc822(report, at, child.text);
        break;
      case 'guid':
        checkGuid(report, child, guids);
        break;
      case 'enclosure':
        checkEnclosure(report, child);
        break;
    }
  }
  return pubDate;
}

function checkGuid(report: Report, guid: XElement, guids: Set<string>): void {
  const where = pathOf(guid);
  const flag = attribute(guid, 'isPermaLink');
  if (flag !== undefined && flag !== 'true' && flag !== 'false')
    report.error('InvalidBooleanAttribute', where, flag);
  const value = guid.text;
  if (!value) report.warning('NotBlank', where);
  if (guids.has(value)) report.error('DuplicateValue', where, value);
  guids.add(value);
  if (flag === 'false') {
    if (value.length < 9 && /^\d+$/.test(value)) report.warning('NotSufficientlyUnique', where, value);
    return;
  }
  if (!FULL_URI.test(value) || (/^(http|ftp):/i.test(value) && !/^\w+:\/\/[^/].*/.test(value))) {
    report.error('InvalidHttpGUID', where, value);
  } else if (/^(tag:|urn:uuid:)/i.test(value)) {
    report.error('InvalidPermalink', where, value);
  }
}

function checkEnclosure(report: Report, enclosure: XElement): void {
  const where = pathOf(enclosure);
  const length = attribute(enclosure, 'length');
  if (length === undefined) report.error('MissingAttribute', where, 'length');
  else if (!/^-?\d+$/.test(length)) report.error('InvalidIntegerAttribute', where, length);
  else if (Number(length) < 0)
    report.error(Number(length) === -1 ? 'UseZeroForUnknown' : 'InvalidNonNegativeInteger', where, length);
  const type = attribute(enclosure, 'type');
  if (type === undefined) report.error('MissingAttribute', where, 'type');
  else if (!MIME.test(type)) report.error('InvalidMIMEAttribute', where, type);
  const url = attribute(enclosure, 'url');
  if (url === undefined) report.error('MissingAttribute', where, 'url');
  else if (!HTTP_URL.test(url) || !FULL_URI.test(url)) report.error('InvalidURLAttribute', where, url);
}

// ------------------------------------------------------------------------------------------------ Atom

/** The Atom 1.0 (RFC 4287) checks. */
export function checkAtom(xml: string, ctx: CheckContext): Finding[] {
  const report = new Report(ctx);
  let doc: XDocument;
  try {
    doc = parseXmlDocument(xml);
  } catch (error) {
    report.error('SAXError', 'document', (error as Error).message);
    return report.findings;
  }
  checkDocument(report, doc, 'application/atom+xml');
  checkNamespaces(report, doc, 'atom');
  const feed = doc.root;
  if (feed.local !== 'feed' || feed.uri !== NS.atom) {
    report.error('InvalidNamespace', feed.name, 'root is not an Atom <feed>');
    return report.finish();
  }
  const a = (parent: XElement, name: string) => kids(parent, name, NS.atom);
  for (const name of ['title', 'id', 'updated']) {
    if (a(feed, name).length === 0) report.error('MissingElement', 'feed', name);
  }
  checkNoDuplicates(
    report,
    feed,
    ['title', 'id', 'updated', 'subtitle', 'rights', 'generator', 'icon', 'logo'],
    NS.atom,
  );
  const feedHasAuthor = a(feed, 'author').length > 0;
  const links: LinkInfo[] = [];
  let seenEntry = false;
  const ids = new Set<string>();
  const updatedSeen = new Map<string, string>();
  for (const child of feed.children) {
    const where = pathOf(child);
    if (child.uri !== NS.atom) continue;
    if (child.local === 'entry') {
      seenEntry = true;
      checkEntry(report, doc, child, feedHasAuthor, ids, updatedSeen);
      continue;
    }
    if (seenEntry) report.error('MisplacedMetadata', where, child.local);
    switch (child.local) {
      case 'id':
        checkAtomId(report, child);
        break;
      case 'updated':
        checkRfc3339(report, where, child.text.trim());
        break;
      case 'title':
      case 'subtitle':
      case 'rights':
        checkTextConstruct(report, doc, child);
        break;
      case 'link':
        links.push(checkAtomLink(report, child, 'feed'));
        break;
      case 'author':
      case 'contributor':
        checkPerson(report, child);
        break;
      case 'icon':
      case 'logo':
        if (!child.text.trim()) report.warning('NotBlank', where);
        break;
      case 'category':
        if (attribute(child, 'term') === undefined) report.error('MissingAttribute', where, 'term');
        break;
    }
  }
  if (!links.some((l) => l.rel === 'self')) report.warning('MissingSelf', 'feed');
  checkDuplicateLinks(report, 'feed', links, false);
  if (!seenEntry && !feedHasAuthor) report.error('MissingElement', 'feed', 'author');
  return report.finish();
}

function checkAtomId(report: Report, id: XElement): void {
  const where = pathOf(id);
  const value = id.text;
  if (value !== value.trim()) report.error('UnexpectedWhitespace', where);
  if (!isFullUri(value.trim())) {
    report.error('InvalidFullLink', where, value);
    return;
  }
  const canonical = canonicalUri(value.trim());
  if (canonical !== null && canonical !== value)
    report.warning('NonCanonicalURI', where, `${value} → ${canonical}`);
}

function checkPerson(report: Report, person: XElement): void {
  const name = kids(person, 'name', NS.atom);
  if (name.length === 0) report.error('MissingElement', pathOf(person), 'name');
  for (const n of name) {
    if (!n.text.trim()) report.warning('NotBlank', pathOf(n));
    checkBadCharacters(report, pathOf(n), n.text);
  }
}

function checkDuplicateLinks(
  report: Report,
  where: string,
  links: readonly LinkInfo[],
  alternateOnly: boolean,
): void {
  const seen = new Set<string>();
  for (const link of links) {
    if (alternateOnly && link.rel !== 'alternate') continue;
    if (link.rel === 'enclosure') continue;
    const key = `${link.rel}\u0000${link.type}\u0000${link.hreflang}`;
    if (seen.has(key)) report.error('DuplicateAtomLink', where, `rel=${link.rel} type=${link.type}`);
    seen.add(key);
  }
}

function checkTextConstruct(report: Report, doc: XDocument, element: XElement): void {
  const where = pathOf(element);
  const type = attribute(element, 'type') ?? 'text';
  checkBadCharacters(report, where, element.text);
  if (element.children.length === 0 && !element.text && attribute(element, 'src') === undefined) {
    report.warning('NotBlank', where);
  }
  if (type === 'text') checkNonHtml(report, doc, element, 'atom', 'ContainsUndeclaredHTML');
  else if (type === 'html') checkHtmlField(report, element);
  else if (type !== 'xhtml' && !MIME.test(type)) report.error('InvalidMIMEType', where, type);
}

function checkEntry(
  report: Report,
  doc: XDocument,
  entry: XElement,
  feedHasAuthor: boolean,
  ids: Set<string>,
  updatedSeen: Map<string, string>,
): void {
  const where = pathOf(entry);
  const a = (name: string) => kids(entry, name, NS.atom);
  for (const name of ['title', 'id', 'updated']) {
    if (a(name).length === 0) report.error('MissingElement', where, name);
  }
  if (a('author').length === 0 && !feedHasAuthor) report.error('MissingElement', where, 'author');
  checkNoDuplicates(
    report,
    entry,
    ['title', 'id', 'updated', 'published', 'summary', 'content', 'rights', 'source'],
    NS.atom,
  );
  const links: LinkInfo[] = [];
  for (const child of entry.children) {
    const at = pathOf(child);
    if (child.uri !== NS.atom) continue;
    switch (child.local) {
      case 'id': {
        checkAtomId(report, child);
        const id = child.text.trim();
        if (ids.has(id)) report.warning('DuplicateEntries', at, id);
        ids.add(id);
        break;
      }
      case 'updated': {
        const value = child.text.trim();
        checkRfc3339(report, at, value);
        const other = updatedSeen.get(value);
        if (other !== undefined) report.warning('DuplicateUpdated', at, `${value}, as ${other}`);
        else updatedSeen.set(value, a('id')[0]?.text ?? where);
        break;
      }
      case 'published':
        checkRfc3339(report, at, child.text.trim());
        break;
      case 'title':
      case 'summary':
      case 'rights':
      case 'content':
        checkTextConstruct(report, doc, child);
        break;
      case 'link':
        links.push(checkAtomLink(report, child, 'entry'));
        break;
      case 'author':
      case 'contributor':
        checkPerson(report, child);
        break;
      case 'category':
        if (attribute(child, 'term') === undefined) report.error('MissingAttribute', at, 'term');
        break;
    }
  }
  const content = a('content')[0];
  if (!content) {
    if (a('summary').length === 0) report.warning('MissingTextualContent', where);
    if (!links.some((l) => l.rel === 'alternate')) report.error('MissingContentOrAlternate', where);
  } else if (attribute(content, 'src') !== undefined && a('summary').length === 0) {
    report.warning('MissingTextualContent', where);
  }
  checkDuplicateLinks(report, where, links, true);
}

// ------------------------------------------------------------------------------------------- JSON Feed

const JSON_FEED_SCHEMA = new URL('../schemas/jsonfeed-1.1.schema.json', import.meta.url);

let compiledSchema: ReturnType<Ajv['compile']> | null = null;
function jsonFeedSchema() {
  if (compiledSchema) return compiledSchema;
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  ajv.addFormat('date-time', { validate: (s: string) => RFC_3339.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('uri', { validate: (s: string) => URL.canParse(s) });
  compiledSchema = ajv.compile(JSON.parse(readFileSync(JSON_FEED_SCHEMA, 'utf8')));
  return compiledSchema;
}

function isAbsoluteHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.href.length > 0;
  } catch {
    return false;
  }
}

/**
 * JSON Feed 1.1 (jsonfeed.org/version/1.1): the schema, then the spec's rules a schema cannot state:
 * absolute URLs, unique string ids, content present, RFC 3339 dates, authors as objects, the feed URL
 * the feed is served at. Codes start with `JsonFeed`.
 */
export function checkJsonFeed(text: string, ctx: CheckContext): Finding[] {
  const report = new Report(ctx);
  let feed: Record<string, unknown>;
  try {
    feed = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    report.error('JsonFeedSyntax', 'document', (error as Error).message);
    return report.findings;
  }
  const validate = jsonFeedSchema();
  if (!validate(feed)) {
    for (const e of validate.errors ?? [])
      report.error('JsonFeedSchema', e.instancePath || '/', e.message ?? '');
  }
  if (ctx.contentType !== undefined && !/^application\/(feed\+)?json\b/i.test(ctx.contentType)) {
    report.warning('JsonFeedContentType', 'Content-Type', ctx.contentType);
  }
  if (feed.version !== 'https://jsonfeed.org/version/1.1')
    report.error('JsonFeedVersion', 'version', String(feed.version));
  if (typeof feed.title !== 'string' || !feed.title) report.error('JsonFeedMissing', 'title');
  for (const field of ['home_page_url', 'feed_url']) {
    if (!isAbsoluteHttpUrl(feed[field])) report.error('JsonFeedUrl', field, String(feed[field]));
  }
  if (typeof feed.feed_url === 'string' && !sameUri(feed.feed_url, ctx.feedUrl)) {
    report.warning('JsonFeedSelf', 'feed_url', `${feed.feed_url} is not ${ctx.feedUrl}`);
  }
  for (const field of ['icon', 'favicon']) {
    if (feed[field] !== undefined && !isAbsoluteHttpUrl(feed[field]))
      report.error('JsonFeedUrl', field, String(feed[field]));
  }
  if ('author' in feed) report.warning('JsonFeedDeprecated', 'author', 'use authors (1.1)');
  checkJsonAuthors(report, 'authors', feed.authors);
  if (!Array.isArray(feed.items)) {
    report.error('JsonFeedMissing', 'items');
    return report.finish();
  }
  const ids = new Set<string>();
  feed.items.forEach((raw, i) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    const at = `items[${i}]`;
    if (typeof item.id !== 'string' || item.id === '') report.error('JsonFeedItemId', at, String(item.id));
    else if (ids.has(item.id)) report.error('JsonFeedDuplicateId', at, item.id);
    else ids.add(item.id);
    for (const field of ['url', 'external_url', 'image', 'banner_image']) {
      if (item[field] !== undefined && !isAbsoluteHttpUrl(item[field])) {
        report.error('JsonFeedUrl', `${at}.${field}`, String(item[field]));
      }
    }
    const hasHtml = typeof item.content_html === 'string';
    if (!hasHtml && typeof item.content_text !== 'string') report.error('JsonFeedNoContent', at);
    if (hasHtml) checkHtmlField(report, { where: `${at}.content_html`, value: item.content_html as string });
    for (const field of ['date_published', 'date_modified']) {
      if (item[field] !== undefined) {
        if (typeof item[field] !== 'string')
          report.error('JsonFeedDate', `${at}.${field}`, String(item[field]));
        else checkRfc3339(report, `${at}.${field}`, item[field], 'JsonFeedDate');
      }
    }
    if ('author' in item) report.warning('JsonFeedDeprecated', `${at}.author`, 'use authors (1.1)');
    checkJsonAuthors(report, `${at}.authors`, item.authors);
    if (
      item.tags !== undefined &&
      !(Array.isArray(item.tags) && item.tags.every((t) => typeof t === 'string'))
    ) {
      report.error('JsonFeedTags', `${at}.tags`);
    }
  });
  return report.finish();
}

function checkJsonAuthors(report: Report, where: string, authors: unknown): void {
  if (authors === undefined) return;
  if (!Array.isArray(authors)) {
    report.error('JsonFeedAuthors', where, 'not an array');
    return;
  }
  authors.forEach((author, i) => {
    const a = author as Record<string, unknown> | null;
    if (typeof a !== 'object' || a === null || typeof a.name !== 'string' || a.name === '') {
      report.error('JsonFeedAuthors', `${where}[${i}]`, 'an author object needs a name');
    }
    if (a && a.url !== undefined && !isAbsoluteHttpUrl(a.url))
      report.error('JsonFeedUrl', `${where}[${i}].url`);
    if (a && a.avatar !== undefined && !isAbsoluteHttpUrl(a.avatar))
      report.error('JsonFeedUrl', `${where}[${i}].avatar`);
  });
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A synthetic inbox: `n` wire-format text articles (date line, title, dek, lead-image caption, byline with
 * the lost `)`, paragraphs, an inline photo caption, attribution footer), the same bytes for the same seed.
 * Used by the build benchmark and by tests that need many articles.
 */

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const FIRST_NAMES = ['Grace', 'Dave', 'Amara', 'Jonas', 'Mei', 'Tomás', 'Priya', 'Olu', 'Sanna', 'Ruth'];
const LAST_NAMES = [
  'Mbeki',
  'DeCamp',
  'Okafor',
  'Lindqvist',
  'Tanaka',
  'Ferreira',
  'Nair',
  'Adeyemi',
  'Virtanen',
];
const OUTLETS = ['Averleynews.org', 'Antiwar.com', 'Valleypost.net', 'Harbourtimes.co.uk', 'Northwire.info'];
const SUBJECTS = ['council', 'river trust', 'library', 'harbour board', 'school governors', 'cycling club'];
const VERBS = ['approves', 'rejects', 'delays', 'celebrates', 'reviews', 'funds'];
const OBJECTS = ['new bridge', 'night market', 'bike lanes', 'flood defences', 'reading room', 'wind farm'];
const WORDS =
  'the town residents said plan would meeting week officials budget local council river school new year after public community support project families traffic morning report changes centre water park'.split(
    ' ',
  );

export interface CorpusOptions {
  /** First day articles are dated from; they spread over the following `days` days. @default 2024-01-01 */
  readonly startDay?: string;
  /** @default 365 */
  readonly days?: number;
}

/** Writes `n` articles into `dir` (created if needed) and returns their keys in order. */
export async function generateCorpus(
  dir: string,
  n: number,
  seed: number,
  options: CorpusOptions = {},
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const random = mulberry32(seed);
  const start = Date.parse(`${options.startDay ?? '2024-01-01'}T00:00:00Z`);
  const days = options.days ?? 365;
  const articles = Array.from({ length: n }, (_, i) => {
    const key = `story-${String(i).padStart(6, '0')}.txt`;
    return { key, text: articleText(random, new Date(start + Math.floor(random() * days) * 86_400_000)) };
  });
  for (const a of articles) writeFileSync(join(dir, a.key), a.text);
  return articles.map((a) => a.key);
}

function articleText(random: () => number, day: Date): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const sentence = (min: number, max: number) => {
    const count = min + Math.floor(random() * (max - min));
    const words = Array.from({ length: count }, () => pick(WORDS));
    const text = words.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = () =>
    Array.from({ length: 2 + Math.floor(random() * 4) }, () => sentence(8, 24)).join(' ');
  const iso = day.toISOString().slice(0, 10);
  const words = `${WEEKDAYS[day.getUTCDay()]}, ${MONTHS[day.getUTCMonth()]} ${day.getUTCDate()}, ${day.getUTCFullYear()}`;
  const author = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
  const outlet = pick(OUTLETS);
  const title = `${capitalise(pick(SUBJECTS))} ${pick(VERBS)} ${pick(OBJECTS)} in ${pick(['Averley', 'Dunmore', 'Fenwick', 'Millbrook'])}`;
  const body = Array.from({ length: 3 + Math.floor(random() * 6) }, paragraph);
  const blocks = [
    ` date ${iso} ${words}`,
    title,
    `${sentence(12, 30).slice(0, -1)}...`,
    `${sentence(6, 14)}\n/ IMAGE: ${outlet}`,
    `(${author}, ${outlet}${body[0]}`,
    ...body.slice(1, 2),
    `A resident looks on at the ${pick(OBJECTS)} (${outlet} photo)`,
    ...body.slice(2),
    `This article originally appeared at ${outlet}.`,
  ];
  return `${blocks.map(wrap).join('\n\n')}\n`;
}

/** Hard-wraps at 72 columns, as wire copy often is; the parser joins the lines again. */
function wrap(block: string): string {
  if (block.startsWith(' date') || block.includes('\n')) return block;
  const lines: string[] = [];
  let line = '';
  for (const word of block.split(' ')) {
    if (line && line.length + word.length + 1 > 72) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** A small, fast, seedable PRNG: the same seed gives the same corpus on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import { ArticleRejection } from './model.ts';

/** What a date line says: the ISO day (null when it has none) and anything an editor should check. */
export interface DateLine {
  readonly date: string | null;
  readonly warnings: readonly string[];
}

// `date`, in any case and with any spacing (even none), optionally followed by a colon or dash.
const DATE_WORD = /^\s*date(?![\p{L}_])\s*[:\-–—]?\s*/iu;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})(?!\d)/;
// Something meant as a date even if not ISO (`2025/07/04`, `4.7.2025`): still a date line, never a title.
const NUMERIC_DATE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/;

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const FILLER = new Set(['the', 'of', 'on', 'de']);

/**
 * Reads a date line, or returns null when the line is not one. An impossible ISO date is a rejection: a
 * careful editor would not guess which day was meant.
 */
export function readDateLine(line: string): DateLine | null {
  const word = DATE_WORD.exec(line);
  if (!word) return null;
  const rest = line.slice(word[0].length).trim();
  const iso = ISO_DAY.exec(rest);
  if (!iso) return readDateWithoutIso(rest);

  const [day, year, month, dayOfMonth] = [iso[0], Number(iso[1]), Number(iso[2]), Number(iso[3])];
  if (!isCalendarDay(year, month, dayOfMonth)) {
    throw new ArticleRejection(
      'impossible-date',
      `the date line says ${day}, which is not a real calendar day`,
    );
  }
  const inWords = rest.slice(day.length).trim();
  const warning = inWords === '' ? null : checkDateInWords(inWords, year, month, dayOfMonth, day);
  return { date: day, warnings: warning ? [warning] : [] };
}

/** A `date` line with no ISO day: read the words when they name a whole day, and say so. */
function readDateWithoutIso(rest: string): DateLine | null {
  const words = readDateWords(rest);
  const numeric = NUMERIC_DATE.test(rest);
  if (!numeric && !words.understood) return null;
  const { year, month, day } = words;
  if (!numeric && year !== undefined && month !== undefined && day !== undefined) {
    if (!isCalendarDay(year, month, day)) {
      throw new ArticleRejection(
        'impossible-date',
        `the date line says '${rest}', which is not a real calendar day`,
      );
    }
    const iso = isoDay(year, month, day);
    return { date: iso, warnings: [`the date line has no ISO date; read '${rest}' as ${iso}`] };
  }
  return {
    date: null,
    warnings: [
      `the date line '${rest}' has no ISO date (YYYY-MM-DD); the article will be dated by its first upload time`,
    ],
  };
}

function checkDateInWords(
  inWords: string,
  year: number,
  month: number,
  day: number,
  iso: string,
): string | null {
  const words = readDateWords(inWords);
  if (!words.understood) return `could not read the date in words '${inWords}'; using ${iso}`;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const disagrees =
    (words.year !== undefined && words.year !== year) ||
    (words.month !== undefined && words.month !== month) ||
    (words.day !== undefined && words.day !== day) ||
    (words.weekday !== undefined && words.weekday !== weekday);
  return disagrees ? `the date in words '${inWords}' disagrees with ${iso}; the ISO date wins` : null;
}

interface DateWords {
  readonly understood: boolean;
  readonly year?: number;
  readonly month?: number;
  readonly day?: number;
  readonly weekday?: number;
}

/** Picks out weekday, month, day and year from `Friday, July 4, 2025` or `4th July 2025`, in any order. */
function readDateWords(text: string): DateWords {
  const found: { year?: number; month?: number; day?: number; weekday?: number } = {};
  let understoodAny = false;
  for (const token of text.toLowerCase().split(/[\s,.]+/)) {
    if (token === '' || FILLER.has(token)) continue;
    const month = nameIndex(MONTHS, token);
    const weekday = nameIndex(WEEKDAYS, token);
    const dayMatch = /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(token);
    if (month !== -1 && found.month === undefined) found.month = month + 1;
    else if (weekday !== -1 && found.weekday === undefined) found.weekday = weekday;
    else if (/^\d{4}$/.test(token) && found.year === undefined) found.year = Number(token);
    else if (dayMatch && found.day === undefined) found.day = Number(dayMatch[1]);
    else return { understood: false };
    understoodAny = true;
  }
  return { understood: understoodAny, ...found };
}

/** Full names and their usual abbreviations (`Jul`, `Sept`, `Wed`). */
function nameIndex(names: readonly string[], token: string): number {
  if (token.length < 3) return -1;
  return names.findIndex((name) => name === token || (token.length <= 4 && name.startsWith(token)));
}

export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isoDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

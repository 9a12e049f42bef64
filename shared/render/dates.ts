/** Date formats the outputs need, all from a feed timestamp (`YYYY-MM-DDTHH:MM:SSZ`), never from the clock. */

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

export function toDate(timestamp: string): Date {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a timestamp: '${timestamp}'`);
  return date;
}

/**
 * The day as people read it. English sites get `4 July 2025`; other languages the ISO day, which every
 * reader understands, rather than month names in the wrong language (and no dependence on the ICU data
 * a given Node build ships).
 */
export function displayDay(timestamp: string, language: string): string {
  const date = toDate(timestamp);
  if (!/^en\b/i.test(language)) return timestamp.slice(0, 10);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

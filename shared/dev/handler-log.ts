/**
 * The Lambda handler logs one JSON object per line to stdout (for CloudWatch). `dropfeed dev` plays the
 * Lambda runtime, so it owns that stdout: this turns the handler's lines into short human ones and lets
 * every other write through untouched.
 */
export type HandlerLogMode = 'pretty' | 'json' | 'quiet';

export interface StdoutTap {
  remove(): void;
}

/** Routes the handler's JSON lines (`fn: 'ingest'`) to `sink`, formatted per `mode`. */
export function tapHandlerLog(mode: HandlerLogMode, sink: (line: string) => void): StdoutTap {
  if (mode === 'json') return { remove() {} };
  const original = process.stdout.write;
  const write = ((chunk: unknown, ...rest: unknown[]) => {
    const text =
      typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : null;
    const record = text === null ? null : parseLogRecord(text);
    if (record === null || record.fn !== 'ingest')
      return (original as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    if (mode === 'pretty') {
      const line = formatLogRecord(record);
      if (line !== null) sink(line);
    }
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = write;
  return {
    remove() {
      if (process.stdout.write === write) process.stdout.write = original;
    },
  };
}

type LogRecord = Readonly<Record<string, unknown>> & { readonly message: string; readonly level: string };

/** A line of `shared/log.ts`'s JSON output, or null for anything else. */
export function parseLogRecord(text: string): LogRecord | null {
  const line = text.trim();
  if (!line.startsWith('{') || line.includes('\n')) return null;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const record = parsed as Record<string, unknown>;
    if (record.fn !== 'ingest' || typeof record.message !== 'string' || typeof record.level !== 'string')
      return null;
    return record as LogRecord;
  } catch {
    return null;
  }
}

const QUIET_FIELDS = new Set(['time', 'level', 'message', 'fn', 'key', 'messageId']);
/** Reconciliations a rejection line already told (the pipeline logs both). */
const TOLD_BY_REJECTION = new Set(['rejected', 'rejected-kept-last-good', 'draft']);
const REJECTION_OUTCOMES: Readonly<Record<string, string>> = {
  'last-good-version-kept': 'the last good version stays published',
  unpublished: 'taken off the site',
  'not-published': 'not published',
};

/**
 * One line per processed change: `key → published`, `key → rejected: reason`, `key → removed`; other
 * handler lines as `message (field=value, …)`. Debug lines and already-told outcomes are dropped.
 */
export function formatLogRecord(record: LogRecord, stateBucket = 'state'): string | null {
  if (record.level === 'debug') return null;
  const key = typeof record.key === 'string' ? record.key : null;
  if (record.message === 'article reconciled' && key !== null && typeof record.action === 'string') {
    return TOLD_BY_REJECTION.has(record.action) ? null : `${key} → ${record.action}`;
  }
  // The rejection line (whatever its wording): the pipeline logs the code and reason of a file it refuses.
  if (key !== null && typeof record.code === 'string' && typeof record.reason === 'string') {
    const outcome = REJECTION_OUTCOMES[String(record.published)];
    return `${key} → ${record.code === 'draft' ? 'not published' : 'rejected'}: ${record.reason} [${record.code}]${outcome ? `; ${outcome}` : ''} (report: s3://${stateBucket}/reports/${key}.json)`;
  }
  if (record.message === 'rebuild done' && typeof record.actions === 'object' && record.actions !== null) {
    const actions = Object.entries(record.actions)
      .map(([action, count]) => `${action} ${String(count)}`)
      .join(', ');
    return `rebuild: ${String(record.articles)} articles (${actions || 'none'}), ${String(record.published)} in the feeds`;
  }
  const details = Object.entries(record)
    .filter(([name, value]) => !QUIET_FIELDS.has(name) && value !== undefined && value !== null)
    .map(([name, value]) => `${name}=${formatValue(value)}`);
  const subject = key !== null ? `${key} → ` : '';
  const level = record.level === 'info' ? '' : `${record.level.toUpperCase()} `;
  return `${level}${subject}${record.message}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'message' in value)
    return String((value as { message: unknown }).message);
  return JSON.stringify(value);
}

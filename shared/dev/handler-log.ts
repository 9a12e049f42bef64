/**
 * The Lambda handler logs one JSON object per line (for CloudWatch). `dropfeed dev` plays the Lambda
 * runtime and hands the handler a logger that writes through `handlerLogWriter`, which turns those lines
 * into short human ones.
 */
export type HandlerLogMode = 'pretty' | 'json' | 'quiet';

/**
 * Where the handler's log lines go, per `mode`: `pretty` formats them for `sink`, `json` passes them to
 * `raw` untouched (stdout by default, so they can be piped as CloudWatch would receive them), `quiet`
 * drops them.
 */
export function handlerLogWriter(
  mode: HandlerLogMode,
  sink: (line: string) => void,
  raw: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): (line: string) => void {
  if (mode === 'json') return raw;
  if (mode === 'quiet') return () => {};
  return (line) => {
    const record = parseLogRecord(line);
    const formatted = record === null ? line : formatLogRecord(record);
    if (formatted !== null) sink(formatted);
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

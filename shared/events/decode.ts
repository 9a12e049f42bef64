import type { ObjectChange } from './object-change.ts';
import type { SqsEvent } from './sqs-event.ts';

/**
 * What one SQS message asks for. `error` set = a poison message: the handler reports it in
 * `batchItemFailures` (so SQS retries it and, after maxReceiveCount, parks it in the DLQ) while the
 * other messages of the batch go ahead.
 */
export interface DecodedMessage {
  readonly messageId: string;
  readonly changes: readonly ObjectChange[] | 'rebuild' | 'ignore';
  readonly error?: string;
  /** Why a message was ignored, for the log. */
  readonly note?: string;
}

export interface DecodeOptions {
  /** When set, events about any other bucket are ignored (e.g. a misrouted site-bucket event). */
  readonly inboxBucket?: string;
}

type BodyResult = Omit<DecodedMessage, 'messageId'>;

/** The message body that asks for a full rebuild (sent by `dropfeed rebuild --queue` or by hand). */
export const REBUILD_MESSAGE = { dropfeed: 'rebuild' } as const;

export function decodeSqsEvent(event: SqsEvent, options: DecodeOptions = {}): DecodedMessage[] {
  return (event.Records ?? []).map((record) => ({
    messageId: record.messageId,
    ...decodeMessageBody(record.body, options),
  }));
}

/** Decodes one message body: an EventBridge S3 event, an S3 notification (maybe SNS-wrapped), a test event, or a rebuild request. */
export function decodeMessageBody(body: string, options: DecodeOptions = {}): BodyResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return poison(`message body is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) return poison('message body is not a JSON object');
  try {
    return decodeEnvelope(parsed, options, 0);
  } catch (error) {
    return poison((error as Error).message);
  }
}

function decodeEnvelope(message: Record<string, unknown>, options: DecodeOptions, depth: number): BodyResult {
  if (message.dropfeed === REBUILD_MESSAGE.dropfeed) return { changes: 'rebuild' };
  // Sent once when a notification configuration is saved; it names no object.
  if (message.Event === 's3:TestEvent') return { changes: 'ignore', note: 's3:TestEvent acknowledged' };
  if (message.source === 'aws.s3' && typeof message['detail-type'] === 'string') {
    return decodeEventBridge(message, options);
  }
  if (Array.isArray(message.Records)) return decodeNotification(message.Records, options);
  if (message.Type === 'Notification' && typeof message.Message === 'string' && depth === 0) {
    const inner: unknown = JSON.parse(message.Message);
    if (!isObject(inner)) throw new Error('SNS Message is not a JSON object');
    return decodeEnvelope(inner, options, depth + 1);
  }
  throw new Error('unrecognised message: neither an S3 event, an S3 notification, nor a dropfeed request');
}

/**
 * EventBridge "Object Created" / "Object Deleted". Whether `detail.object.key` is form-encoded like the
 * notification records is not settled: the S3 user guide's "EventBridge event message structure" page says
 * nothing of encoding and captured events show raw keys, yet AWS Lambda Powertools form-decodes it. So a key
 * that would read differently once decoded (it holds `+` or `%`) names two candidates, and both are
 * reconciled: the pipeline confirms each against its own object, so the real one is published and the other
 * is a no-op. Neither carries the sequencer, which orders events of one key only and must never be stored
 * against a key the event may not be about.
 */
function decodeEventBridge(message: Record<string, unknown>, options: DecodeOptions): BodyResult {
  const detailType = message['detail-type'];
  const kind = detailType === 'Object Created' ? 'upsert' : detailType === 'Object Deleted' ? 'remove' : null;
  if (kind === null)
    return { changes: 'ignore', note: `EventBridge '${String(detailType)}' is not a change` };
  const detail = message.detail;
  if (!isObject(detail)) throw new Error(`EventBridge '${detailType}' event has no detail`);
  const bucket = isObject(detail.bucket) ? detail.bucket.name : undefined;
  const object = detail.object;
  if (!isObject(object) || typeof object.key !== 'string' || object.key === '') {
    throw new Error(`EventBridge '${detailType}' event has no detail.object.key`);
  }
  if (options.inboxBucket !== undefined && bucket !== options.inboxBucket) {
    return { changes: 'ignore', note: `event for bucket '${String(bucket)}', not the inbox` };
  }
  const fields = {
    sequencer: object.sequencer,
    versionId: object['version-id'],
    eTag: object.etag,
    eventTime: message.time,
  };
  const decoded = tryDecodeFormEncodedKey(object.key);
  if (decoded === null || decoded === object.key) return { changes: [change(object.key, kind, fields)] };
  const unordered = { ...fields, sequencer: undefined, versionId: undefined };
  return { changes: [change(object.key, kind, unordered), change(decoded, kind, unordered)] };
}

/** Classic S3 notification records: the key is form-encoded (`+` is a space, then percent-escapes). */
function decodeNotification(records: unknown[], options: DecodeOptions): BodyResult {
  const changes: ObjectChange[] = [];
  const notes: string[] = [];
  for (const record of records) {
    if (!isObject(record) || typeof record.eventName !== 'string' || !isObject(record.s3)) {
      throw new Error('S3 notification record without eventName or s3');
    }
    const name = record.eventName.replace(/^s3:/, '');
    const kind = name.startsWith('ObjectCreated:')
      ? 'upsert'
      : name.startsWith('ObjectRemoved:')
        ? 'remove'
        : null;
    if (kind === null) {
      notes.push(`'${name}' is not a change`);
      continue;
    }
    const bucket = isObject(record.s3.bucket) ? record.s3.bucket.name : undefined;
    const object = record.s3.object;
    if (!isObject(object) || typeof object.key !== 'string' || object.key === '') {
      throw new Error(`S3 notification '${name}' without s3.object.key`);
    }
    if (options.inboxBucket !== undefined && bucket !== options.inboxBucket) {
      notes.push(`event for bucket '${String(bucket)}', not the inbox`);
      continue;
    }
    changes.push(
      change(decodeFormEncodedKey(object.key), kind, {
        sequencer: object.sequencer,
        versionId: object.versionId,
        eTag: object.eTag,
        eventTime: record.eventTime,
      }),
    );
  }
  if (changes.length === 0) return { changes: 'ignore', note: notes.join('; ') || 'no records' };
  return { changes };
}

function tryDecodeFormEncodedKey(key: string): string | null {
  try {
    return decodeFormEncodedKey(key);
  } catch {
    return null;
  }
}

/** `red+flower%2B1.jpg` → `red flower+1.jpg`. Throws on a malformed escape (poison message). */
export function decodeFormEncodedKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new Error(`S3 notification key '${encoded}' is not valid form encoding`);
  }
}

function change(
  key: string,
  kind: ObjectChange['kind'],
  fields: { sequencer: unknown; versionId: unknown; eTag: unknown; eventTime: unknown },
): ObjectChange {
  return {
    key,
    kind,
    ...(typeof fields.sequencer === 'string' && fields.sequencer !== ''
      ? { sequencer: fields.sequencer }
      : {}),
    ...(typeof fields.versionId === 'string' && fields.versionId !== '' && fields.versionId !== 'null'
      ? { versionId: fields.versionId }
      : {}),
    ...(typeof fields.eTag === 'string' && fields.eTag !== '' ? { eTag: fields.eTag } : {}),
    eventTime: typeof fields.eventTime === 'string' ? fields.eventTime : '',
  };
}

function poison(error: string): BodyResult {
  return { changes: 'ignore', error };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { randomUUID } from 'node:crypto';
import type { ObjectEvent } from './object-event.ts';

/**
 * The EventBridge event S3 sends for an object change ("EventBridge event message structure", S3 user
 * guide): `Object Created` with size and ETag, `Object Deleted` with `deletion-type`. The dev inbox is not
 * versioned (s3rver has no versioning), so there a delete is `Permanently Deleted` and no `version-id`
 * appears; the test fixtures build versioned events with the same code.
 *
 * `detail.object.key` is the raw key. Unlike the notification page ("the object key name value is URL
 * encoded"), the EventBridge page says nothing of encoding, and captured events show keys verbatim
 * (`raw/health-check/2023-08-08T14:03:40.532432.zip`, whose `:` a notification would send as `%3A`).
 */
export interface S3EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Object Created' | 'Object Deleted';
  readonly source: 'aws.s3';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly version: '0';
    readonly bucket: { readonly name: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly etag?: string;
      readonly 'version-id'?: string;
      readonly sequencer: string;
    };
    readonly 'request-id': string;
    readonly requester: string;
    readonly 'source-ip-address': string;
    readonly reason: ObjectEvent['reason'];
    readonly 'deletion-type'?: NonNullable<ObjectEvent['deletionType']>;
  };
}

export interface EventBridgeContext {
  readonly sequencer: string;
  readonly account?: string;
  readonly region?: string;
  readonly id?: string;
  readonly requestId?: string;
  /** @default '127.0.0.1' */
  readonly sourceIp?: string;
}

/** The account id LocalStack and the AWS docs' offline examples use; no real account is involved. */
export const DEV_ACCOUNT = '000000000000';
export const DEV_REGION = 'us-east-1';
/** Where the dev runtime's uploads come from. */
export const DEV_SOURCE_IP = '127.0.0.1';

/** An S3 request id: 16 upper-case hex digits. */
export function newRequestId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}

export function toEventBridgeEvent(event: ObjectEvent, context: EventBridgeContext): S3EventBridgeEvent {
  const account = context.account ?? DEV_ACCOUNT;
  const created = event.kind === 'created';
  return {
    version: '0',
    id: context.id ?? randomUUID(),
    'detail-type': created ? 'Object Created' : 'Object Deleted',
    source: 'aws.s3',
    account,
    // EventBridge stamps events to the second.
    time: `${event.time.toISOString().slice(0, 19)}Z`,
    region: context.region ?? DEV_REGION,
    resources: [`arn:aws:s3:::${event.bucket}`],
    detail: {
      version: '0',
      bucket: { name: event.bucket },
      object: {
        key: event.key,
        ...(created && event.size !== undefined ? { size: event.size } : {}),
        ...(created && event.etag !== undefined ? { etag: event.etag } : {}),
        ...(event.versionId !== undefined ? { 'version-id': event.versionId } : {}),
        sequencer: context.sequencer,
      },
      'request-id': context.requestId ?? newRequestId(),
      requester: account,
      'source-ip-address': context.sourceIp ?? DEV_SOURCE_IP,
      reason: event.reason,
      ...(created ? {} : { 'deletion-type': event.deletionType ?? 'Permanently Deleted' }),
    },
  };
}

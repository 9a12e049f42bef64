/**
 * Real AWS event shapes for S3 object changes, as delivered to an SQS queue: EventBridge events (what the
 * deployed FIFO queue receives) and classic S3 notification records (form-encoded keys), the s3:TestEvent
 * and an SNS envelope. The S3 events are built by the same code `dropfeed dev` dresses its events with
 * (`shared/dev`), with fixed, deterministic identities and sensible defaults. Every factory returns a new,
 * deeply frozen object.
 */
import { type S3EventBridgeEvent, toEventBridgeEvent } from '../../shared/dev/eventbridge-event.ts';
import {
  type NotificationContext,
  type S3NotificationRecord,
  toS3NotificationRecord,
} from '../../shared/dev/s3-notification.ts';
import { deepFreeze } from './freeze.ts';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
const SOURCE_IP = '203.0.113.7';
const DEFAULT_SIZE = 1024;
const DEFAULT_ETAG = 'b1946ac92492d2347c6235b4d2611184';
/** EventBridge stamps events to the second; notification records carry milliseconds. */
const DEFAULT_TIME = '2025-07-04T10:00:00Z';

let counter = 0;
const nextId = (width = 16) => (++counter).toString(16).toUpperCase().padStart(width, '0');
const uuid = () => {
  const hex = nextId(32).toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

export interface ObjectFields {
  readonly bucket: string;
  /** The real key; encoded by the factory where AWS encodes it. */
  readonly key: string;
  readonly sequencer: string;
  readonly time?: string;
  readonly size?: number;
  readonly etag?: string;
  readonly versionId?: string;
}

const eventBridgeContext = (sequencer: string) => ({
  sequencer,
  account: ACCOUNT,
  region: REGION,
  id: uuid(),
  requestId: nextId(),
  sourceIp: SOURCE_IP,
});

export function eventBridgeObjectCreated(
  fields: ObjectFields & { reason?: 'PutObject' | 'CopyObject' | 'CompleteMultipartUpload' },
): S3EventBridgeEvent {
  return deepFreeze(
    toEventBridgeEvent(
      {
        bucket: fields.bucket,
        key: fields.key,
        kind: 'created',
        reason: fields.reason ?? 'PutObject',
        size: fields.size ?? DEFAULT_SIZE,
        etag: fields.etag ?? DEFAULT_ETAG,
        ...(fields.versionId ? { versionId: fields.versionId } : {}),
        time: new Date(fields.time ?? DEFAULT_TIME),
      },
      eventBridgeContext(fields.sequencer),
    ),
  );
}

export function eventBridgeObjectDeleted(
  fields: ObjectFields & { deletionType?: 'Permanently Deleted' | 'Delete Marker Created' },
): S3EventBridgeEvent {
  return deepFreeze(
    toEventBridgeEvent(
      {
        bucket: fields.bucket,
        key: fields.key,
        kind: 'deleted',
        reason: 'DeleteObject',
        deletionType: fields.deletionType ?? 'Permanently Deleted',
        ...(fields.versionId ? { versionId: fields.versionId } : {}),
        time: new Date(fields.time ?? DEFAULT_TIME),
      },
      eventBridgeContext(fields.sequencer),
    ),
  );
}

export type NotificationEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated'
  | 'ObjectTagging:Put';

export function s3NotificationRecord(
  fields: ObjectFields & { eventName: NotificationEventName },
): S3NotificationRecord {
  // Delete events carry no size or ETag.
  const removed = fields.eventName.startsWith('ObjectRemoved:');
  const context: NotificationContext = {
    sequencer: fields.sequencer,
    account: ACCOUNT,
    region: REGION,
    sourceIp: SOURCE_IP,
    requestId: nextId(),
    hostId: `${nextId(32)}=`,
    configurationId: 'dropfeed-inbox',
  };
  return deepFreeze(
    toS3NotificationRecord(
      {
        bucket: fields.bucket,
        key: fields.key,
        eventName: fields.eventName,
        time: new Date(fields.time ?? DEFAULT_TIME),
        ...(removed ? {} : { size: fields.size ?? DEFAULT_SIZE, etag: fields.etag ?? DEFAULT_ETAG }),
        ...(fields.versionId ? { versionId: fields.versionId } : {}),
      },
      context,
    ),
  );
}

export function s3Notification(...records: S3NotificationRecord[]) {
  return deepFreeze({ Records: records });
}

/** What S3 sends once when a notification configuration is saved. */
export function s3TestEvent(bucket: string) {
  return deepFreeze({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: '2025-07-04T09:59:00.000Z',
    Bucket: bucket,
    RequestId: nextId(),
    HostId: `${nextId(32)}=`,
  });
}

export function snsEnvelope(message: unknown) {
  return deepFreeze({
    Type: 'Notification',
    MessageId: uuid(),
    TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:inbox-events`,
    Subject: 'Amazon S3 Notification',
    Message: JSON.stringify(message),
    Timestamp: '2025-07-04T10:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-example.pem',
    UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
  });
}

/** Sequencers as S3 writes them: hex, growing per key. */
export function sequencerAt(n: number): string {
  return `0064D39${n.toString(16).toUpperCase().padStart(11, '0')}`;
}

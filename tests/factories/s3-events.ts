/**
 * Real AWS event shapes for S3 object changes, as delivered to an SQS queue: EventBridge events (what the
 * deployed FIFO queue receives) and classic S3 notification records (form-encoded keys), the s3:TestEvent
 * and an SNS envelope. Shapes follow the S3 user guide's "EventBridge event message structure" and "Event
 * message structure" pages. Every factory returns a new, deeply frozen object.
 */
import { deepFreeze } from './freeze.ts';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

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

export function eventBridgeObjectCreated(
  fields: ObjectFields & { reason?: 'PutObject' | 'CopyObject' | 'CompleteMultipartUpload' },
) {
  return deepFreeze({
    version: '0',
    id: uuid(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT,
    time: fields.time ?? '2025-07-04T10:00:00Z',
    region: REGION,
    resources: [`arn:aws:s3:::${fields.bucket}`],
    detail: {
      version: '0',
      bucket: { name: fields.bucket },
      object: {
        key: fields.key,
        size: fields.size ?? 1024,
        etag: fields.etag ?? 'b1946ac92492d2347c6235b4d2611184',
        ...(fields.versionId ? { 'version-id': fields.versionId } : {}),
        sequencer: fields.sequencer,
      },
      'request-id': nextId(),
      requester: ACCOUNT,
      'source-ip-address': '203.0.113.7',
      reason: fields.reason ?? 'PutObject',
    },
  });
}

export function eventBridgeObjectDeleted(
  fields: ObjectFields & { deletionType?: 'Permanently Deleted' | 'Delete Marker Created' },
) {
  return deepFreeze({
    version: '0',
    id: uuid(),
    'detail-type': 'Object Deleted',
    source: 'aws.s3',
    account: ACCOUNT,
    time: fields.time ?? '2025-07-04T10:00:00Z',
    region: REGION,
    resources: [`arn:aws:s3:::${fields.bucket}`],
    detail: {
      version: '0',
      bucket: { name: fields.bucket },
      object: {
        key: fields.key,
        ...(fields.versionId ? { 'version-id': fields.versionId } : {}),
        sequencer: fields.sequencer,
      },
      'request-id': nextId(),
      requester: ACCOUNT,
      'source-ip-address': '203.0.113.7',
      reason: 'DeleteObject',
      'deletion-type': fields.deletionType ?? 'Permanently Deleted',
    },
  });
}

/** How S3 writes a key into a notification record: form encoding, a space becomes `+`. */
export function formEncodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+');
}

export type NotificationEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated'
  | 'ObjectTagging:Put';

export function s3NotificationRecord(fields: ObjectFields & { eventName: NotificationEventName }) {
  const removed = fields.eventName.startsWith('ObjectRemoved:');
  return deepFreeze({
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: REGION,
    eventTime: fields.time ?? '2025-07-04T10:00:00.000Z',
    eventName: fields.eventName,
    userIdentity: { principalId: `AWS:${nextId(21)}` },
    requestParameters: { sourceIPAddress: '203.0.113.7' },
    responseElements: { 'x-amz-request-id': nextId(), 'x-amz-id-2': `${nextId(32)}=` },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'dropfeed-inbox',
      bucket: {
        name: fields.bucket,
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: `arn:aws:s3:::${fields.bucket}`,
      },
      object: {
        key: formEncodeKey(fields.key),
        // Delete events carry no size or ETag.
        ...(removed
          ? {}
          : { size: fields.size ?? 1024, eTag: fields.etag ?? 'b1946ac92492d2347c6235b4d2611184' }),
        ...(fields.versionId ? { versionId: fields.versionId } : {}),
        sequencer: fields.sequencer,
      },
    },
  });
}

export function s3Notification(...records: ReturnType<typeof s3NotificationRecord>[]) {
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

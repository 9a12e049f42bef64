import { formEncodeS3Key } from './event-key-encoding.ts';
import { DEV_ACCOUNT, DEV_REGION, DEV_SOURCE_IP, newRequestId } from './eventbridge-event.ts';
import type { ObjectEvent } from './object-event.ts';

/**
 * The classic S3 event notification ("Event message structure", S3 user guide, version 2.1) that a bucket
 * notification sends to a standard SQS queue: the other envelope the handler decodes. Its key is
 * form-encoded, as AWS sends it.
 */
export interface S3NotificationRecord {
  readonly eventVersion: '2.1';
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: { readonly 'x-amz-request-id': string; readonly 'x-amz-id-2': string };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    readonly configurationId: string;
    readonly bucket: {
      readonly name: string;
      readonly ownerIdentity: { readonly principalId: string };
      readonly arn: string;
    };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly versionId?: string;
      readonly sequencer: string;
    };
  };
}

export interface S3Notification {
  readonly Records: readonly S3NotificationRecord[];
}

/**
 * What one notification record says about one object. `eventName` is any S3 event type (`ObjectCreated:Put`,
 * `ObjectRemoved:DeleteMarkerCreated`, `ObjectTagging:Put`, …); `key` is the raw key, form-encoded here.
 */
export interface NotificationSubject {
  readonly bucket: string;
  readonly key: string;
  readonly eventName: string;
  readonly time: Date;
  readonly size?: number;
  readonly etag?: string;
  readonly versionId?: string;
}

export interface NotificationContext {
  readonly sequencer: string;
  /** @default DEV_ACCOUNT */
  readonly account?: string;
  /** @default DEV_REGION */
  readonly region?: string;
  /** @default DEV_SOURCE_IP */
  readonly sourceIp?: string;
  readonly requestId?: string;
  /** `x-amz-id-2`. */
  readonly hostId?: string;
  /** The name of the bucket's notification configuration. @default 'dropfeed-dev-inbox' */
  readonly configurationId?: string;
}

const EVENT_NAMES: Readonly<Record<ObjectEvent['reason'], string>> = {
  PutObject: 'ObjectCreated:Put',
  PostObject: 'ObjectCreated:Post',
  CopyObject: 'ObjectCreated:Copy',
  CompleteMultipartUpload: 'ObjectCreated:CompleteMultipartUpload',
  DeleteObject: 'ObjectRemoved:Delete',
};

export function toS3Notification(event: ObjectEvent, context: NotificationContext): S3Notification {
  const created = event.kind === 'created';
  const eventName =
    event.deletionType === 'Delete Marker Created'
      ? 'ObjectRemoved:DeleteMarkerCreated'
      : EVENT_NAMES[event.reason];
  return {
    Records: [
      toS3NotificationRecord(
        {
          bucket: event.bucket,
          key: event.key,
          eventName,
          time: event.time,
          ...(created && event.size !== undefined ? { size: event.size } : {}),
          ...(created && event.etag !== undefined ? { etag: event.etag } : {}),
          ...(event.versionId !== undefined ? { versionId: event.versionId } : {}),
        },
        context,
      ),
    ],
  };
}

export function toS3NotificationRecord(
  subject: NotificationSubject,
  context: NotificationContext,
): S3NotificationRecord {
  const account = context.account ?? DEV_ACCOUNT;
  const requestId = context.requestId ?? newRequestId();
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: context.region ?? DEV_REGION,
    eventTime: subject.time.toISOString(),
    eventName: subject.eventName,
    userIdentity: { principalId: `AWS:${account}` },
    requestParameters: { sourceIPAddress: context.sourceIp ?? DEV_SOURCE_IP },
    responseElements: {
      'x-amz-request-id': requestId,
      'x-amz-id-2': context.hostId ?? `dropfeed-dev/${requestId}`,
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: context.configurationId ?? 'dropfeed-dev-inbox',
      bucket: {
        name: subject.bucket,
        ownerIdentity: { principalId: account },
        arn: `arn:aws:s3:::${subject.bucket}`,
      },
      object: {
        key: formEncodeS3Key(subject.key),
        ...(subject.size !== undefined ? { size: subject.size } : {}),
        ...(subject.etag !== undefined ? { eTag: subject.etag } : {}),
        ...(subject.versionId !== undefined ? { versionId: subject.versionId } : {}),
        sequencer: context.sequencer,
      },
    },
  };
}

import { randomUUID } from 'node:crypto';
import { formEncodeS3Key } from './event-key-encoding.ts';
import { DEV_ACCOUNT, DEV_REGION } from './eventbridge-event.ts';
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
      readonly sequencer: string;
    };
  };
}

export interface S3Notification {
  readonly Records: readonly S3NotificationRecord[];
}

const EVENT_NAMES: Readonly<Record<ObjectEvent['reason'], string>> = {
  PutObject: 'ObjectCreated:Put',
  PostObject: 'ObjectCreated:Post',
  CopyObject: 'ObjectCreated:Copy',
  CompleteMultipartUpload: 'ObjectCreated:CompleteMultipartUpload',
  DeleteObject: 'ObjectRemoved:Delete',
};

export function toS3Notification(
  event: ObjectEvent,
  context: { readonly sequencer: string },
): S3Notification {
  const created = event.kind === 'created';
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: DEV_REGION,
        eventTime: event.time.toISOString(),
        eventName: EVENT_NAMES[event.reason],
        userIdentity: { principalId: `AWS:${DEV_ACCOUNT}` },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': `dropfeed-dev/${requestId}` },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'dropfeed-dev-inbox',
          bucket: {
            name: event.bucket,
            ownerIdentity: { principalId: DEV_ACCOUNT },
            arn: `arn:aws:s3:::${event.bucket}`,
          },
          object: {
            key: formEncodeS3Key(event.key),
            ...(created && event.size !== undefined ? { size: event.size } : {}),
            ...(created && event.etag !== undefined ? { eTag: event.etag } : {}),
            sequencer: context.sequencer,
          },
        },
      },
    ],
  };
}

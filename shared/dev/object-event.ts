/**
 * One object change in the embedded S3 server, before it is dressed as an AWS event: the raw key (as
 * stored), and the API call that caused it, named as EventBridge's `detail.reason` names it.
 */
export interface ObjectEvent {
  readonly bucket: string;
  readonly key: string;
  readonly kind: 'created' | 'deleted';
  readonly reason: 'PutObject' | 'PostObject' | 'CopyObject' | 'CompleteMultipartUpload' | 'DeleteObject';
  /** Created objects only. */
  readonly size?: number;
  /** Created objects only; hex MD5 without quotes, as S3 events carry it. */
  readonly etag?: string;
  /** Versioned buckets only (s3rver has no versioning). */
  readonly versionId?: string;
  /**
   * Deleted objects only: in a versioned bucket, a delete that names no version leaves a delete marker.
   * @default 'Permanently Deleted'
   */
  readonly deletionType?: 'Permanently Deleted' | 'Delete Marker Created';
  readonly time: Date;
}

/** The S3 notification s3rver 3.7 emits (`s3rver.on('event', …)`): one record, key NOT form-encoded. */
export interface S3rverNotification {
  readonly Records: ReadonlyArray<{
    readonly eventName: string;
    readonly eventTime: string;
    readonly s3: {
      readonly bucket: { readonly name: string };
      readonly object: {
        readonly key: string;
        readonly size?: number;
        readonly eTag?: string;
        /** s3rver's is its millisecond clock: equal for two writes in one millisecond. */
        readonly sequencer: string;
      };
    };
  }>;
}

/**
 * s3rver's notifications for created objects. Deletions are NOT taken from here: s3rver announces a
 * DeleteObject but stays silent on DeleteObjects (what `aws s3 rm --recursive` and `aws s3 sync --delete`
 * send), so `embedded-s3.ts` observes deletions at its store instead, one path for both calls.
 */
export function createdEventsFromS3rver(notification: S3rverNotification): ObjectEvent[] {
  const events: ObjectEvent[] = [];
  for (const record of notification.Records ?? []) {
    const reason = createdReason(record.eventName, record.s3.object.eTag);
    if (reason === null) continue;
    const { size, eTag } = record.s3.object;
    events.push({
      bucket: record.s3.bucket.name,
      key: record.s3.object.key,
      kind: 'created',
      reason,
      ...(size !== undefined ? { size } : {}),
      ...(eTag !== undefined ? { etag: eTag.replace(/"/g, '') } : {}),
      time: new Date(record.eventTime),
    });
  }
  return events;
}

function createdReason(eventName: string, etag: string | undefined): ObjectEvent['reason'] | null {
  switch (eventName) {
    case 'ObjectCreated:Put':
      return 'PutObject';
    case 'ObjectCreated:Copy':
      return 'CopyObject';
    case 'ObjectCreated:Post':
      // s3rver names both a browser POST upload and a completed multipart upload `Post`; only the latter
      // has a multipart ETag (`<md5>-<part count>`).
      return etag !== undefined && /-\d+"?$/.test(etag) ? 'CompleteMultipartUpload' : 'PostObject';
    default:
      return null;
  }
}

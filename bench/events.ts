/**
 * The events the Lambda receives for uploads, built with the same product code `dropfeed dev` uses to turn
 * an S3 server's notifications into AWS shapes: S3 → EventBridge "Object Created" → an SQS FIFO record.
 */
import { createHash } from 'node:crypto';
import { toEventBridgeEvent } from '../shared/dev/eventbridge-event.ts';
import { createSequencer } from '../shared/dev/sequencer.ts';
import { newQueuedMessage, toSqsRecord } from '../shared/dev/sqs-record.ts';
import type { SqsEvent } from '../shared/events/sqs-event.ts';

export interface UploadedObject {
  readonly key: string;
  readonly bytes: Uint8Array;
}

const nextSequencer = createSequencer();
let messageSequence = 1n;

/** One SQS event carrying one "Object Created" message per uploaded object, in order. */
export function objectCreatedEvent(bucket: string, uploads: readonly UploadedObject[]): SqsEvent {
  const now = Date.now();
  return {
    Records: uploads.map((upload) => {
      const detail = toEventBridgeEvent(
        {
          bucket,
          key: upload.key,
          kind: 'created',
          reason: 'PutObject',
          size: upload.bytes.byteLength,
          etag: createHash('md5').update(upload.bytes).digest('hex'),
          time: new Date(now),
        },
        { sequencer: nextSequencer() },
      );
      const message = newQueuedMessage(JSON.stringify(detail), bucket, messageSequence++, now);
      message.receiveCount = 1;
      return toSqsRecord(message);
    }),
  };
}

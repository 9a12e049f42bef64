/**
 * Lambda's SQS event, as a FIFO queue fed by EventBridge delivers it (attributes include MessageGroupId,
 * MessageDeduplicationId and SequenceNumber). Every factory returns a new, deeply frozen object.
 */
import { createHash } from 'node:crypto';
import { deepFreeze } from './freeze.ts';
import { ACCOUNT, REGION } from './s3-events.ts';

export const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:dropfeed-inbox.fifo`;

let sequence = 0;

export function sqsRecord(
  body: unknown,
  options: { messageId?: string; groupId?: string; receiveCount?: number } = {},
) {
  sequence++;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return deepFreeze({
    messageId: options.messageId ?? `059f36b4-87a3-44ab-83d2-${sequence.toString(16).padStart(12, '0')}`,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${sequence}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(1751623200000 + sequence),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(1751623200100 + sequence),
      SequenceNumber: String(18849496460467696128n + BigInt(sequence)),
      MessageGroupId: options.groupId ?? 'inbox',
      MessageDeduplicationId: createHash('sha256').update(text).digest('hex'),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(text).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: REGION,
  });
}

export function sqsEvent(...records: ReturnType<typeof sqsRecord>[]) {
  return deepFreeze({ Records: records });
}

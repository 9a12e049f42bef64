/**
 * Lambda's SQS event, as a FIFO queue fed by EventBridge delivers it (attributes include MessageGroupId,
 * MessageDeduplicationId and SequenceNumber), built by the same code as `dropfeed dev`'s queue
 * (`shared/dev/sqs-record.ts`) with fixed, deterministic ids. Every factory returns a new, deeply frozen
 * object.
 */
import { contentDeduplicationId, type FifoSqsRecord, toSqsRecord } from '../../shared/dev/sqs-record.ts';
import { deepFreeze } from './freeze.ts';
import { ACCOUNT, REGION } from './s3-events.ts';

const QUEUE_NAME = 'dropfeed-inbox.fifo';
export const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:${QUEUE_NAME}`;

let sequence = 0;

export function sqsRecord(
  body: unknown,
  options: { messageId?: string; groupId?: string; receiveCount?: number } = {},
): FifoSqsRecord {
  sequence++;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return deepFreeze(
    toSqsRecord(
      {
        messageId: options.messageId ?? `059f36b4-87a3-44ab-83d2-${sequence.toString(16).padStart(12, '0')}`,
        body: text,
        groupId: options.groupId ?? 'inbox',
        deduplicationId: contentDeduplicationId(text),
        sequenceNumber: String(18849496460467696128n + BigInt(sequence)),
        sentTimestamp: 1751623200000 + sequence,
        receiveCount: options.receiveCount ?? 1,
        firstReceiveTimestamp: 1751623200100 + sequence,
      },
      { region: REGION, account: ACCOUNT, queueName: QUEUE_NAME, senderId: 'AIDAIENQZJOLO23YVJ4VO' },
    ),
  );
}

export function sqsEvent(...records: FifoSqsRecord[]) {
  return deepFreeze({ Records: records });
}

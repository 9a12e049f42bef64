import { createHash, randomUUID } from 'node:crypto';
import type { SqsRecord } from '../events/sqs-event.ts';
import { DEV_ACCOUNT, DEV_REGION } from './eventbridge-event.ts';

/** A message waiting in, or delivered from, the dev FIFO queue. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  /** FIFO queues number messages with a strictly increasing 20-digit sequence number. */
  readonly sequenceNumber: string;
  readonly sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
}

export const DEV_QUEUE_NAME = 'dropfeed-dev-inbox.fifo';

export function newQueuedMessage(
  body: string,
  groupId: string,
  sequence: bigint,
  now: number,
): QueuedMessage {
  return {
    messageId: randomUUID(),
    body,
    groupId,
    // EventBridge targets a FIFO queue with content-based deduplication: the id is the body's SHA-256.
    deduplicationId: createHash('sha256').update(body).digest('hex'),
    sequenceNumber: sequence.toString().padStart(20, '0'),
    sentTimestamp: now,
    receiveCount: 0,
  };
}

/** The record Lambda's SQS event source hands the function for one message of a FIFO queue. */
export function toSqsRecord(message: QueuedMessage): SqsRecord {
  return {
    messageId: message.messageId,
    receiptHandle: `${message.messageId}#${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SequenceNumber: message.sequenceNumber,
      MessageGroupId: message.groupId,
      SenderId: 'AROADEVEVENTBRIDGE:dropfeed-dev',
      MessageDeduplicationId: message.deduplicationId,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${DEV_REGION}:${DEV_ACCOUNT}:${DEV_QUEUE_NAME}`,
    awsRegion: DEV_REGION,
  };
}

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
    deduplicationId: contentDeduplicationId(body),
    sequenceNumber: sequence.toString().padStart(20, '0'),
    sentTimestamp: now,
    receiveCount: 0,
  };
}

/** EventBridge targets a FIFO queue with content-based deduplication: the id is the body's SHA-256. */
export function contentDeduplicationId(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Which queue a record comes from, and who sent the message. */
export interface SqsQueueContext {
  /** @default DEV_REGION */
  readonly region?: string;
  /** @default DEV_ACCOUNT */
  readonly account?: string;
  /** @default DEV_QUEUE_NAME */
  readonly queueName?: string;
  /** @default EventBridge's role session in the dev runtime */
  readonly senderId?: string;
}

/** A record of a FIFO queue: every attribute Lambda sets for one is there. */
export interface FifoSqsRecord extends SqsRecord {
  readonly receiptHandle: string;
  readonly attributes: {
    readonly ApproximateReceiveCount: string;
    readonly SentTimestamp: string;
    readonly SequenceNumber: string;
    readonly MessageGroupId: string;
    readonly SenderId: string;
    readonly MessageDeduplicationId: string;
    readonly ApproximateFirstReceiveTimestamp: string;
  };
  readonly messageAttributes: Readonly<Record<string, unknown>>;
  readonly md5OfBody: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

/** The record Lambda's SQS event source hands the function for one message of a FIFO queue. */
export function toSqsRecord(message: QueuedMessage, queue: SqsQueueContext = {}): FifoSqsRecord {
  const region = queue.region ?? DEV_REGION;
  return {
    messageId: message.messageId,
    receiptHandle: `${message.messageId}#${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SequenceNumber: message.sequenceNumber,
      MessageGroupId: message.groupId,
      SenderId: queue.senderId ?? 'AROADEVEVENTBRIDGE:dropfeed-dev',
      MessageDeduplicationId: message.deduplicationId,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${region}:${queue.account ?? DEV_ACCOUNT}:${queue.queueName ?? DEV_QUEUE_NAME}`,
    awsRegion: region,
  };
}

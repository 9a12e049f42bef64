import type { SqsBatchResponse, SqsRecord } from '../events/sqs-event.ts';
import { newQueuedMessage, type QueuedMessage, toSqsRecord } from './sqs-record.ts';

/**
 * The dev stand-in for the SQS FIFO queue in front of the Lambda: one message group, so one batch at a
 * time, in order. Messages arriving close together are batched (up to `maxBatchSize`, like the event
 * source mapping's batching window); a consumer's `batchItemFailures` go back to the head of the queue and
 * are retried after a delay, and a message received `maxReceiveCount` times moves to the dead-letter list.
 */
export interface FifoQueueOptions {
  /** The function under the queue: the real Lambda handler in `dropfeed dev`. */
  readonly consume: (records: SqsRecord[]) => Promise<SqsBatchResponse | undefined>;
  readonly groupId: string;
  /** How long the first message of a batch waits for company. @default 75 */
  readonly batchWindowMs?: number;
  /** @default 10 (Lambda's maximum for FIFO queues) */
  readonly maxBatchSize?: number;
  /** @default 3 */
  readonly maxReceiveCount?: number;
  /** The visibility timeout before a failed message is offered again. @default 250 ms × receive count */
  readonly retryDelayMs?: (receiveCount: number) => number;
  readonly onBatch?: (report: BatchReport) => void;
  readonly onDeadLetter?: (letter: DeadLetter) => void;
  readonly now?: () => number;
}

export interface BatchReport {
  readonly records: readonly SqsRecord[];
  /** Message ids that will be retried or dead-lettered. */
  readonly failedIds: readonly string[];
  /** Set when the consumer threw, or answered with ids that are not in the batch. */
  readonly error?: unknown;
  readonly durationMs: number;
}

export interface DeadLetter {
  readonly message: QueuedMessage;
  readonly reason: string;
}

export interface FifoQueue {
  /** Enqueues a message body; returns its message id. */
  send(body: string): string;
  /** Resolves once nothing is waiting, in flight, or due for a retry. */
  idle(): Promise<void>;
  /** Stops accepting messages and resolves once the queue has drained (retries included). */
  close(): Promise<void>;
  readonly deadLetters: readonly DeadLetter[];
  readonly size: number;
}

export function createFifoQueue(options: FifoQueueOptions): FifoQueue {
  const batchWindowMs = options.batchWindowMs ?? 75;
  const maxBatchSize = options.maxBatchSize ?? 10;
  const maxReceiveCount = options.maxReceiveCount ?? 3;
  const retryDelayMs = options.retryDelayMs ?? ((count: number) => 250 * count);
  const now = options.now ?? Date.now;

  const pending: QueuedMessage[] = [];
  const deadLetters: DeadLetter[] = [];
  let sequence = 0n;
  let timer: NodeJS.Timeout | null = null;
  let inFlight = 0;
  let blockedUntil = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const isIdle = () => pending.length === 0 && inFlight === 0 && timer === null;

  function settleIdle(): void {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function schedule(): void {
    if (inFlight > 0 || timer !== null) return;
    if (pending.length === 0) {
      settleIdle();
      return;
    }
    const window = pending.length >= maxBatchSize || closed ? 0 : batchWindowMs;
    const delay = Math.max(window, blockedUntil - now());
    timer = setTimeout(() => {
      timer = null;
      void deliver();
    }, delay);
  }

  async function deliver(): Promise<void> {
    const batch = pending.splice(0, maxBatchSize);
    inFlight = batch.length;
    const started = now();
    for (const message of batch) {
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= started;
    }
    const records = batch.map((message) => toSqsRecord(message));
    let failedIds: string[] = [];
    let error: unknown;
    try {
      const response = await options.consume(records);
      failedIds = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
      const known = new Set(batch.map((message) => message.messageId));
      if (failedIds.some((id) => !known.has(id))) {
        // Lambda treats a response naming an unknown message as a failure of the whole batch.
        error = new Error(`batchItemFailures names messages not in the batch: ${failedIds.join(', ')}`);
        failedIds = [...known];
      }
    } catch (thrown) {
      error = thrown;
      failedIds = batch.map((message) => message.messageId);
    }
    options.onBatch?.({
      records,
      failedIds,
      ...(error !== undefined ? { error } : {}),
      durationMs: now() - started,
    });

    const failed = new Set(failedIds);
    const retry: QueuedMessage[] = [];
    for (const message of batch) {
      if (!failed.has(message.messageId)) continue;
      if (message.receiveCount >= maxReceiveCount) {
        const letter = { message, reason: describe(error) ?? 'reported in batchItemFailures' };
        deadLetters.push(letter);
        options.onDeadLetter?.(letter);
      } else {
        retry.push(message);
      }
    }
    if (retry.length > 0) {
      pending.unshift(...retry);
      blockedUntil = now() + retryDelayMs(Math.max(...retry.map((message) => message.receiveCount)));
    }
    inFlight = 0;
    schedule();
  }

  function idle(): Promise<void> {
    if (isIdle()) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  return {
    send(body) {
      if (closed) throw new Error('the dev queue is closed');
      sequence += 1n;
      const message = newQueuedMessage(body, options.groupId, sequence, now());
      pending.push(message);
      if (pending.length >= maxBatchSize && timer !== null && inFlight === 0 && blockedUntil <= now()) {
        clearTimeout(timer);
        timer = null;
      }
      schedule();
      return message.messageId;
    },
    idle,
    async close() {
      closed = true;
      if (timer !== null && inFlight === 0) {
        // Drain without waiting for a batching window; a pending retry delay is still honoured.
        clearTimeout(timer);
        timer = null;
        schedule();
      }
      await idle();
    },
    get deadLetters() {
      return deadLetters;
    },
    get size() {
      return pending.length + inFlight;
    },
  };
}

function describe(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  return error instanceof Error ? error.message : String(error);
}

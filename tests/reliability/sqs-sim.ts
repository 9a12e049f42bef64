/**
 * A simulated SQS queue with Lambda's event source mapping in front of it, as much of it as delivery
 * semantics need: batches of up to `batchSize`, `ApproximateReceiveCount` per message, partial batch
 * responses (`reportBatchItemFailures`), redelivery of failed messages, and a dead-letter queue after
 * `maxReceiveCount` receives. No real SQS runs here (fauxqs 2.x needs Node 22, 1.x emits no S3 events), and
 * the pipeline only ever sees the SQS *event*, which is built by the same factory as the other tests use.
 *
 * `fifo`: one message group, as deployed: a failed message stays at the head and is redelivered before
 * anything behind it. Otherwise (a standard queue) it goes to the back, and batches may be taken by several
 * consumers at once.
 *
 * A message the handler reports as failed, or every message of an invocation that throws, counts as
 * failed. Nothing is ever dropped: each message ends acknowledged (the handler said it succeeded) or in
 * the DLQ, and `stats` proves it.
 */
import type { SqsBatchResponse, SqsEvent } from '../../shared/events/sqs-event.ts';
import { sqsRecord } from '../factories/sqs.ts';

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
}

export interface QueueStats {
  sent: number;
  /** Lambda invocations. */
  invocations: number;
  /** Messages received (a redelivery counts again). */
  receives: number;
  failures: number;
  acknowledged: number;
  deadLettered: number;
  redriven: number;
}

export type BatchHandler = (event: SqsEvent) => Promise<SqsBatchResponse>;

export interface SimulatedQueue {
  readonly stats: Readonly<QueueStats>;
  readonly deadLetters: readonly QueuedMessage[];
  /** Messages waiting (not yet acknowledged nor dead-lettered). */
  pending(): number;
  send(body: string): void;
  /** One invocation with the next batch; false when the queue was empty. */
  deliverOnce(handler: BatchHandler): Promise<boolean>;
  /** Invokes until the queue is empty (`consumers` at a time for a standard queue). */
  drain(
    handler: BatchHandler,
    options?: { consumers?: number; afterInvocation?: () => Promise<void> },
  ): Promise<void>;
  /** Moves every dead letter back to the queue with a fresh receive count (the console's "redrive"). */
  redrive(): number;
}

export function createQueue(options: {
  fifo: boolean;
  batchSize?: number;
  maxReceiveCount?: number;
  name?: string;
}): SimulatedQueue {
  const batchSize = options.batchSize ?? 10;
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  const queue: QueuedMessage[] = [];
  const inFlight = new Set<QueuedMessage>();
  const deadLetters: QueuedMessage[] = [];
  const stats: QueueStats = {
    sent: 0,
    invocations: 0,
    receives: 0,
    failures: 0,
    acknowledged: 0,
    deadLettered: 0,
    redriven: 0,
  };
  let nextId = 0;

  const deliverOnce = async (handler: BatchHandler): Promise<boolean> => {
    // FIFO: while a batch of the (single) group is in flight, nothing else of the group is delivered.
    if (options.fifo && inFlight.size > 0) return false;
    const batch = queue.splice(0, batchSize);
    if (batch.length === 0) return false;
    stats.invocations++;
    for (const m of batch) {
      m.receiveCount++;
      inFlight.add(m);
    }
    stats.receives += batch.length;
    const records = batch.map((m) =>
      sqsRecord(m.body, { messageId: m.messageId, receiveCount: m.receiveCount, groupId: 'inbox' }),
    );
    let failed: Set<string>;
    try {
      const response = await handler({ Records: records });
      failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    }
    const retry: QueuedMessage[] = [];
    for (const m of batch) {
      inFlight.delete(m);
      if (!failed.has(m.messageId)) {
        stats.acknowledged++;
        continue;
      }
      stats.failures++;
      if (m.receiveCount >= maxReceiveCount) {
        deadLetters.push(m);
        stats.deadLettered++;
      } else {
        retry.push(m);
      }
    }
    if (options.fifo) queue.unshift(...retry);
    else queue.push(...retry);
    return true;
  };

  return {
    stats,
    deadLetters,
    pending: () => queue.length + inFlight.size,
    send(body) {
      stats.sent++;
      queue.push({
        messageId: `${options.name ?? 'msg'}-${(++nextId).toString().padStart(6, '0')}`,
        body,
        receiveCount: 0,
      });
    },
    deliverOnce,
    async drain(handler, drainOptions = {}) {
      const consumers = options.fifo ? 1 : (drainOptions.consumers ?? 1);
      const consumer = async () => {
        while (queue.length > 0 || inFlight.size > 0) {
          const delivered = await deliverOnce(handler);
          if (delivered) await drainOptions.afterInvocation?.();
          // Another consumer holds the rest; let it finish before looking again.
          else await new Promise((resolve) => setImmediate(resolve));
        }
      };
      await Promise.all(Array.from({ length: consumers }, consumer));
    },
    redrive() {
      const moved = deadLetters.splice(0, deadLetters.length);
      for (const m of moved) m.receiveCount = 0;
      queue.push(...moved);
      stats.redriven += moved.length;
      return moved.length;
    },
  };
}

import { describe, expect, it } from 'vitest';
import { type BatchReport, createFifoQueue, type DeadLetter } from '../../shared/dev/fifo-queue.ts';
import type { SqsBatchResponse, SqsRecord } from '../../shared/events/sqs-event.ts';

/** A consumer that records every batch and answers with the failures `fail` picks. */
function recordingConsumer(fail: (record: SqsRecord, batchIndex: number) => boolean = () => false) {
  const batches: SqsRecord[][] = [];
  let active = 0;
  let maxActive = 0;
  const consume = async (records: SqsRecord[]): Promise<SqsBatchResponse> => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    batches.push(records);
    await new Promise((resolve) => setTimeout(resolve, 5));
    active -= 1;
    const index = batches.length - 1;
    return {
      batchItemFailures: records.filter((r) => fail(r, index)).map((r) => ({ itemIdentifier: r.messageId })),
    };
  };
  return { consume, batches, maxActive: () => maxActive };
}

const bodies = (batch: SqsRecord[] | undefined) => (batch ?? []).map((r) => r.body);

describe('dev FIFO queue', () => {
  it('batches messages that arrive within the window, in order, up to 10 per batch, one batch at a time', async () => {
    const consumer = recordingConsumer();
    const queue = createFifoQueue({ consume: consumer.consume, groupId: 'inbox', batchWindowMs: 40 });
    for (let i = 0; i < 23; i += 1) queue.send(`m${i}`);
    await queue.idle();
    expect(consumer.batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(consumer.batches.flatMap(bodies)).toEqual(Array.from({ length: 23 }, (_, i) => `m${i}`));
    expect(consumer.maxActive()).toBe(1);
    expect(consumer.batches[0]?.[0]?.attributes).toMatchObject({
      MessageGroupId: 'inbox',
      ApproximateReceiveCount: '1',
    });
  });

  it('keeps messages sent while a batch is in flight for the next batch', async () => {
    const consumer = recordingConsumer();
    const queue = createFifoQueue({ consume: consumer.consume, groupId: 'inbox', batchWindowMs: 10 });
    queue.send('first');
    await new Promise((resolve) => setTimeout(resolve, 12));
    queue.send('second');
    queue.send('third');
    await queue.idle();
    expect(consumer.batches.map(bodies)).toEqual([['first'], ['second', 'third']]);
  });

  it('redelivers reported failures first, then dead-letters them after maxReceiveCount', async () => {
    const letters: DeadLetter[] = [];
    const consumer = recordingConsumer((record) => record.body === 'poison');
    const queue = createFifoQueue({
      consume: consumer.consume,
      groupId: 'inbox',
      batchWindowMs: 5,
      maxReceiveCount: 3,
      retryDelayMs: () => 5,
      onDeadLetter: (letter) => letters.push(letter),
    });
    queue.send('ok-1');
    queue.send('poison');
    queue.send('ok-2');
    await queue.idle();
    expect(consumer.batches.map(bodies)).toEqual([['ok-1', 'poison', 'ok-2'], ['poison'], ['poison']]);
    expect(consumer.batches.map((b) => b[0]?.attributes?.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    expect(letters.map((l) => l.message.body)).toEqual(['poison']);
    expect(queue.deadLetters).toHaveLength(1);
  });

  it('a message that fails once and then succeeds is not dead-lettered', async () => {
    const consumer = recordingConsumer((record, batch) => record.body === 'flaky' && batch === 0);
    const queue = createFifoQueue({
      consume: consumer.consume,
      groupId: 'inbox',
      batchWindowMs: 5,
      retryDelayMs: () => 5,
    });
    queue.send('flaky');
    await queue.idle();
    expect(consumer.batches.map(bodies)).toEqual([['flaky'], ['flaky']]);
    expect(queue.deadLetters).toEqual([]);
  });

  it('a consumer that throws fails the whole batch, and so does an answer naming an unknown message', async () => {
    const reports: BatchReport[] = [];
    let calls = 0;
    const queue = createFifoQueue({
      consume: async () => {
        calls += 1;
        if (calls === 1) throw new Error('cold start failed');
        if (calls === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
        return { batchItemFailures: [] };
      },
      groupId: 'inbox',
      batchWindowMs: 5,
      retryDelayMs: () => 5,
      onBatch: (report) => reports.push(report),
    });
    queue.send('a');
    queue.send('b');
    await queue.idle();
    expect(reports.map((r) => r.failedIds.length)).toEqual([2, 2, 0]);
    expect(String(reports[0]?.error)).toContain('cold start failed');
    expect(String(reports[1]?.error)).toContain('not in the batch');
    expect(reports[2]?.records.map((r) => r.body)).toEqual(['a', 'b']);
  });

  it('close() drains what is queued and then refuses new messages', async () => {
    const consumer = recordingConsumer();
    const queue = createFifoQueue({ consume: consumer.consume, groupId: 'inbox', batchWindowMs: 10_000 });
    queue.send('x');
    queue.send('y');
    await queue.close();
    expect(consumer.batches.map(bodies)).toEqual([['x', 'y']]);
    expect(() => queue.send('z')).toThrow(/closed/);
  });
});

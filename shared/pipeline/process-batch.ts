import type { DecodedMessage } from '../events/decode.ts';
import type { ObjectChange } from '../events/object-change.ts';
import type { SqsBatchResponse } from '../events/sqs-event.ts';
import type { Logger } from '../log.ts';
import type { Pipeline } from './pipeline.ts';

/**
 * Runs one decoded SQS batch through the pipeline, in message order: runs of change messages are handled
 * together (one index update per run), a rebuild request runs on its own. A message fails when it is
 * poison, or when any change it carries failed; only those go back to the queue. (For FIFO queues AWS
 * suggests failing every later message of the group too, to keep order; the pipeline reconciles each key
 * with its object and converges whatever the order, so the messages that did succeed are let go.)
 */
export async function processBatch(
  pipeline: Pipeline,
  messages: readonly DecodedMessage[],
  log: Logger,
): Promise<SqsBatchResponse> {
  const failed = new Set<string>();
  let run: { messageId: string; changes: readonly ObjectChange[] }[] = [];

  const flush = async () => {
    if (run.length === 0) return;
    const batch = run;
    run = [];
    const owners = batch.flatMap((m) => m.changes.map(() => m.messageId));
    try {
      const outcomes = await pipeline.handleChanges(batch.flatMap((m) => m.changes));
      outcomes.forEach((outcome, i) => {
        const owner = owners[i];
        if (outcome.status === 'failed' && owner !== undefined) failed.add(owner);
      });
    } catch (error) {
      log.error('batch failed', { error, messages: batch.map((m) => m.messageId) });
      for (const m of batch) failed.add(m.messageId);
    }
  };

  for (const message of messages) {
    if (message.error !== undefined) {
      // Poison: it fails on every receive. It is reported rather than dropped so that SQS dead-letters it
      // (the DLQ alarm fires) instead of it vanishing: the decoder may be what is wrong (a new AWS event
      // shape), and a redrive after the fix, or a rebuild, recovers the change it stood for. The cost on the
      // FIFO queue's one message group: until it is dead-lettered, after maxReceiveCount (5) receives one
      // visibility timeout (6 × the function timeout) apart, about an hour by default, the group advances
      // one batch per visibility timeout (the messages received with it succeed; later ones wait behind it).
      // This line, with the message id and the reason, is what an operator searches for
      // (Logs Insights: `filter message = 'poison message'`).
      log.error('poison message', { messageId: message.messageId, reason: message.error });
      failed.add(message.messageId);
    } else if (message.changes === 'ignore') {
      log.info('message ignored', { messageId: message.messageId, reason: message.note });
    } else if (message.changes === 'rebuild') {
      await flush();
      try {
        const summary = await pipeline.rebuild();
        log.info('rebuild done', { messageId: message.messageId, ...summary });
      } catch (error) {
        log.error('rebuild failed', { messageId: message.messageId, error });
        failed.add(message.messageId);
      }
    } else {
      run.push({ messageId: message.messageId, changes: message.changes });
    }
  }
  await flush();
  return {
    batchItemFailures: messages
      .filter((m) => failed.has(m.messageId))
      .map((m) => ({ itemIdentifier: m.messageId })),
  };
}

import { decodeSqsEvent } from '../shared/events/decode.ts';
import type { SqsBatchResponse, SqsEvent } from '../shared/events/sqs-event.ts';
import { createLogger } from '../shared/log.ts';
import { configFromEnv } from '../shared/pipeline/config-from-env.ts';
import { pipelineFromConfig } from '../shared/pipeline/from-config.ts';
import { processBatch } from '../shared/pipeline/process-batch.ts';

// Module scope: built once per container, reused by every invocation it serves.
const config = configFromEnv();
const log = createLogger({ fn: 'ingest' });
const pipeline = pipelineFromConfig(config, log);

/** SQS (FIFO, fed by EventBridge) → the pipeline; failed messages go back to the queue, the rest are done. */
export async function handler(event: SqsEvent): Promise<SqsBatchResponse> {
  return processBatch(pipeline, decodeSqsEvent(event, { inboxBucket: config.inboxBucket }), log);
}

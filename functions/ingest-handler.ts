import { decodeSqsEvent } from '../shared/events/decode.ts';
import type { SqsBatchResponse, SqsEvent } from '../shared/events/sqs-event.ts';
import { createLogger, type Logger, parseLogLevel } from '../shared/log.ts';
import { configFromEnv } from '../shared/pipeline/config-from-env.ts';
import { pipelineFromConfig } from '../shared/pipeline/from-config.ts';
import { processBatch } from '../shared/pipeline/process-batch.ts';

export type IngestHandler = (event: SqsEvent) => Promise<SqsBatchResponse>;

/**
 * The ingest Lambda's handler over the configuration in `env` (see `configFromEnv`): SQS (FIFO, fed by
 * EventBridge) → the pipeline; failed messages go back to the queue, the rest are done. A bad setting
 * throws here, so a container fails its cold start naming the variable. The S3 client's region and
 * credentials still come from the AWS SDK's own chain (the process environment on Lambda).
 *
 * Kept apart from `ingest.ts`, which builds its handler on import: `dropfeed dev` builds one per runtime
 * from that runtime's settings.
 */
export function createHandler(
  env: Readonly<Record<string, string | undefined>> = process.env,
  log: Logger = createLogger({ fn: 'ingest' }, { level: parseLogLevel(env.LOG_LEVEL) }),
): IngestHandler {
  const config = configFromEnv(env);
  const pipeline = pipelineFromConfig(config, log);
  return (event) => processBatch(pipeline, decodeSqsEvent(event, { inboxBucket: config.inboxBucket }), log);
}

import type { Logger } from '../log.ts';
import { createS3Client, createS3Store } from '../store/s3-store.ts';
import type { PipelineEnvConfig } from './config-from-env.ts';
import { createPipeline, type Pipeline } from './pipeline.ts';

/** The pipeline over the three S3 buckets the configuration names (the Lambda's and `dropfeed dev`'s wiring). */
export function pipelineFromConfig(config: PipelineEnvConfig, log?: Logger): Pipeline {
  const client = createS3Client(config.s3);
  return createPipeline({
    inbox: createS3Store(client, config.inboxBucket),
    site: createS3Store(client, config.siteBucket),
    state: createS3Store(client, config.stateBucket),
    siteConfig: config.site,
    ...(config.maxArticleBytes !== undefined ? { maxArticleBytes: config.maxArticleBytes } : {}),
    ...(log ? { log } : {}),
  });
}

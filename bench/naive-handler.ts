/**
 * The naive baseline dressed as a Lambda handler, configured from the same environment variables as the real
 * one, so both run in the same harness (bundled, in a child process, against the same S3 server).
 */
import { configFromEnv } from '../shared/pipeline/config-from-env.ts';
import { createS3Client, createS3Store } from '../shared/store/s3-store.ts';
import { type NaiveResult, naivePublish } from './naive.ts';

const config = configFromEnv();
const client = createS3Client(config.s3);
const inbox = createS3Store(client, config.inboxBucket);
const site = createS3Store(client, config.siteBucket);

export async function handler(_event: unknown): Promise<NaiveResult> {
  return naivePublish(inbox, site, config.site);
}

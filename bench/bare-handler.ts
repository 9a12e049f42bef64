/**
 * The floor for the cold-load comparison: a Lambda handler that does nothing but import and construct the
 * S3 client. Any handler that talks to S3 pays at least this; what the real handler adds on top is ours.
 */
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';

const client = new S3Client({});

export async function handler(event: { bucket?: string }): Promise<{ ok: boolean }> {
  if (event.bucket) await client.send(new HeadBucketCommand({ Bucket: event.bucket }));
  return { ok: true };
}

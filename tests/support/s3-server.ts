/**
 * A real S3-compatible server (s3rver, from npm) started in-process on a random loopback port, with the
 * product's own S3 client configuration pointed at it. Reused by every suite that needs S3.
 *
 *   const s3 = await startS3Server({ buckets: ['inbox', 'site', 'state'] });
 *   const store = createS3Store(s3.client, 'inbox');
 *   const off = s3.onEvent((event) => ...);   // s3rver's raw S3 notification records (keys NOT form-encoded)
 *   await s3.stop();
 *
 * It is `dropfeed dev`'s embedded server, readers-writer lock included: s3rver rewrites an object's files
 * in place, and without the lock a read racing a write of the same key may see a torn body or a 500.
 *
 * Needs `--openssl-legacy-provider` for ListObjectsV2 pagination (vitest.config.ts passes it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { embeddedS3Client, S3RVER_CREDENTIALS, startEmbeddedS3 } from '../../shared/dev/embedded-s3.ts';
import type { S3rverNotification } from '../../shared/dev/object-event.ts';

export { S3RVER_CREDENTIALS };

/** The S3 notification s3rver emits for each Put/Copy/Post/Delete: `{ Records: [...] }`, keys raw. */
export type S3rverEvent = S3rverNotification;

export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** A client built by the product's `createS3Client`, pointed at this server. */
  readonly client: S3Client;
  readonly buckets: readonly string[];
  /** Creates more (empty) buckets, e.g. fresh ones per test so tests never see each other's objects. */
  createBuckets(names: readonly string[]): Promise<void>;
  /** Subscribes to s3rver's notifications; returns the unsubscribe function. */
  onEvent(listener: (event: S3rverEvent) => void): () => void;
  stop(): Promise<void>;
}

export async function startS3Server(options: { buckets: readonly string[] }): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const listeners = new Set<(event: S3rverEvent) => void>();
  const server = await startEmbeddedS3({
    port: 0,
    directory,
    buckets: options.buckets,
    onNotification: (event) => {
      for (const listener of [...listeners]) listener(event);
    },
  }).catch(async (error: unknown) => {
    await rm(directory, { recursive: true, force: true });
    throw error;
  });
  const client = embeddedS3Client(server.endpoint);
  let stopped = false;
  return {
    endpoint: server.endpoint,
    port: server.port,
    client,
    buckets: options.buckets,
    async createBuckets(names) {
      for (const name of names) await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    onEvent(listener) {
      // A wrapper per subscription, so subscribing the same function twice gives two independent ones.
      const subscription = (event: S3rverEvent) => listener(event);
      listeners.add(subscription);
      return () => listeners.delete(subscription);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * A real S3-compatible server (s3rver, from npm) started in-process on a random loopback port, with the
 * product's own S3 client configuration pointed at it. Reused by every suite that needs S3.
 *
 *   const s3 = await startS3Server({ buckets: ['inbox', 'site', 'state'] });
 *   const store = createS3Store(s3.client, 'inbox');
 *   const off = s3.onEvent((event) => ...);   // s3rver's raw S3 notification records (keys NOT form-encoded)
 *   await s3.stop();
 *
 * Needs `--openssl-legacy-provider` for ListObjectsV2 pagination (vitest.config.ts passes it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../shared/store/s3-store.ts';

/** The S3 notification s3rver emits for each Put/Copy/Post/Delete: `{ Records: [...] }`, keys raw. */
export interface S3rverEvent {
  readonly Records: ReadonlyArray<{
    readonly eventName: string;
    readonly eventTime: string;
    readonly s3: {
      readonly bucket: { readonly name: string };
      readonly object: {
        readonly key: string;
        readonly sequencer: string;
        readonly size?: number;
        readonly eTag?: string;
      };
    };
  }>;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3rverEvent) => void): void;
  off(event: 'event', listener: (event: S3rverEvent) => void): void;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

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

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export async function startS3Server(options: { buckets: readonly string[] }): Promise<S3TestServer> {
  // s3rver ships no types; its constructor is described by the interface above.
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    resetOnClose: true,
    // Path-style only: a virtual-host lookup would read `127.0.0.1` as a bucket name.
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createS3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
  });
  let stopped = false;
  return {
    endpoint,
    port,
    client,
    buckets: options.buckets,
    async createBuckets(names) {
      for (const name of names) await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    onEvent(listener) {
      server.on('event', listener);
      return () => server.off('event', listener);
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

import { createServer, type RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../store/s3-store.ts';
import { DEV_REGION } from './eventbridge-event.ts';
import type { ObjectEvent, S3rverNotification } from './object-event.ts';
import { createdEventsFromS3rver } from './object-event.ts';
import { createReadWriteLock } from './read-write-lock.ts';

/**
 * s3rver (npm) running in this process on loopback, with its buckets on disk under `directory`, reporting
 * every object creation and deletion as an `ObjectEvent`. It accepts the credentials S3RVER / S3RVER.
 */
export interface EmbeddedS3Options {
  readonly port: number;
  readonly directory: string;
  readonly buckets: readonly string[];
  /** Every object creation and deletion, including those of a DeleteObjects call. */
  readonly onObjectEvent?: (event: ObjectEvent) => void;
  /** s3rver's own notifications, as it emits them: raw keys, and none for a DeleteObjects call. */
  readonly onNotification?: (notification: S3rverNotification) => void;
  /** Unexpected server-side errors (5xx); client errors such as 404 are normal S3 answers. */
  readonly onServerError?: (error: Error) => void;
}

export interface EmbeddedS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

interface S3rverStore {
  deleteObject(bucket: string, key: string): Promise<void>;
}

/** The part of s3rver 3.7's API used here (it ships no types). */
interface S3rverInstance {
  readonly store: S3rverStore;
  readonly logger?: { close(): void };
  configureBuckets(): Promise<void>;
  callback(): RequestListener;
  on(event: 'event', listener: (notification: S3rverNotification) => void): void;
  on(event: 'error', listener: (error: Error & { status?: number }) => void): void;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory: options.directory,
    // Virtual-host bucket names would turn `localhost:<port>` requests into a bucket lookup.
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });

  server.on('event', (notification) => {
    options.onNotification?.(notification);
    if (options.onObjectEvent === undefined) return;
    for (const event of createdEventsFromS3rver(notification)) options.onObjectEvent(event);
  });
  // s3rver announces DeleteObject but not DeleteObjects (`aws s3 rm --recursive`, `aws s3 sync --delete`);
  // both end in this store call, which it makes only for an object that exists.
  const deleteObject = server.store.deleteObject.bind(server.store);
  server.store.deleteObject = async (bucket, key) => {
    await deleteObject(bucket, key);
    options.onObjectEvent?.({ bucket, key, kind: 'deleted', reason: 'DeleteObject', time: new Date() });
  };
  server.on('error', (error) => {
    if ((error.status ?? 500) >= 500) options.onServerError?.(error);
  });

  // Not `server.run()`: its listen leaves a busy port as an unhandled 'error' event that kills the process.
  await server.configureBuckets();
  const http = createServer(serialised(server.callback()));
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error) => reject(explainListenError(error, options.port, '--s3-port')));
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  let closed = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeAllConnections();
      });
      server.logger?.close();
    },
  };
}

/** The product's S3 client (`createS3Client`) set up for an embedded server at `endpoint`. */
export function embeddedS3Client(endpoint: string): S3Client {
  return createS3Client({
    endpoint,
    forcePathStyle: true,
    region: DEV_REGION,
    credentials: S3RVER_CREDENTIALS,
  });
}

/**
 * s3rver rewrites an object's data and metadata files in place, so a read racing a write of the same key
 * gets a truncated body or half a JSON file (a 500), where S3 replaces an object atomically. The dev site
 * polls exactly the files the pipeline rewrites, so requests go under one readers-writer lock, held until
 * the response is over: GET and HEAD share it, anything else has it alone. Dev traffic is small; the cost
 * is that a slow upload holds reads back while it lasts.
 */
function serialised(handle: RequestListener): RequestListener {
  const lock = createReadWriteLock();
  return (request, response) => {
    const reading = request.method === 'GET' || request.method === 'HEAD';
    void (reading ? lock.read() : lock.write()).then((release) => {
      response.once('close', release);
      handle(request, response);
    });
  };
}

/** EADDRINUSE says nothing a newcomer can act on; name the port and the option that moves it. */
export function explainListenError(error: unknown, port: number, option: string): Error {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(
      `port ${port} on 127.0.0.1 is already in use: stop the other process or pass ${option} PORT`,
    );
  }
  if (code === 'EACCES')
    return new Error(`not allowed to listen on port ${port}: pass ${option} PORT (above 1023)`);
  return error instanceof Error ? error : new Error(String(error));
}

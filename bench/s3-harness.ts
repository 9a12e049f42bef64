/**
 * The bench's S3: s3rver (the same server the tests use) started in this process, with every HTTP request
 * it serves counted by S3 billing kind and bucket. Counting at the server sees exactly what a client sent,
 * whoever the client is (the real handler in a child process, the naive baseline), so both are measured by
 * the same ruler. The data directory is the bench's own so archives can be seeded straight onto its disk.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type RequestKind = 'get' | 'head' | 'put' | 'copy' | 'post' | 'list' | 'delete' | 'other';

export interface RequestTally {
  get: number;
  head: number;
  put: number;
  copy: number;
  post: number;
  list: number;
  delete: number;
  other: number;
  /** Request bodies received (Content-Length). */
  bytesIn: number;
  /** Response bytes sent, bodies and headers excluded. */
  bytesOut: number;
}

export function emptyTally(): RequestTally {
  return { get: 0, head: 0, put: 0, copy: 0, post: 0, list: 0, delete: 0, other: 0, bytesIn: 0, bytesOut: 0 };
}

export function totalRequests(t: RequestTally): number {
  return t.get + t.head + t.put + t.copy + t.post + t.list + t.delete + t.other;
}

export interface RequestCounter {
  /** Everything since the last reset. */
  tally(): RequestTally;
  /** Per bucket since the last reset. */
  byBucket(): Record<string, RequestTally>;
  reset(): void;
}

export interface BenchS3 {
  readonly endpoint: string;
  /** s3rver's data directory: `<directory>/<bucket>/<key>._S3rver_object` and friends. */
  readonly directory: string;
  readonly counter: RequestCounter;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/** `root`: where the data directory goes (default: the OS temp dir). */
export async function startBenchS3(buckets: readonly string[], root = tmpdir()): Promise<BenchS3> {
  // s3rver ships no types; the interface above describes the part the bench uses.
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(join(root, 'dropfeed-bench-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const http = server.httpServer;
  if (!http) throw new Error('s3rver started without an HTTP server');
  const counter = createCounter();
  // Prepended so the counter wraps the response before s3rver's handler can write to it.
  http.prependListener('request', counter.observe);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    counter,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function createCounter(): RequestCounter & { observe(req: IncomingMessage, res: ServerResponse): void } {
  let all = emptyTally();
  let buckets: Record<string, RequestTally> = {};
  return {
    tally: () => ({ ...all }),
    byBucket: () => Object.fromEntries(Object.entries(buckets).map(([name, t]) => [name, { ...t }])),
    reset() {
      all = emptyTally();
      buckets = {};
    },
    observe(req, res) {
      const url = new URL(req.url ?? '/', 'http://s3');
      const [, bucket = '', ...keyParts] = url.pathname.split('/');
      const kind = classify(req, url, keyParts.join('/'));
      const perBucket = buckets[bucket] ?? emptyTally();
      buckets[bucket] = perBucket;
      const bytesIn = Number(req.headers['content-length'] ?? 0) || 0;
      for (const t of [all, perBucket]) {
        t[kind]++;
        t.bytesIn += bytesIn;
      }
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      const countOut = (chunk: unknown) => {
        const n =
          typeof chunk === 'string'
            ? Buffer.byteLength(chunk)
            : chunk instanceof Uint8Array
              ? chunk.length
              : 0;
        all.bytesOut += n;
        perBucket.bytesOut += n;
      };
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        countOut(chunk);
        return write(chunk, ...rest);
      }) as ServerResponse['write'];
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (typeof chunk !== 'function') countOut(chunk);
        return end(chunk, ...rest);
      }) as ServerResponse['end'];
    },
  };
}

/** The kind S3 bills a request as (path-style URLs: `/bucket/key`). */
function classify(req: IncomingMessage, url: URL, key: string): RequestKind {
  const method = req.method ?? 'GET';
  if (method === 'HEAD') return 'head';
  if (method === 'DELETE') return 'delete';
  if (method === 'POST') return url.searchParams.has('delete') ? 'delete' : 'post';
  if (method === 'PUT') return req.headers['x-amz-copy-source'] ? 'copy' : key ? 'put' : 'other';
  if (method === 'GET') return key ? 'get' : url.searchParams.has('location') ? 'other' : 'list';
  return 'other';
}

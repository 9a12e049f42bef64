import type { ObjectStore } from './object-store.ts';
import { toBytes } from './object-store.ts';

/** Requests and bytes one store has served; what a benchmark or a cost test reads. */
export interface RequestCounts {
  get: number;
  head: number;
  put: number;
  list: number;
  delete: number;
  bytesRead: number;
  bytesWritten: number;
}

export interface CountingStore extends ObjectStore {
  readonly counts: Readonly<RequestCounts>;
  /** Total requests of every kind. */
  total(): number;
  reset(): void;
}

export function emptyCounts(): RequestCounts {
  return { get: 0, head: 0, put: 0, list: 0, delete: 0, bytesRead: 0, bytesWritten: 0 };
}

/**
 * Wraps a store and counts what it is asked for: one `list` count per page-sized chunk of 1,000 keys, since
 * that is what S3 bills (ListObjectsV2 returns at most 1,000 keys per request); a miss still counts.
 */
export function countingStore(inner: ObjectStore): CountingStore {
  let counts = emptyCounts();
  return {
    get counts() {
      return counts;
    },
    total() {
      return counts.get + counts.head + counts.put + counts.list + counts.delete;
    },
    reset() {
      counts = emptyCounts();
    },
    async get(key) {
      counts.get++;
      const out = await inner.get(key);
      if (out) counts.bytesRead += out.body.byteLength;
      return out;
    },
    async head(key) {
      counts.head++;
      return inner.head(key);
    },
    async put(key, body, opts) {
      counts.put++;
      counts.bytesWritten += toBytes(body).byteLength;
      return inner.put(key, body, opts);
    },
    async delete(key) {
      counts.delete++;
      return inner.delete(key);
    },
    async *list(prefix, startAfter) {
      counts.list++;
      let seen = 0;
      for await (const item of inner.list(prefix, startAfter)) {
        seen++;
        if (seen % 1000 === 1 && seen > 1) counts.list++;
        yield item;
      }
    },
  };
}

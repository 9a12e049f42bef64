import { createHash } from 'node:crypto';
import type { ObjectInfo, ObjectStore, StoredObject } from './object-store.ts';
import { PreconditionFailed, toBytes } from './object-store.ts';

/**
 * AN IN-MEMORY FAKE, NOT A REAL STORE. It exists because no S3 emulator that runs here enforces
 * `If-Match` / `If-None-Match` (s3rver accepts and ignores them), so compare-and-swap logic can only be
 * exercised against this fake. It enforces both conditions the way S3 does (412), and
 * `beforePut` lets a test interleave a competing writer between a read and a write.
 * Everything else is tested against s3rver through the real S3 adapter.
 */
export interface MemoryStore extends ObjectStore {
  /** Called before each put is applied; a test may write here to simulate a concurrent writer. */
  beforePut?: (key: string) => Promise<void> | void;
  /** Current keys, sorted (for assertions). */
  keys(): string[];
}

export function createMemoryStore(clock: () => Date = () => new Date()): MemoryStore {
  const objects = new Map<string, StoredObject>();
  const info = (o: StoredObject): ObjectInfo => ({
    key: o.key,
    etag: o.etag,
    lastModified: o.lastModified,
    size: o.body.byteLength,
    ...(o.contentType !== undefined ? { contentType: o.contentType } : {}),
    ...(o.cacheControl !== undefined ? { cacheControl: o.cacheControl } : {}),
  });
  const store: MemoryStore = {
    async get(key, opts = {}) {
      const o = objects.get(key);
      if (!o) return null;
      const end = opts.maxBytes !== undefined ? opts.maxBytes + 1 : o.body.byteLength;
      return { ...o, body: o.body.slice(0, end) };
    },
    async head(key) {
      const o = objects.get(key);
      return o ? info(o) : null;
    },
    async put(key, body, opts = {}) {
      await store.beforePut?.(key);
      const current = objects.get(key);
      if (opts.ifNoneMatch === '*' && current) throw new PreconditionFailed(key, 412);
      if (opts.ifMatch !== undefined && current?.etag !== opts.ifMatch)
        throw new PreconditionFailed(key, 412);
      const bytes = toBytes(body).slice();
      const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
      objects.set(key, {
        key,
        body: bytes,
        size: bytes.byteLength,
        etag,
        lastModified: new Date(Math.floor(clock().getTime() / 1000) * 1000),
        ...(opts.contentType !== undefined ? { contentType: opts.contentType } : {}),
        ...(opts.cacheControl !== undefined ? { cacheControl: opts.cacheControl } : {}),
      });
      return { etag };
    },
    async delete(key) {
      objects.delete(key);
    },
    async *list(prefix, startAfter) {
      const keys = [...objects.keys()]
        .filter((k) => k.startsWith(prefix) && (startAfter === undefined || k > startAfter))
        .sort();
      for (const key of keys) {
        const o = objects.get(key);
        if (o) yield info(o);
      }
    },
    keys() {
      return [...objects.keys()].sort();
    },
  };
  return store;
}

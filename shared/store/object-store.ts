/**
 * The storage interface the pipeline knows: a flat key → bytes map with ETags and S3's conditional writes.
 * Implemented by the S3 adapter (`s3-store.ts`) and, for tests of compare-and-swap logic only, by the
 * in-memory fake (`memory-store.ts`), because no local S3 emulator enforces If-Match / If-None-Match.
 */
export interface ObjectInfo {
  readonly key: string;
  /** The ETag as S3 returns it, quotes included. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly size: number;
  readonly versionId?: string;
  readonly contentType?: string;
  readonly cacheControl?: string;
}

export interface StoredObject {
  readonly key: string;
  /** The object's bytes; only the first `maxBytes + 1` when a `maxBytes` read found it larger. */
  readonly body: Uint8Array;
  /** The whole object's size, which exceeds `body.byteLength` when the read was cut short. */
  readonly size: number;
  readonly etag: string;
  readonly lastModified: Date;
  readonly versionId?: string;
  readonly contentType?: string;
  readonly cacheControl?: string;
}

export interface PutOptions {
  readonly contentType?: string;
  readonly cacheControl?: string;
  /** Compare and swap: write only while the current object's ETag is this one. */
  readonly ifMatch?: string;
  /** Create only: write only while no object exists under the key. */
  readonly ifNoneMatch?: '*';
}

export interface GetOptions {
  /**
   * Read at most `maxBytes + 1` bytes (one ranged GET), so an oversized object is recognised without being
   * held in memory: `size` tells the truth, `body` is cut short.
   */
  readonly maxBytes?: number;
}

export interface ObjectStore {
  /** The object, or null when there is none. */
  get(key: string, opts?: GetOptions): Promise<StoredObject | null>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Throws `PreconditionFailed` when `ifMatch` / `ifNoneMatch` does not hold. */
  put(key: string, body: string | Uint8Array, opts?: PutOptions): Promise<{ etag: string }>;
  /** Deleting a missing key is not an error (S3 semantics). */
  delete(key: string): Promise<void>;
  /** Keys under `prefix` in ascending key order, after `startAfter` when given; pages lazily. */
  list(prefix: string, startAfter?: string): AsyncIterable<ObjectInfo>;
}

/** A conditional write lost its race (S3 answers 412, or 409 when a concurrent write is in flight). */
export class PreconditionFailed extends Error {
  constructor(
    readonly key: string,
    readonly status: 412 | 409,
  ) {
    super(`conditional write to '${key}' failed (HTTP ${status}): the object changed since it was read`);
    this.name = 'PreconditionFailed';
  }
}

export function isPreconditionFailed(error: unknown): error is PreconditionFailed {
  return error instanceof PreconditionFailed;
}

const encoder = new TextEncoder();

/** Text is stored as UTF-8; every body crosses the interface as bytes. */
export function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

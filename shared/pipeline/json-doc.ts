import type { ObjectStore } from '../store/object-store.ts';
import { isPreconditionFailed } from '../store/object-store.ts';

/** A JSON document as read, with the ETag a conditional write must match (null: it did not exist). */
export interface Versioned<T> {
  readonly value: T | null;
  readonly etag: string | null;
  /** The exact bytes read, so an unchanged document is recognised and not rewritten. */
  readonly text: string | null;
}

export const STATE_CONTENT_TYPE = 'application/json; charset=utf-8';
// State is read by the pipeline only, always fresh: never cache it anywhere.
export const STATE_CACHE_CONTROL = 'no-store';

const decoder = new TextDecoder();

export async function readJson<T>(store: ObjectStore, key: string): Promise<Versioned<T>> {
  const object = await store.get(key);
  if (!object) return { value: null, etag: null, text: null };
  const text = decoder.decode(object.body);
  return { value: JSON.parse(text) as T, etag: object.etag, text };
}

export function serialise(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** Writes `value` only if the document is still what was read (If-Match its ETag, or If-None-Match when absent). */
export async function writeJsonIfUnchanged(
  store: ObjectStore,
  key: string,
  value: unknown,
  etag: string | null,
) {
  return store.put(key, serialise(value), {
    contentType: STATE_CONTENT_TYPE,
    cacheControl: STATE_CACHE_CONTROL,
    ...(etag === null ? { ifNoneMatch: '*' as const } : { ifMatch: etag }),
  });
}

export const DEFAULT_CAS_ATTEMPTS = 8;

/**
 * Read-modify-write under compare-and-swap: reads the document, lets `mutate` compute the next value
 * (it may do idempotent side effects, e.g. write the feeds the new value describes), writes it only if
 * nobody wrote in between, and starts over from a fresh read when somebody did. Returns the value that
 * won. When `mutate` returns bytes identical to what was read, or null, nothing is written. `alreadyRead`
 * stands for the first read when the caller has just read the document anyway.
 */
export async function updateJson<T>(
  store: ObjectStore,
  key: string,
  mutate: (current: T | null) => T | null | Promise<T | null>,
  attempts = DEFAULT_CAS_ATTEMPTS,
  alreadyRead?: Versioned<T>,
): Promise<T | null> {
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && alreadyRead ? alreadyRead : await readJson<T>(store, key);
    const next = await mutate(current.value);
    // null: the document is not needed (e.g. an empty one that never existed); nothing to write.
    if (next === null) return current.value;
    if (current.text !== null && serialise(next) === current.text) return next;
    try {
      await writeJsonIfUnchanged(store, key, next, current.etag);
      return next;
    } catch (error) {
      if (!isPreconditionFailed(error) || attempt >= attempts) throw error;
      // Another writer got there first: back off a little (jittered) and redo the change on its result.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

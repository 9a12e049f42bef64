import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../shared/store/memory-store.ts';
import { PreconditionFailed } from '../../shared/store/object-store.ts';

/**
 * The in-memory FAKE store exists only because no emulator here enforces conditional writes (s3rver ignores
 * If-Match / If-None-Match); these tests pin its S3 semantics so the compare-and-swap tests built on it mean
 * something.
 */
describe('memory store (labelled fake): conditional writes as S3 does them', () => {
  it('If-None-Match: * creates once, then fails with PreconditionFailed', async () => {
    const store = createMemoryStore();
    await store.put('k', 'one', { ifNoneMatch: '*' });
    await expect(store.put('k', 'two', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailed);
    expect(new TextDecoder().decode((await store.get('k'))?.body)).toBe('one');
  });

  it('If-Match succeeds on the current ETag only', async () => {
    const store = createMemoryStore();
    const first = await store.put('k', 'one');
    const second = await store.put('k', 'two', { ifMatch: first.etag });
    expect(second.etag).not.toBe(first.etag);
    await expect(store.put('k', 'three', { ifMatch: first.etag })).rejects.toBeInstanceOf(PreconditionFailed);
    await expect(store.put('missing', 'x', { ifMatch: first.etag })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
  });

  it('has S3-like ETags (quoted md5) and lists in key order after startAfter', async () => {
    const store = createMemoryStore();
    const { etag } = await store.put('b', 'hello');
    await store.put('a', 'x');
    await store.put('c', 'x');
    expect(etag).toBe('"5d41402abc4b2a76b9719d911017c592"');
    const keys: string[] = [];
    for await (const info of store.list('', 'a')) keys.push(info.key);
    expect(keys).toEqual(['b', 'c']);
  });
});

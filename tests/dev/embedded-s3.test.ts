import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedS3, embeddedS3Client, startEmbeddedS3 } from '../../shared/dev/embedded-s3.ts';
import { createReadWriteLock } from '../../shared/dev/read-write-lock.ts';
import { createS3Store } from '../../shared/store/s3-store.ts';

describe('readers-writer lock', () => {
  it('lets readers share, keeps a writer alone, and serves in arrival order', async () => {
    const lock = createReadWriteLock();
    const order: string[] = [];
    const releaseA = await lock.read();
    const releaseB = await lock.read();
    const writer = lock.write().then((release) => {
      order.push('write');
      return release;
    });
    const lateReader = lock.read().then((release) => {
      order.push('late read');
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual([]);
    releaseA();
    releaseB();
    const releaseWrite = await writer;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual(['write']);
    releaseWrite();
    (await lateReader)();
    expect(order).toEqual(['write', 'late read']);
  });
});

describe('embedded S3 server', () => {
  let dir: string;
  let s3: EmbeddedS3;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dropfeed-embedded-'));
    s3 = await startEmbeddedS3({ port: 0, directory: dir, buckets: ['site'], onObjectEvent: () => {} });
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a read racing rewrites of the same key sees one whole version, never a torn one', async () => {
    // s3rver alone rewrites files in place: without the lock these reads fail or come back truncated.
    const client = embeddedS3Client(s3.endpoint);
    const store = createS3Store(client, 'site');
    const versions = Array.from(
      { length: 12 },
      (_, i) => `${String(i).padStart(2, '0')}:${'x'.repeat(20_000 * (i + 1))}`,
    );
    await store.put('feed.xml', versions[0] as string, { contentType: 'application/rss+xml; charset=utf-8' });
    const writes = (async () => {
      for (const body of versions.slice(1))
        await store.put('feed.xml', body, { contentType: 'application/rss+xml; charset=utf-8' });
    })();
    const seen = new Set<string>();
    let done = false;
    void writes.finally(() => {
      done = true;
    });
    const readers = Array.from({ length: 4 }, async () => {
      while (!done) {
        const object = await store.get('feed.xml');
        const text = new TextDecoder().decode(object?.body);
        expect(versions).toContain(text);
        expect(object?.contentType).toBe('application/rss+xml; charset=utf-8');
        seen.add(text.slice(0, 2));
      }
    });
    await Promise.all([writes, ...readers]);
    client.destroy();
    expect(seen.size).toBeGreaterThan(1);
  });

  it('a busy port is reported with the option that moves it', async () => {
    await expect(
      startEmbeddedS3({ port: s3.port, directory: dir, buckets: ['site'], onObjectEvent: () => {} }),
    ).rejects.toThrow(
      `port ${s3.port} on 127.0.0.1 is already in use: stop the other process or pass --s3-port PORT`,
    );
  });
});

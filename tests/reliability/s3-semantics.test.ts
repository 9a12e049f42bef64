/**
 * The S3 semantics restored in front of s3rver (s3-semantics.ts) behave like S3 for the product's S3
 * adapter: a failed condition is a `PreconditionFailed`; compare-and-swap increments from many concurrent
 * writers (each with its own client) all survive, which they do not on bare s3rver; and a read racing a
 * write sees a whole object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, updateJson } from '../../shared/pipeline/json-doc.ts';
import { PreconditionFailed } from '../../shared/store/object-store.ts';
import { createS3Store } from '../../shared/store/s3-store.ts';
import type { S3TestServer } from '../support/s3-server.ts';
import { startS3Server } from '../support/s3-server.ts';
import { faultyS3Client } from './faulty-client.ts';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['cas'] });
});
afterAll(async () => {
  await s3.stop();
});

describe('S3 semantics restored in front of s3rver', () => {
  it('answers If-None-Match and If-Match as S3 does', async () => {
    const c = faultyS3Client(s3.endpoint, { maxAttempts: 1 });
    const store = createS3Store(c.client, 'cas');
    const { etag } = await store.put('doc', 'one', { ifNoneMatch: '*' });
    await expect(store.put('doc', 'two', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailed);
    await expect(
      store.put('doc', 'two', { ifMatch: '"0123456789abcdef0123456789abcdef"' }),
    ).rejects.toMatchObject({
      status: 412,
    });
    await store.put('doc', 'three', { ifMatch: etag });
    expect(new TextDecoder().decode((await store.get('doc'))?.body)).toBe('three');
    c.destroy();
  });

  it('keeps every one of 24 concurrent compare-and-swap increments from 4 clients', async () => {
    const clients = Array.from({ length: 4 }, () => faultyS3Client(s3.endpoint, { maxAttempts: 1 }));
    const stores = clients.map((c) => createS3Store(c.client, 'cas'));
    await Promise.all(
      Array.from({ length: 24 }, (_v, i) =>
        updateJson<{ n: number }>(
          stores[i % stores.length] as (typeof stores)[number],
          'counter',
          (cur) => ({ n: (cur?.n ?? 0) + 1 }),
          50,
        ),
      ),
    );
    expect((await readJson<{ n: number }>(createS3Store(s3.client, 'cas'), 'counter')).value).toEqual({
      n: 24,
    });
    for (const c of clients) c.destroy();
  });

  it('never serves half an object while it is being overwritten', async () => {
    const writer = faultyS3Client(s3.endpoint, { maxAttempts: 1 });
    const reader = faultyS3Client(s3.endpoint, { maxAttempts: 1 });
    const w = createS3Store(writer.client, 'cas');
    const r = createS3Store(reader.client, 'cas');
    const bodies = ['a', 'b', 'c', 'd'].map((ch) => ch.repeat(256 * 1024));
    await w.put('big', bodies[0] as string);
    const reads: string[] = [];
    await Promise.all([
      (async () => {
        for (let i = 0; i < 40; i++) await w.put('big', bodies[i % bodies.length] as string);
      })(),
      (async () => {
        for (let i = 0; i < 40; i++) reads.push(new TextDecoder().decode((await r.get('big'))?.body));
      })(),
    ]);
    for (const read of reads) expect(bodies.includes(read), `a read of ${read.length} chars`).toBe(true);
    writer.destroy();
    reader.destroy();
  });

  it('reads back what a PUT acknowledged, at once, from another client', async () => {
    const writer = faultyS3Client(s3.endpoint, { maxAttempts: 1 });
    const reader = faultyS3Client(s3.endpoint, { maxAttempts: 1 });
    const w = createS3Store(writer.client, 'cas');
    const r = createS3Store(reader.client, 'cas');
    for (let i = 0; i < 60; i++) {
      const body = `${i}:${'x'.repeat(50_000 + i)}`;
      await w.put('fresh', body);
      expect(new TextDecoder().decode((await r.get('fresh'))?.body).length).toBe(body.length);
    }
    writer.destroy();
    reader.destroy();
  });

  it('without it, the same race on bare s3rver loses increments or reads torn documents (why it exists)', async () => {
    const store = createS3Store(s3.client, 'cas');
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, () =>
        updateJson<{ n: number }>(store, 'bare-counter', (cur) => ({ n: (cur?.n ?? 0) + 1 }), 50),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected').length;
    const final = await store.get('bare-counter');
    const n = final ? (JSON.parse(new TextDecoder().decode(final.body) || '{"n":0}') as { n: number }).n : 0;
    expect(failed > 0 || n < 24).toBe(true);
  });
});

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingStore } from '../../shared/store/counting-store.ts';
import type { ObjectStore } from '../../shared/store/object-store.ts';
import { PreconditionFailed } from '../../shared/store/object-store.ts';
import { createS3Client, createS3Store } from '../../shared/store/s3-store.ts';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3Server } from '../support/s3-server.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('S3 adapter against s3rver (real server, real SDK)', () => {
  let s3: S3TestServer;
  let store: ObjectStore;
  let bucketNo = 0;
  const freshStore = async () => {
    const name = `store-${++bucketNo}`;
    await s3.createBuckets([name]);
    return createS3Store(s3.client, name);
  };

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: ['objects'] });
    store = createS3Store(s3.client, 'objects');
  });
  afterAll(() => s3.stop());

  it('round-trips bytes, content type and cache control; keys with spaces, +, % and unicode', async () => {
    const key = 'news/Café + 100% ünïcode 日本.txt';
    const { etag } = await store.put(key, 'héllo', {
      contentType: 'text/plain; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    const got = await store.get(key);
    expect(got && text(got.body)).toBe('héllo');
    expect(got).toMatchObject({
      key,
      etag,
      size: 6,
      contentType: 'text/plain; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    expect(await store.head(key)).toMatchObject({ key, etag, size: 6 });
  });

  it('answers null for a missing key and deletes missing keys quietly', async () => {
    expect(await store.get('missing/key.txt')).toBeNull();
    expect(await store.head('missing/key.txt')).toBeNull();
    await expect(store.delete('missing/key.txt')).resolves.toBeUndefined();
    await store.put('gone.txt', 'x');
    await store.delete('gone.txt');
    expect(await store.head('gone.txt')).toBeNull();
  });

  it('reads at most maxBytes + 1 bytes but reports the true size; an empty object reads as empty', async () => {
    await store.put('big.txt', 'x'.repeat(5000));
    const cut = await store.get('big.txt', { maxBytes: 100 });
    expect(cut?.body.byteLength).toBe(101);
    expect(cut?.size).toBe(5000);
    const whole = await store.get('big.txt', { maxBytes: 10_000 });
    expect(whole?.body.byteLength).toBe(5000);
    await store.put('empty.txt', '');
    const empty = await store.get('empty.txt', { maxBytes: 100 });
    expect(empty).toMatchObject({ size: 0 });
    expect(empty?.body.byteLength).toBe(0);
  });

  it('lists a prefix in key order across pages (more than 1,000 keys), after startAfter', async () => {
    const paged = await freshStore();
    const keys = Array.from({ length: 1010 }, (_, i) => `p/${String(i).padStart(4, '0')}.txt`);
    for (let i = 0; i < keys.length; i += 50)
      await Promise.all(keys.slice(i, i + 50).map((k) => paged.put(k, 'x')));
    await paged.put('q/other.txt', 'x');
    const listed: string[] = [];
    for await (const info of paged.list('p/')) listed.push(info.key);
    expect(listed).toEqual(keys);
    const after: string[] = [];
    for await (const info of paged.list('p/', 'p/1005.txt')) after.push(info.key);
    expect(after).toEqual(['p/1006.txt', 'p/1007.txt', 'p/1008.txt', 'p/1009.txt']);
  });

  it('countingStore counts requests and bytes by kind (one list request per 1,000 keys)', async () => {
    const counted = countingStore(await freshStore());
    await counted.put('a.txt', 'abc');
    await counted.get('a.txt');
    await counted.get('nope.txt');
    await counted.head('a.txt');
    await counted.delete('a.txt');
    for await (const _ of counted.list('')) {
      // drain
    }
    expect(counted.counts).toEqual({
      get: 2,
      head: 1,
      put: 1,
      list: 1,
      delete: 1,
      bytesRead: 3,
      bytesWritten: 3,
    });
    expect(counted.total()).toBe(6);
    counted.reset();
    expect(counted.total()).toBe(0);
  });
});

/**
 * s3rver accepts and ignores If-Match / If-None-Match, so the adapter's side of a lost race (sending the
 * header, mapping S3's 412 and 409 answers to PreconditionFailed) is checked against a bare HTTP server
 * that answers as S3 documents, through the real SDK. The race logic itself is tested on the memory fake.
 */
describe('S3 adapter: conditional writes on the wire', () => {
  let seen: IncomingHttpHeaders[] = [];
  let status = 412;
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/xml');
      const code = status === 412 ? 'PreconditionFailed' : 'ConditionalRequestConflict';
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>no</Message><RequestId>1</RequestId><HostId>h</HostId></Error>`,
      );
    });
  });
  let store: ObjectStore;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createS3Client({
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    // The SDK retries 409s as throttling-like conflicts; one attempt keeps the test to the mapping.
    client.config.maxAttempts = async () => 1;
    store = createS3Store(client, 'state');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends If-Match and turns 412 into PreconditionFailed', async () => {
    seen = [];
    status = 412;
    const error = await store.put('window.json', '{}', { ifMatch: '"abc"' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionFailed);
    expect(error).toMatchObject({ key: 'window.json', status: 412 });
    expect(seen[0]?.['if-match']).toBe('"abc"');
  });

  it('sends If-None-Match: * and turns 409 into PreconditionFailed', async () => {
    seen = [];
    status = 409;
    const error = await store.put('months/2025-07.json', '{}', { ifNoneMatch: '*' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionFailed);
    expect(error).toMatchObject({ status: 409 });
    expect(seen[0]?.['if-none-match']).toBe('*');
  });
});

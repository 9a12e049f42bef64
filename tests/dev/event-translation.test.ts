import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedS3, embeddedS3Client, startEmbeddedS3 } from '../../shared/dev/embedded-s3.ts';
import { formEncodeS3Key } from '../../shared/dev/event-key-encoding.ts';
import { toEventBridgeEvent } from '../../shared/dev/eventbridge-event.ts';
import type { ObjectEvent } from '../../shared/dev/object-event.ts';
import { toS3Notification } from '../../shared/dev/s3-notification.ts';
import { createSequencer } from '../../shared/dev/sequencer.ts';
import { newQueuedMessage, toSqsRecord } from '../../shared/dev/sqs-record.ts';
import { decodeFormEncodedKey, decodeMessageBody } from '../../shared/events/decode.ts';
import { compareSequencers } from '../../shared/events/object-change.ts';

const created = (key: string): ObjectEvent => ({
  bucket: 'inbox',
  key,
  kind: 'created',
  reason: 'PutObject',
  size: 5,
  etag: '5d41402abc4b2a76b9719d911017c592',
  time: new Date('2026-03-01T10:20:30.456Z'),
});

describe('keys are form-encoded the way S3 writes them into notification records', () => {
  it.each([
    ['red flower.jpg', 'red+flower.jpg'],
    ['this im + age blah.txt', 'this+im+%2B+age+blah.txt'],
    ['100% sure.txt', '100%25+sure.txt'],
    ['Café Opening.TXT', 'Caf%C3%A9+Opening.TXT'],
    ['folder/greeting file (2).csv', 'folder%2Fgreeting+file+%282%29.csv'],
    ["a*b-c_d.e~f!g'h.md", 'a*b-c_d.e%7Ef%21g%27h.md'],
    ['日本語.txt', '%E6%97%A5%E6%9C%AC%E8%AA%9E.txt'],
  ])('%s → %s', (raw, encoded) => {
    expect(formEncodeS3Key(raw)).toBe(encoded);
  });

  it('decodes back to the raw key with the handler’s notification decoding, for any key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), (key) => {
        const encoded = formEncodeS3Key(key);
        expect(encoded).not.toMatch(/[ /()!'~]/);
        expect(decodeFormEncodedKey(encoded)).toBe(key);
      }),
    );
  });
});

describe('EventBridge events', () => {
  it('an upload becomes "Object Created" with the raw key, size, ETag and sequencer', () => {
    const event = toEventBridgeEvent(created('my article+1.txt'), {
      sequencer: '0064D3901D00059242',
      id: '17793124-05d4-b198-2fde-7ededc63b103',
      requestId: 'N4N7GDK58NMKJ12R',
    });
    expect(event).toEqual({
      version: '0',
      id: '17793124-05d4-b198-2fde-7ededc63b103',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: '2026-03-01T10:20:30Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::inbox'],
      detail: {
        version: '0',
        bucket: { name: 'inbox' },
        object: {
          key: 'my article+1.txt',
          size: 5,
          etag: '5d41402abc4b2a76b9719d911017c592',
          sequencer: '0064D3901D00059242',
        },
        'request-id': 'N4N7GDK58NMKJ12R',
        requester: '000000000000',
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    });
  });

  it('a deletion becomes "Object Deleted" without size or ETag', () => {
    const deleted: ObjectEvent = {
      bucket: 'inbox',
      key: 'gone.txt',
      kind: 'deleted',
      reason: 'DeleteObject',
      time: new Date(),
    };
    const event = toEventBridgeEvent(deleted, { sequencer: '0064D3901D00059243' });
    expect(event['detail-type']).toBe('Object Deleted');
    expect(event.detail.object).toEqual({ key: 'gone.txt', sequencer: '0064D3901D00059243' });
    expect(event.detail['deletion-type']).toBe('Permanently Deleted');
    expect(event.detail.reason).toBe('DeleteObject');
  });

  it('arrives in an SQS FIFO record whose body the handler’s decoder reads as the right change', () => {
    const body = JSON.stringify(
      toEventBridgeEvent(created('Dossiers/Café + 100% Opening.TXT'), { sequencer: '00AB' }),
    );
    const record = toSqsRecord(newQueuedMessage(body, 'inbox', 7n, 1_700_000_000_000));
    expect(record.eventSource).toBe('aws:sqs');
    expect(record.eventSourceARN).toMatch(/^arn:aws:sqs:us-east-1:000000000000:.+\.fifo$/);
    expect(record.attributes).toMatchObject({
      MessageGroupId: 'inbox',
      SequenceNumber: '00000000000000000007',
    });
    expect(record.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    const decoded = decodeMessageBody(record.body, { inboxBucket: 'inbox' });
    expect(decoded.error).toBeUndefined();
    expect(decoded.changes).toEqual([
      expect.objectContaining({ key: 'Dossiers/Café + 100% Opening.TXT', kind: 'upsert', sequencer: '00AB' }),
    ]);
  });
});

describe('S3 notification records', () => {
  it('carry the form-encoded key, the event name and the sequencer', () => {
    const notification = toS3Notification(created('my article+1.txt'), { sequencer: '0055AED6DCD90281E5' });
    const [record] = notification.Records;
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      eventTime: '2026-03-01T10:20:30.456Z',
      s3: {
        bucket: { name: 'inbox', arn: 'arn:aws:s3:::inbox' },
        object: {
          key: 'my+article%2B1.txt',
          size: 5,
          eTag: '5d41402abc4b2a76b9719d911017c592',
          sequencer: '0055AED6DCD90281E5',
        },
      },
    });
  });

  it('a deletion is ObjectRemoved:Delete without size or ETag, and both decode to the raw key', () => {
    const key = 'Dossiers/Café + 100% Opening.TXT';
    const removed: ObjectEvent = {
      bucket: 'inbox',
      key,
      kind: 'deleted',
      reason: 'DeleteObject',
      time: new Date(),
    };
    const notification = toS3Notification(removed, { sequencer: '01' });
    expect(notification.Records[0]?.eventName).toBe('ObjectRemoved:Delete');
    expect(notification.Records[0]?.s3.object).toEqual({ key: formEncodeS3Key(key), sequencer: '01' });
    expect(decodeMessageBody(JSON.stringify(notification), { inboxBucket: 'inbox' }).changes).toEqual([
      expect.objectContaining({ key, kind: 'remove', sequencer: '01' }),
    ]);
    const upload = toS3Notification(created(key), { sequencer: '02' });
    expect(decodeMessageBody(JSON.stringify(upload), { inboxBucket: 'inbox' }).changes).toEqual([
      expect.objectContaining({ key, kind: 'upsert' }),
    ]);
  });
});

describe('sequencer', () => {
  it('increases strictly, also within one millisecond and when the clock steps back', () => {
    const times = [1000, 1000, 1000, 999, 1001];
    const next = createSequencer(() => times.shift() ?? 2000);
    const values = Array.from({ length: 5 }, next);
    for (let i = 1; i < values.length; i += 1) {
      expect(compareSequencers(values[i - 1] as string, values[i] as string)).toBeLessThan(0);
    }
    expect(values[0]).toMatch(/^[0-9A-F]{18}$/);
  });

  it('a later process (restart with the same data) continues above the earlier one', () => {
    const before = createSequencer(() => 1_700_000_000_000)();
    const after = createSequencer(() => 1_700_000_000_001)();
    expect(compareSequencers(before, after)).toBeLessThan(0);
  });
});

describe('s3rver object events (real server)', () => {
  let dir: string;
  let s3: EmbeddedS3;
  const seen: ObjectEvent[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dropfeed-events-'));
    s3 = await startEmbeddedS3({
      port: 0,
      directory: dir,
      buckets: ['inbox', 'site'],
      onObjectEvent: (e) => seen.push(e),
    });
  });
  afterAll(async () => {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports raw keys for put, copy, delete and multi-object delete', async () => {
    const client = embeddedS3Client(s3.endpoint);
    await client.send(new PutObjectCommand({ Bucket: 'inbox', Key: 'a b+c é.txt', Body: 'hello' }));
    await client.send(
      new CopyObjectCommand({ Bucket: 'inbox', Key: 'copy.txt', CopySource: 'inbox/a b+c é.txt' }),
    );
    await client.send(new DeleteObjectCommand({ Bucket: 'inbox', Key: 'a b+c é.txt' }));
    await client.send(
      new DeleteObjectsCommand({ Bucket: 'inbox', Delete: { Objects: [{ Key: 'copy.txt' }] } }),
    );
    await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'index.html', Body: '<p>' }));
    client.destroy();

    expect(seen.map((e) => [e.bucket, e.kind, e.reason, e.key])).toEqual([
      ['inbox', 'created', 'PutObject', 'a b+c é.txt'],
      ['inbox', 'created', 'CopyObject', 'copy.txt'],
      ['inbox', 'deleted', 'DeleteObject', 'a b+c é.txt'],
      ['inbox', 'deleted', 'DeleteObject', 'copy.txt'],
      ['site', 'created', 'PutObject', 'index.html'],
    ]);
    expect(seen[0]).toMatchObject({ size: 5, etag: '5d41402abc4b2a76b9719d911017c592' });
  });
});

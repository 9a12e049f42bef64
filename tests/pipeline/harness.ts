/**
 * A pipeline over three fresh buckets of a real s3rver, driven the way AWS drives it: every inbox write is
 * captured from s3rver's own notifications, turned into the AWS shape (EventBridge by default, or a
 * form-encoded S3 notification record), wrapped in an SQS FIFO record and decoded by the handler's code.
 */
import { decodeSqsEvent } from '../../shared/events/decode.ts';
import type { SqsBatchResponse } from '../../shared/events/sqs-event.ts';
import { silentLogger } from '../../shared/log.ts';
import { createPipeline, type Pipeline } from '../../shared/pipeline/pipeline.ts';
import { processBatch } from '../../shared/pipeline/process-batch.ts';
import type { SiteConfig } from '../../shared/render/model.ts';
import { type CountingStore, countingStore } from '../../shared/store/counting-store.ts';
import type { ObjectStore } from '../../shared/store/object-store.ts';
import { createS3Store } from '../../shared/store/s3-store.ts';
import {
  eventBridgeObjectCreated,
  eventBridgeObjectDeleted,
  s3Notification,
  s3NotificationRecord,
} from '../factories/s3-events.ts';
import { sqsEvent, sqsRecord } from '../factories/sqs.ts';
import type { S3rverEvent, S3TestServer } from '../support/s3-server.ts';

export const SITE: SiteConfig = {
  baseUrl: 'https://news.example.org',
  title: 'Example News',
  description: 'Everything the newsroom drops in the inbox.',
  language: 'en',
  maxItems: 5,
};

/** Report times come from this clock; everything published comes from the objects. */
export const FIXED_NOW = () => new Date('2025-08-01T12:00:00Z');

export type EventShape = 'eventbridge' | 'notification';
export type SqsRecordFixture = ReturnType<typeof sqsRecord>;

export interface SiteObject {
  readonly body: string;
  readonly contentType: string | undefined;
  readonly cacheControl: string | undefined;
}

let harnessNo = 0;

export interface Harness {
  readonly buckets: { inbox: string; site: string; state: string };
  readonly inbox: ObjectStore;
  readonly site: CountingStore;
  readonly state: CountingStore;
  readonly inboxCounted: CountingStore;
  readonly pipeline: Pipeline;
  upload(key: string, body: string | Uint8Array): Promise<void>;
  remove(key: string): Promise<void>;
  /** SQS records for the inbox events captured since the last call, in the order S3 emitted them. */
  takeEvents(shape?: EventShape): SqsRecordFixture[];
  /** Runs records through the handler's path (decode → batch → pipeline), as one Lambda invocation. */
  deliver(records: readonly SqsRecordFixture[]): Promise<SqsBatchResponse>;
  /** Every object of the site bucket with its metadata. */
  siteSnapshot(): Promise<Map<string, SiteObject>>;
  /** Another pipeline over the same inbox, with its own empty site and state buckets. */
  sibling(): Promise<Harness>;
  resetCounts(): void;
  stopCapture(): void;
}

export async function createHarness(
  s3: S3TestServer,
  options: { site?: SiteConfig; inboxBucket?: string; shareEvents?: S3rverEvent[] } = {},
): Promise<Harness> {
  const n = ++harnessNo;
  const buckets = { inbox: options.inboxBucket ?? `inbox-${n}`, site: `site-${n}`, state: `state-${n}` };
  await s3.createBuckets(
    options.inboxBucket ? [buckets.site, buckets.state] : [buckets.inbox, buckets.site, buckets.state],
  );
  const inboxCounted = countingStore(createS3Store(s3.client, buckets.inbox));
  const site = countingStore(createS3Store(s3.client, buckets.site));
  const state = countingStore(createS3Store(s3.client, buckets.state));
  const siteConfig = options.site ?? SITE;
  const pipeline = createPipeline({
    inbox: inboxCounted,
    site,
    state,
    siteConfig,
    now: FIXED_NOW,
    log: silentLogger,
  });

  const captured: {
    name: string;
    key: string;
    size?: number;
    eTag?: string;
    time: string;
    sequencer: string;
  }[] = [];
  let sequence = 0;
  const stopCapture = s3.onEvent((event) => {
    for (const record of event.Records) {
      if (record.s3.bucket.name !== buckets.inbox) continue;
      // s3rver's sequencer is the millisecond clock, equal for two writes in one millisecond; AWS's grows
      // per key, so number the events in the order s3rver emitted them.
      sequence++;
      captured.push({
        name: record.eventName,
        key: record.s3.object.key,
        ...(record.s3.object.size !== undefined ? { size: record.s3.object.size } : {}),
        ...(record.s3.object.eTag !== undefined ? { eTag: record.s3.object.eTag } : {}),
        time: record.eventTime,
        sequencer: `0064D3${sequence.toString(16).toUpperCase().padStart(12, '0')}`,
      });
    }
  });

  const harness: Harness = {
    buckets,
    inbox: createS3Store(s3.client, buckets.inbox),
    site,
    state,
    inboxCounted,
    pipeline,
    async upload(key, body) {
      await harness.inbox.put(key, body, { contentType: 'text/plain; charset=utf-8' });
    },
    async remove(key) {
      await harness.inbox.delete(key);
    },
    takeEvents(shape = 'eventbridge') {
      const events = captured.splice(0, captured.length);
      return events.map((e) => {
        const created = e.name.startsWith('ObjectCreated');
        const fields = { bucket: buckets.inbox, key: e.key, sequencer: e.sequencer, time: e.time };
        if (shape === 'notification') {
          return sqsRecord(
            s3Notification(
              s3NotificationRecord({
                ...fields,
                eventName: created ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
                ...(e.size !== undefined ? { size: e.size } : {}),
                ...(e.eTag !== undefined ? { etag: e.eTag } : {}),
              }),
            ),
          );
        }
        return sqsRecord(
          created
            ? eventBridgeObjectCreated({
                ...fields,
                ...(e.size !== undefined ? { size: e.size } : {}),
                ...(e.eTag ? { etag: e.eTag } : {}),
              })
            : eventBridgeObjectDeleted(fields),
        );
      });
    },
    deliver(records) {
      return processBatch(
        pipeline,
        decodeSqsEvent(sqsEvent(...records), { inboxBucket: buckets.inbox }),
        silentLogger,
      );
    },
    async siteSnapshot() {
      const out = new Map<string, SiteObject>();
      const store = createS3Store(s3.client, buckets.site);
      for await (const info of store.list('')) {
        const object = await store.get(info.key);
        if (object) {
          out.set(info.key, {
            body: Buffer.from(object.body).toString('base64'),
            contentType: object.contentType,
            cacheControl: object.cacheControl,
          });
        }
      }
      return out;
    },
    async sibling() {
      return createHarness(s3, { site: siteConfig, inboxBucket: buckets.inbox });
    },
    resetCounts() {
      site.reset();
      state.reset();
      inboxCounted.reset();
    },
    stopCapture,
  };
  // A sibling shares the inbox but must not capture its events a second time.
  if (options.inboxBucket) stopCapture();
  return harness;
}

/** Delivers records one message per invocation, like a FIFO queue with batch size 1. */
export async function deliverOneByOne(h: Harness, records: readonly SqsRecordFixture[]): Promise<void> {
  for (const record of records) {
    const response = await h.deliver([record]);
    if (response.batchItemFailures.length > 0) throw new Error(`message failed: ${record.body}`);
  }
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export const decodeText = (base64: string | undefined) =>
  Buffer.from(base64 ?? '', 'base64').toString('utf8');

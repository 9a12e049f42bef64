/**
 * The reliability test bench: one embedded S3 server, one inbox written by an "editor", and one or more
 * lanes, each a complete deployment of the pipeline over its own site and state buckets, fed by its own
 * simulated SQS queue with the same messages, and talking to S3 through its own client (the one that gets
 * the faults). A clean lane next to a faulted one is the oracle: both read the same inbox objects (same
 * bytes, same LastModified), so a correct pipeline leaves byte-identical buckets behind.
 *
 * The lane's handler is the Lambda handler's own body (`decodeSqsEvent` → `processBatch` over a pipeline);
 * `functions/ingest.ts` builds its pipeline from environment variables at module load, so a test cannot
 * hand it a faulted client. A crash (see faults.ts) ends the "process": the lane starts a new pipeline
 * instance on a revived client, as Lambda would start a new execution environment.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { decodeSqsEvent } from '../../shared/events/decode.ts';
import type { SqsBatchResponse, SqsEvent } from '../../shared/events/sqs-event.ts';
import { silentLogger } from '../../shared/log.ts';
import type { Pipeline } from '../../shared/pipeline/pipeline.ts';
import { createPipeline } from '../../shared/pipeline/pipeline.ts';
import { processBatch } from '../../shared/pipeline/process-batch.ts';
import type { SiteConfig } from '../../shared/render/model.ts';
import type { ObjectStore } from '../../shared/store/object-store.ts';
import { createS3Store } from '../../shared/store/s3-store.ts';
import { eventBridgeObjectCreated, eventBridgeObjectDeleted } from '../factories/s3-events.ts';
import type { S3TestServer } from '../support/s3-server.ts';
import type { FaultPlan } from './faults.ts';
import type { FaultyClient } from './faulty-client.ts';
import { faultyS3Client } from './faulty-client.ts';
import type { FeedPath } from './feed-integrity.ts';
import { FEED_PATHS, parseFeedStrictly } from './feed-integrity.ts';
import type { Prng } from './prng.ts';
import type { SimulatedQueue } from './sqs-sim.ts';
import { createQueue } from './sqs-sim.ts';

export const RELIABILITY_SITE: SiteConfig = {
  baseUrl: 'https://news.example.org',
  title: 'Reliability',
  description: 'Articles published under fault injection',
  language: 'en',
  // Small, so deletes make the window refill from the month partitions: that path runs under faults too.
  maxItems: 8,
  imageUrl: null,
  author: null,
};

/** Report times come from this clock; everything published comes from the inbox objects. */
const FIXED_NOW = () => new Date('2025-08-01T12:00:00Z');

export interface LaneOptions {
  readonly name: string;
  /** SDK attempts per request: 1 lets every injected fault reach the pipeline. */
  readonly maxAttempts?: number;
  readonly plan?: FaultPlan | null;
  readonly fifo?: boolean;
  readonly batchSize?: number;
}

export interface Lane {
  readonly name: string;
  readonly buckets: { readonly site: string; readonly state: string };
  readonly client: FaultyClient;
  readonly queue: SimulatedQueue;
  readonly crashes: number;
  pipeline(): Pipeline;
  /** A second, independent pipeline instance over the same buckets (another Lambda environment). */
  newInstance(client?: FaultyClient): Pipeline;
  invoke(event: SqsEvent): Promise<SqsBatchResponse>;
  drain(options?: { consumers?: number; afterInvocation?: () => Promise<void> }): Promise<void>;
}

export interface Snapshot {
  /** key → `content-type | cache-control | base64 body`. */
  readonly objects: ReadonlyMap<string, string>;
}

export interface World {
  readonly inbox: string;
  readonly editor: ObjectStore;
  readonly lanes: readonly Lane[];
  readonly sampler: FeedSampler;
  lane(name: string): Lane;
  put(key: string, body: string | Uint8Array): Promise<void>;
  remove(key: string): Promise<void>;
  /** Sends the inbox events captured since the last call to every lane's queue, as EventBridge messages. */
  announce(options?: { duplicateRate?: number; prng?: Prng }): number;
  /** Every lane drains its queue (lanes run side by side). */
  drainAll(options?: { sampleBetween?: boolean }): Promise<void>;
  snapshot(bucket: string): Promise<Snapshot>;
  close(): void;
}

let worldNo = 0;

export async function createWorld(
  s3: S3TestServer,
  lanes: readonly LaneOptions[],
  site = RELIABILITY_SITE,
): Promise<World> {
  const n = ++worldNo;
  const inbox = `rel-inbox-${n}`;
  const laneBuckets = lanes.map((l) => ({
    site: `rel-${n}-${l.name}-site`,
    state: `rel-${n}-${l.name}-state`,
  }));
  await s3.createBuckets([inbox, ...laneBuckets.flatMap((b) => [b.site, b.state])]);

  // The editor and the sampler read and write through the same S3 semantics as the pipelines, fault-free.
  const reader = faultyS3Client(s3.endpoint, { maxAttempts: 3 });
  const editor = createS3Store(reader.client, inbox);
  const sampler = createFeedSampler((bucket) => createS3Store(reader.client, bucket));

  let sequence = 0;
  const captured: string[] = [];
  const stopCapture = s3.onEvent((event) => {
    for (const record of event.Records) {
      if (record.s3.bucket.name !== inbox) continue;
      // AWS's sequencer grows per key; numbering the events in emission order gives the same ordering.
      sequence++;
      const fields = {
        bucket: inbox,
        key: record.s3.object.key,
        sequencer: `0065A0${sequence.toString(16).toUpperCase().padStart(12, '0')}`,
        time: record.eventTime,
      };
      const created = record.eventName.startsWith('ObjectCreated');
      const { size, eTag } = record.s3.object;
      captured.push(
        JSON.stringify(
          created
            ? eventBridgeObjectCreated({
                ...fields,
                ...(size !== undefined ? { size } : {}),
                ...(eTag ? { etag: eTag.replace(/"/g, '') } : {}),
              })
            : eventBridgeObjectDeleted(fields),
        ),
      );
    }
  });

  const builtLanes = lanes.map((options, i) =>
    createLane(s3, inbox, laneBuckets[i] as { site: string; state: string }, options, site),
  );

  const world: World = {
    inbox,
    editor,
    lanes: builtLanes,
    sampler,
    lane(name) {
      const found = builtLanes.find((l) => l.name === name);
      if (!found) throw new Error(`no lane ${name}`);
      return found;
    },
    async put(key, body) {
      await editor.put(key, body, { contentType: 'text/plain; charset=utf-8' });
    },
    async remove(key) {
      await editor.delete(key);
    },
    announce({ duplicateRate = 0, prng } = {}) {
      const bodies = captured.splice(0, captured.length);
      const messages = [...bodies];
      if (prng && duplicateRate > 0)
        for (const body of bodies) if (prng.next() < duplicateRate) messages.push(body);
      const ordered = prng ? prng.shuffle(messages) : messages;
      for (const lane of builtLanes) for (const body of ordered) lane.queue.send(body);
      return ordered.length;
    },
    async drainAll({ sampleBetween = true } = {}) {
      await Promise.all(
        builtLanes.map((lane) =>
          lane.drain(sampleBetween ? { afterInvocation: () => sampler.sample(lane.buckets.site) } : {}),
        ),
      );
    },
    snapshot: (bucket) => snapshotBucket(s3, reader, bucket),
    close() {
      stopCapture();
      reader.destroy();
      for (const lane of builtLanes) lane.client.destroy();
    },
  };
  return world;
}

function createLane(
  s3: S3TestServer,
  inbox: string,
  buckets: { site: string; state: string },
  options: LaneOptions,
  site: SiteConfig,
): Lane {
  const client = faultyS3Client(s3.endpoint, {
    maxAttempts: options.maxAttempts ?? 3,
    plan: options.plan ?? null,
  });
  const queue = createQueue({
    fifo: options.fifo ?? true,
    batchSize: options.batchSize ?? 10,
    name: options.name,
  });
  const build = (c: FaultyClient) =>
    createPipeline({
      inbox: createS3Store(c.client, inbox),
      site: createS3Store(c.client, buckets.site),
      state: createS3Store(c.client, buckets.state),
      siteConfig: site,
      now: FIXED_NOW,
      log: silentLogger,
    });
  let pipeline = build(client);
  let crashes = 0;
  const lane: Lane = {
    name: options.name,
    buckets,
    client,
    queue,
    get crashes() {
      return crashes;
    },
    pipeline: () => pipeline,
    newInstance: (c = client) => build(c),
    async invoke(event) {
      try {
        return await processBatch(pipeline, decodeSqsEvent(event, { inboxBucket: inbox }), silentLogger);
      } finally {
        if (client.faults.crashed) {
          // The process died: a new execution environment starts clean. A crash plan is one-shot.
          crashes++;
          client.faults.setPlan(null);
          client.faults.revive();
          pipeline = build(client);
        }
      }
    },
    drain: (drainOptions) => queue.drain((event) => lane.invoke(event), drainOptions),
  };
  return lane;
}

export interface FeedSampler {
  readonly samples: number;
  /** Every malformed sample, with the reason. */
  readonly failures: readonly string[];
  /** Reads the three feeds of a site bucket once and parses each strictly (a feed not yet written is skipped). */
  sample(siteBucket: string): Promise<void>;
  /** Samples continuously until the returned function is called. */
  background(siteBucket: string): () => Promise<void>;
}

function createFeedSampler(storeFor: (bucket: string) => ObjectStore): FeedSampler {
  let samples = 0;
  const failures: string[] = [];
  const sample = async (bucket: string) => {
    const store = storeFor(bucket);
    await Promise.all(
      FEED_PATHS.map(async (path: FeedPath) => {
        const object = await store.get(path);
        if (!object) return;
        samples++;
        try {
          parseFeedStrictly(path, new TextDecoder('utf-8', { fatal: true }).decode(object.body));
        } catch (error) {
          failures.push(`${bucket}/${path}: ${(error as Error).message.split('\n')[0]}`);
        }
      }),
    );
  };
  return {
    get samples() {
      return samples;
    },
    failures,
    sample,
    background(bucket) {
      let running = true;
      const loop = (async () => {
        while (running) {
          await sample(bucket);
          // Every 20 ms: often enough to land inside most invocations, rarely enough not to swamp the server.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      return async () => {
        running = false;
        await loop;
      };
    },
  };
}

async function snapshotBucket(s3: S3TestServer, reader: FaultyClient, bucket: string): Promise<Snapshot> {
  const store = createS3Store(reader.client, bucket);
  const objects = new Map<string, string>();
  let token: string | undefined;
  const keys: string[] = [];
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  for (const key of keys.sort()) {
    const object = await store.get(key);
    if (object) {
      objects.set(
        key,
        `${object.contentType ?? '-'} | ${object.cacheControl ?? '-'} | ${Buffer.from(object.body).toString('base64')}`,
      );
    }
  }
  return { objects };
}

/**
 * Keys that differ between two snapshots, with a short reason each (empty when identical). A sibling
 * document listing no article and no image says the same as no document at all (a key that came and went
 * leaves an empty one behind), so the two compare equal.
 */
export function diffSnapshots(a: Snapshot, b: Snapshot, labels: [string, string] = ['a', 'b']): string[] {
  const out: string[] = [];
  for (const key of new Set([...a.objects.keys(), ...b.objects.keys()])) {
    const left = meaningful(a, key);
    const right = meaningful(b, key);
    if (left === undefined && right === undefined) continue;
    if (left === undefined) out.push(`${key}: only in ${labels[1]}`);
    else if (right === undefined) out.push(`${key}: only in ${labels[0]}`);
    else if (left !== right) out.push(`${key}: differs ${firstDifference(a, b, key)}`);
  }
  return out.sort();
}

/** Where two versions of an object first differ, as a short excerpt of each side. */
function firstDifference(a: Snapshot, b: Snapshot, key: string): string {
  const left = `${(a.objects.get(key) ?? '').split(' | ').slice(0, 2).join(' | ')} ${snapshotText(a, key) ?? ''}`;
  const right = `${(b.objects.get(key) ?? '').split(' | ').slice(0, 2).join(' | ')} ${snapshotText(b, key) ?? ''}`;
  let i = 0;
  while (i < left.length && left[i] === right[i]) i++;
  const from = Math.max(0, i - 30);
  return `at ${i}: ${JSON.stringify(left.slice(from, i + 50))} vs ${JSON.stringify(right.slice(from, i + 50))}`;
}

function meaningful(snapshot: Snapshot, key: string): string | undefined {
  const entry = snapshot.objects.get(key);
  if (entry === undefined) return entry;
  if (key.startsWith('siblings/')) {
    const doc = JSON.parse(snapshotText(snapshot, key) ?? '{}') as {
      articles?: unknown[];
      images?: unknown[];
    };
    return (doc.articles?.length ?? 0) + (doc.images?.length ?? 0) === 0 ? undefined : entry;
  }
  if (/^articles\/[0-9a-f]{64}\.json$/.test(key)) {
    // `firstSeen` is the LastModified of the first version the pipeline managed to read: after a failed
    // delivery that can be a later upload than a fault-free run saw. It decides nothing for a dated
    // article (its published time comes from its date), so for those it is left out of the comparison.
    const record = JSON.parse(snapshotText(snapshot, key) ?? '{}') as {
      firstSeen?: string;
      entry?: { article?: { date?: string | null } } | null;
    };
    if (record.entry?.article?.date)
      return `${entry.split(' | ').slice(0, 2).join(' | ')} | ${JSON.stringify({ ...record, firstSeen: 'dated' })}`;
  }
  return entry;
}

/** Decodes one snapshot entry's body. */
export function snapshotText(snapshot: Snapshot, key: string): string | null {
  const entry = snapshot.objects.get(key);
  if (entry === undefined) return null;
  return Buffer.from(entry.slice(entry.lastIndexOf(' | ') + 3), 'base64').toString('utf8');
}

/**
 * A flood, shared by the test (CI size) and `npm run soak` (1,000 uploads): uploads arrive in bursts while
 * two pipeline instances (two Lambda environments, each with its own S3 client) take batches from one
 * standard queue at the same time; every event is delivered at least once, some twice or three times, in
 * shuffled order; some uploads are edits of earlier ones; and a full `rebuild()` runs on a third instance
 * while uploads continue. Afterwards every article must be published exactly once, and a final rebuild must
 * find nothing to change. Requests are counted per invocation to show the per-upload cost stays flat.
 */
import { decodeSqsEvent } from '../../shared/events/decode.ts';
import type { SqsEvent } from '../../shared/events/sqs-event.ts';
import { silentLogger } from '../../shared/log.ts';
import type { Pipeline, RebuildSummary } from '../../shared/pipeline/pipeline.ts';
import { processBatch } from '../../shared/pipeline/process-batch.ts';
import type { S3TestServer } from '../support/s3-server.ts';
import type { FaultyClient } from './faulty-client.ts';
import { faultyS3Client } from './faulty-client.ts';
import { createPrng } from './prng.ts';
import { publishedProblems } from './published.ts';
import { articleBody } from './workload.ts';
import { createWorld, diffSnapshots } from './world.ts';

export interface FloodOptions {
  readonly uploads: number;
  readonly seed: number;
  readonly burst?: number;
  /** Share of events delivered more than once. */
  readonly duplicateRate?: number;
  readonly editRate?: number;
}

export interface FloodResult {
  readonly uploads: number;
  readonly edits: number;
  readonly messages: number;
  readonly invocations: number;
  readonly articles: number;
  readonly problems: readonly string[];
  /** Each concurrent rebuild's summary, or the error it gave up with. */
  readonly rebuildsDuringFlood: readonly (RebuildSummary | { readonly error: string })[];
  readonly finalRebuild: RebuildSummary;
  readonly changedByFinalRebuild: readonly string[];
  /** Pipeline requests (both consumers) per upload event, overall and for the first and last fifth of the invocations. */
  readonly requestsPerUpload: number;
  readonly requestsPerUploadEarly: number;
  readonly requestsPerUploadLate: number;
  readonly maxRequestsPerInvocation: number;
  readonly ms: number;
}

export async function runFlood(s3: S3TestServer, options: FloodOptions): Promise<FloodResult> {
  const started = performance.now();
  const prng = createPrng(options.seed);
  const world = await createWorld(s3, [{ name: 'flood', fifo: false, maxAttempts: 3 }]);
  const lane = world.lane('flood');
  const clients: FaultyClient[] = [0, 1, 2].map(() => faultyS3Client(s3.endpoint, { maxAttempts: 3 }));
  const [consumerA, consumerB, rebuilder] = clients.map((c) => lane.newInstance(c)) as [
    Pipeline,
    Pipeline,
    Pipeline,
  ];
  const perInvocation: { changes: number; requests: number }[] = [];

  const invokeWith = (pipeline: Pipeline, client: FaultyClient) => async (event: SqsEvent) => {
    const before = client.faults.requests;
    const response = await processBatch(
      pipeline,
      decodeSqsEvent(event, { inboxBucket: world.inbox }),
      silentLogger,
    );
    perInvocation.push({ changes: event.Records.length, requests: client.faults.requests - before });
    return response;
  };

  const live = new Set<string>();
  let edits = 0;
  let uploading = true;
  const rebuilds: Promise<RebuildSummary | { error: string }>[] = [];
  const burst = options.burst ?? 25;
  const upload = async () => {
    for (let i = 0; i < options.uploads; i += burst) {
      const keys: string[] = [];
      for (let j = i; j < Math.min(i + burst, options.uploads); j++) {
        const editing = j > burst && prng.next() < (options.editRate ?? 0.1);
        keys.push(
          editing
            ? prng.pick([...live])
            : `flood-${j.toString().padStart(5, '0')}${j % 4 === 0 ? '.md' : '.txt'}`,
        );
      }
      await Promise.all(
        keys.map(async (key) => {
          const version = live.has(key) ? 2 : 1;
          if (version === 2) edits++;
          live.add(key);
          await world.put(key, articleBody(key, version, Number.parseInt(key.slice(6, 11), 10) % 150));
        }),
      );
      world.announce({ duplicateRate: options.duplicateRate ?? 0.3, prng });
      // A full rebuild on another instance, twice during the flood, racing the incremental updates.
      if (i === burst * 2 || i === Math.floor(options.uploads / 2 / burst) * burst) {
        rebuilds.push(
          rebuilder.rebuild().catch((error: Error) => ({ error: `${error.name}: ${error.message}` })),
        );
      }
      // Editors keep uploading while the consumers work: the next burst comes when this one is mostly taken.
      while (lane.queue.pending() > burst) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    uploading = false;
  };
  const consume = async (pipeline: Pipeline, client: FaultyClient) => {
    const invoke = invokeWith(pipeline, client);
    while (uploading || lane.queue.pending() > 0) {
      if (!(await lane.queue.deliverOnce(invoke))) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  await Promise.all([
    upload(),
    consume(consumerA, clients[0] as FaultyClient),
    consume(consumerB, clients[1] as FaultyClient),
  ]);
  const rebuildsDuringFlood = await Promise.all(rebuilds);

  const [site, state] = await Promise.all([
    world.snapshot(lane.buckets.site),
    world.snapshot(lane.buckets.state),
  ]);
  const problems = publishedProblems(site, state, live);
  // The incremental result must be what a rebuild derives from the inbox alone.
  const finalRebuild = await lane.newInstance().rebuild();
  const [siteAfter, stateAfter] = await Promise.all([
    world.snapshot(lane.buckets.site),
    world.snapshot(lane.buckets.state),
  ]);
  const changedByFinalRebuild = [
    ...diffSnapshots(site, siteAfter, ['before', 'after']),
    ...diffSnapshots(state, stateAfter, ['before', 'after']),
  ];

  const fifth = Math.max(1, Math.floor(perInvocation.length / 5));
  const rate = (list: { changes: number; requests: number }[]) =>
    list.reduce((n, i) => n + i.requests, 0) /
    Math.max(
      1,
      list.reduce((n, i) => n + i.changes, 0),
    );
  const result: FloodResult = {
    uploads: options.uploads,
    edits,
    messages: lane.queue.stats.sent,
    invocations: lane.queue.stats.invocations,
    articles: live.size,
    problems,
    rebuildsDuringFlood,
    finalRebuild,
    changedByFinalRebuild,
    requestsPerUpload: rate(perInvocation),
    requestsPerUploadEarly: rate(perInvocation.slice(0, fifth)),
    requestsPerUploadLate: rate(perInvocation.slice(-fifth)),
    maxRequestsPerInvocation: Math.max(...perInvocation.map((i) => i.requests)),
    ms: performance.now() - started,
  };
  for (const c of clients) c.destroy();
  world.close();
  return result;
}

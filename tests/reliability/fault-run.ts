/**
 * One fault run, shared by the test (CI sizes) and `npm run soak` (full sizes): a seeded workload of
 * uploads, edits and deletes goes through a faulted lane and a clean lane side by side, batch by batch,
 * with duplicated and shuffled event deliveries; the faulted lane's feeds are sampled between every
 * invocation and continuously in the background; dead letters are redriven until none remain. The result
 * says everything the assertions (or the soak report) need.
 */
import type { S3TestServer } from '../support/s3-server.ts';
import { randomFaults } from './faults.ts';
import { createPrng } from './prng.ts';
import { publishedProblems } from './published.ts';
import { generateWorkload } from './workload.ts';
import { createWorld, diffSnapshots } from './world.ts';

export interface FaultRunOptions {
  readonly seed: number;
  readonly operations: number;
  readonly rate: number;
  /** 1: faults reach the pipeline; 3: the SDK retries below it. */
  readonly maxAttempts: number;
  readonly batchSize?: number;
  readonly duplicateRate?: number;
  /** Redrive rounds before giving up on the dead-letter queue. */
  readonly maxRedrives?: number;
}

export interface FaultRunResult {
  readonly operations: number;
  readonly messages: number;
  readonly requests: number;
  readonly faultsInjected: number;
  readonly faultsByKind: Readonly<Record<string, number>>;
  readonly invocations: number;
  readonly redeliveries: number;
  readonly deadLettered: number;
  readonly redriveRounds: number;
  readonly stillDeadLettered: number;
  /** Messages neither acknowledged nor dead-lettered: each message must end one way or the other. */
  readonly unaccounted: number;
  readonly feedSamples: number;
  readonly malformedSamples: readonly string[];
  readonly siteDiff: readonly string[];
  readonly stateDiff: readonly string[];
  readonly problems: readonly string[];
  readonly liveArticles: number;
  readonly ms: number;
}

export async function runFaultRun(s3: S3TestServer, options: FaultRunOptions): Promise<FaultRunResult> {
  const started = performance.now();
  const prng = createPrng(options.seed);
  const workload = generateWorkload(prng, options.operations, { batchSize: options.batchSize ?? 8 });
  const plan = randomFaults({ seed: options.seed + 1, rate: options.rate });
  const world = await createWorld(s3, [
    { name: 'faulted', maxAttempts: options.maxAttempts, plan },
    { name: 'clean', maxAttempts: 3 },
  ]);
  const faulted = world.lane('faulted');
  const clean = world.lane('clean');
  const stopSampling = world.sampler.background(faulted.buckets.site);
  let redriveRounds = 0;
  let deadLettered = 0;
  try {
    for (const batch of workload.batches) {
      for (const op of batch) {
        if (op.kind === 'put') await world.put(op.key, op.body);
        else await world.remove(op.key);
      }
      world.announce({ duplicateRate: options.duplicateRate ?? 0.1, prng });
      await world.drainAll();
    }
    deadLettered = faulted.queue.stats.deadLettered;
    // Dead letters are redriven while the faults go on: convergence must not need a quiet moment.
    while (faulted.queue.deadLetters.length > 0 && redriveRounds < (options.maxRedrives ?? 30)) {
      redriveRounds++;
      faulted.queue.redrive();
      await faulted.drain({ afterInvocation: () => world.sampler.sample(faulted.buckets.site) });
    }
  } finally {
    await stopSampling();
  }
  const faults = faulted.client.faults;
  const faultsByKind: Record<string, number> = {};
  for (const f of faults.injected)
    faultsByKind[`${f.kind}/${f.phase}`] = (faultsByKind[`${f.kind}/${f.phase}`] ?? 0) + 1;
  const [siteA, siteB, stateA, stateB] = await Promise.all([
    world.snapshot(faulted.buckets.site),
    world.snapshot(clean.buckets.site),
    world.snapshot(faulted.buckets.state),
    world.snapshot(clean.buckets.state),
  ]);
  const result: FaultRunResult = {
    operations: options.operations,
    messages: faulted.queue.stats.sent,
    requests: faults.requests,
    faultsInjected: faults.injected.length,
    faultsByKind,
    invocations: faulted.queue.stats.invocations,
    redeliveries: faulted.queue.stats.failures,
    deadLettered,
    redriveRounds,
    stillDeadLettered: faulted.queue.deadLetters.length + clean.queue.deadLetters.length,
    unaccounted: [faulted, clean].reduce(
      (n, lane) => n + lane.queue.stats.sent - lane.queue.stats.acknowledged - lane.queue.deadLetters.length,
      0,
    ),
    feedSamples: world.sampler.samples,
    malformedSamples: world.sampler.failures,
    siteDiff: diffSnapshots(siteA, siteB, ['faulted', 'clean']),
    stateDiff: diffSnapshots(stateA, stateB, ['faulted', 'clean']),
    problems: [
      ...publishedProblems(siteA, stateA, workload.live),
      ...publishedProblems(siteB, stateB, workload.live).map((p) => `clean lane: ${p}`),
    ],
    liveArticles: workload.live.size,
    ms: performance.now() - started,
  };
  world.close();
  return result;
}

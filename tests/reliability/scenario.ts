/**
 * A single-change scenario for the sweeps: a site seeded with a few articles, then one target change
 * (publish a new article, or delete one) delivered to a faulted lane and a clean lane. The faulted lane
 * gets a fault plan for exactly that change: fail the Nth request, or crash after the kth write. Then the
 * queue redelivers until done, and the two lanes are compared.
 */
import type { S3TestServer } from '../support/s3-server.ts';
import type { FaultPlan } from './faults.ts';
import { publishedProblems } from './published.ts';
import { articleBody } from './workload.ts';
import type { World } from './world.ts';
import { createWorld, diffSnapshots } from './world.ts';

export type Target = 'publish' | 'delete' | 'publish-then-delete';

// Two articles in two months, so a change touches a month partition of its own and one shared with another.
const SEEDS = [
  ['seed-a.txt', 3],
  ['seed-b.md', 40],
] as const;
const TARGET = 'target-story.txt';

export interface ScenarioResult {
  /** Requests and writes of the faulted lane while the target change was handled (first delivery). */
  readonly requests: number;
  readonly writes: number;
  readonly crashed: boolean;
  readonly faultsInjected: number;
  readonly invocations: number;
  readonly malformedSamples: readonly string[];
  readonly siteDiff: readonly string[];
  readonly stateDiff: readonly string[];
  readonly problems: readonly string[];
}

async function seed(world: World, target: Target): Promise<void> {
  for (const [key, day] of SEEDS) await world.put(key, articleBody(key, 1, day));
  if (target === 'delete') await world.put(TARGET, articleBody(TARGET, 1, 10));
  world.announce();
  await world.drainAll();
}

/**
 * Runs the target change with `plan` on the faulted lane. For `publish-then-delete`, the first delivery
 * of the publish fails or crashes, then the editor deletes the file before the queue redelivers: the
 * pipeline must not leave the half-published article behind.
 */
export async function runScenario(
  s3: S3TestServer,
  target: Target,
  plan: FaultPlan | null,
): Promise<ScenarioResult> {
  const world = await createWorld(s3, [
    { name: 'faulted', maxAttempts: 1 },
    { name: 'clean', maxAttempts: 3 },
  ]);
  try {
    await seed(world, target);
    const faulted = world.lane('faulted');
    const clean = world.lane('clean');
    faulted.client.faults.setPlan(plan);
    if (target === 'delete') await world.remove(TARGET);
    else await world.put(TARGET, articleBody(TARGET, 1, 10));
    world.announce();
    // One invocation of the faulted lane: the change as first delivered, under the plan.
    await faulted.queue.deliverOnce((event) => faulted.invoke(event));
    await world.sampler.sample(faulted.buckets.site);
    const { requests, writes } = faulted.client.faults;
    const crashed = faulted.crashes > 0;
    const faultsInjected = faulted.client.faults.injected.length;
    faulted.client.faults.setPlan(null);
    await clean.drain();
    if (target === 'publish-then-delete') {
      await world.remove(TARGET);
      world.announce();
    }
    await world.drainAll();
    const [siteA, siteB, stateA, stateB] = await Promise.all([
      world.snapshot(faulted.buckets.site),
      world.snapshot(clean.buckets.site),
      world.snapshot(faulted.buckets.state),
      world.snapshot(clean.buckets.state),
    ]);
    const live = new Set<string>([...SEEDS.map(([key]) => key), ...(target === 'publish' ? [TARGET] : [])]);
    return {
      requests,
      writes,
      crashed,
      faultsInjected,
      invocations: faulted.queue.stats.invocations,
      malformedSamples: world.sampler.failures,
      siteDiff: diffSnapshots(siteA, siteB, ['faulted', 'clean']),
      stateDiff: diffSnapshots(stateA, stateB, ['faulted', 'clean']),
      problems: publishedProblems(siteA, stateA, live),
    };
  } finally {
    world.close();
  }
}

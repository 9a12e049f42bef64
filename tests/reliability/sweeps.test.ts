/**
 * (b) Every request position of a single publish (and of a delete) failed in turn, and (2) crash
 * consistency: the handler dies right after its kth write, for every k of a publish and of a delete. Each
 * time the queue redelivers and the outputs must converge to the fault-free run: site and state buckets
 * byte-identical to a clean lane's, no lost or ghost article, no malformed feed readable in between.
 * A third crash sweep deletes the file between the crash and the redelivery.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3TestServer } from '../support/s3-server.ts';
import { startS3Server } from '../support/s3-server.ts';
import type { Fault } from './faults.ts';
import { crashAfterWrites, FAULT_KINDS, failNth } from './faults.ts';
import type { ScenarioResult, Target } from './scenario.ts';
import { runScenario } from './scenario.ts';

let s3: S3TestServer;
const baseline = new Map<Target, ScenarioResult>();

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
  for (const target of ['publish', 'delete'] as const)
    baseline.set(target, await runScenario(s3, target, null));
});
afterAll(async () => {
  await s3.stop();
});

/** The fault for request n: kinds and phases rotate so every combination is hit along a sweep. */
const faultFor = (n: number): Fault => ({
  kind: FAULT_KINDS[Math.floor(n / 2) % FAULT_KINDS.length] as Fault['kind'],
  phase: n % 2 === 0 ? 'before' : 'after',
});

function expectConverged(result: ScenarioResult, label: string) {
  expect(result.malformedSamples, label).toEqual([]);
  expect(result.problems, label).toEqual([]);
  expect(result.siteDiff, label).toEqual([]);
  expect(result.stateDiff, label).toEqual([]);
}

describe('the fault-free baseline', () => {
  it('is itself correct, and the sweeps below have something to sweep', () => {
    for (const target of ['publish', 'delete'] as const) {
      const result = baseline.get(target) as ScenarioResult;
      expectConverged(result, target);
      expect(result.requests).toBeGreaterThan(5);
      expect(result.writes).toBeGreaterThan(2);
    }
  });
});

describe.each(['publish', 'delete'] as const)('failing each request of a %s in turn', (target) => {
  it('converges after redelivery, whichever request fails', { timeout: 120_000 }, async () => {
    const { requests } = baseline.get(target) as ScenarioResult;
    for (let n = 1; n <= requests; n++) {
      const fault = faultFor(n);
      const result = await runScenario(s3, target, failNth(n, fault));
      const label = `${target}, request ${n}/${requests} failed with ${fault.kind} ${fault.phase}`;
      expect(result.faultsInjected, label).toBe(1);
      expectConverged(result, label);
    }
  });
});

describe.each(['publish', 'delete'] as const)('crashing after each write of a %s', (target) => {
  it('converges after redelivery, whichever write was the last', { timeout: 120_000 }, async () => {
    const { writes } = baseline.get(target) as ScenarioResult;
    for (let k = 0; k < writes; k++) {
      const result = await runScenario(s3, target, crashAfterWrites(k));
      const label = `${target}, crash after write ${k}/${writes}`;
      expect(result.crashed, label).toBe(true);
      expectConverged(result, label);
    }
  });
});

describe('crashing during a publish, then the file is deleted before the redelivery', () => {
  it('leaves no trace of the half-published article, whichever write was the last', {
    timeout: 120_000,
  }, async () => {
    const { writes } = baseline.get('publish') as ScenarioResult;
    const failures: string[] = [];
    for (let k = 0; k < writes; k++) {
      const result = await runScenario(s3, 'publish-then-delete', crashAfterWrites(k));
      expect(result.crashed).toBe(true);
      const problems = [
        ...result.malformedSamples,
        ...result.problems,
        ...result.siteDiff,
        ...result.stateDiff,
      ];
      if (problems.length > 0) failures.push(`crash after write ${k}/${writes}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });
});

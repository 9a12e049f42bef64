/**
 * (a) A workload of uploads, edits and deletes with 10% of S3 requests failing (500 InternalError, 503
 * SlowDown, timeouts, connection resets; before or after the server applied them), once with the faults
 * reaching the pipeline (SDK maxAttempts 1) and once below the SDK's retry layer (maxAttempts 3). Against a
 * clean lane fed the same events: the site and state buckets end byte-identical, no article is lost or
 * duplicated, nothing is left in the dead-letter queue after redriving, and no feed sampled at any moment
 * was malformed. Full sizes run in `npm run soak`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3TestServer } from '../support/s3-server.ts';
import { startS3Server } from '../support/s3-server.ts';
import { runFaultRun } from './fault-run.ts';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
});
afterAll(async () => {
  await s3.stop();
});

describe('10% of S3 requests fail during a run of uploads, edits and deletes', () => {
  it.each([
    { where: 'above the SDK retry layer (maxAttempts 1)', maxAttempts: 1, seed: 1001, operations: 150 },
    { where: 'below the SDK retry layer (maxAttempts 3)', maxAttempts: 3, seed: 2002, operations: 100 },
  ])(
    '$where: converges to the fault-free result',
    { timeout: 120_000 },
    async ({ maxAttempts, seed, operations }) => {
      const result = await runFaultRun(s3, { seed, operations, rate: 0.1, maxAttempts });
      console.info(
        `fault run ${maxAttempts}: ${JSON.stringify({ ...result, malformedSamples: result.malformedSamples.length })}`,
      );
      expect(result.faultsInjected).toBeGreaterThan(40);
      expect(Object.keys(result.faultsByKind).length).toBe(8);
      expect(result.stillDeadLettered).toBe(0);
      expect(result.unaccounted).toBe(0);
      expect(result.malformedSamples).toEqual([]);
      expect(result.feedSamples).toBeGreaterThan(100);
      expect(result.problems).toEqual([]);
      expect(result.siteDiff).toEqual([]);
      expect(result.stateDiff).toEqual([]);
      if (maxAttempts === 1) expect(result.redeliveries).toBeGreaterThan(0);
    },
  );
});

/**
 * (3) A flood of uploads (200 here, 1,000 in `npm run soak`) with duplicated and shuffled events, two
 * pipeline instances consuming at once and a full rebuild racing them: every article is published exactly
 * once, the incremental state is what a rebuild derives, and the S3 requests per upload stay bounded (the
 * last fifth of the flood costs about what the first did, whatever the archive size by then).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3TestServer } from '../support/s3-server.ts';
import { startS3Server } from '../support/s3-server.ts';
import { runFlood } from './flood.ts';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
});
afterAll(async () => {
  await s3.stop();
});

describe('a flood of uploads with duplicated, shuffled events and a concurrent rebuild', () => {
  it('publishes every article exactly once at a bounded cost per upload', { timeout: 120_000 }, async () => {
    const result = await runFlood(s3, { uploads: 200, seed: 7 });
    console.info(`flood: ${JSON.stringify(result)}`);
    expect(result.messages).toBeGreaterThan(result.uploads);
    expect(result.rebuildsDuringFlood).toHaveLength(2);
    // A rebuild racing live updates starts over when they change the indexes, and after a few passes gives up
    // with PreconditionFailed (its SQS message is then retried). Either way nothing may be lost (checked below).
    for (const rebuild of result.rebuildsDuringFlood) {
      expect('error' in rebuild ? rebuild.error : `passes: ${rebuild.attempts}`).toMatch(
        /^(passes: [1-3]|PreconditionFailed)/,
      );
    }
    expect(result.problems).toEqual([]);
    expect(result.changedByFinalRebuild).toEqual([]);
    expect(result.finalRebuild.orphansDeleted).toBe(0);
    expect(result.requestsPerUploadLate).toBeLessThan(2 * result.requestsPerUploadEarly + 5);
    expect(result.requestsPerUpload).toBeLessThan(30);
  });
});

/**
 * The fault injector on its own, against the embedded S3 server through the real SDK: each fault kind
 * produces the error AWS would, `before` faults never reach the server while `after` faults do, the SDK's
 * retry layer absorbs what it should, and a crash stops every later request.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3TestServer } from '../support/s3-server.ts';
import { startS3Server } from '../support/s3-server.ts';
import type { Fault, FaultKind } from './faults.ts';
import { CrashError, crashAfterWrites, FAULT_KINDS, failNth, randomFaults } from './faults.ts';
import { faultyS3Client } from './faulty-client.ts';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['faults'] });
});
afterAll(async () => {
  await s3.stop();
});

const put = (client: { send: S3TestServer['client']['send'] }, key: string, body = key) =>
  client.send(new PutObjectCommand({ Bucket: 'faults', Key: key, Body: body }));
const exists = async (key: string) => {
  try {
    await s3.client.send(new HeadObjectCommand({ Bucket: 'faults', Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return false;
    throw error;
  }
};

const EXPECTED_ERROR: Record<FaultKind, (error: unknown) => void> = {
  'internal-error': (error) => {
    expect((error as Error).name).toBe('InternalError');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
  },
  'slow-down': (error) => {
    expect((error as Error).name).toBe('SlowDown');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(503);
  },
  timeout: (error) => expect((error as Error).name).toBe('TimeoutError'),
  'connection-reset': (error) => expect((error as { code?: string }).code).toBe('ECONNRESET'),
};

describe('faults that reach the caller (maxAttempts 1)', () => {
  it.each(FAULT_KINDS)(
    '%s before the server: the error AWS would give, and nothing written',
    async (kind) => {
      const { client, faults, destroy } = faultyS3Client(s3.endpoint, {
        maxAttempts: 1,
        plan: failNth(1, { kind, phase: 'before' }),
      });
      const key = `before-${kind}`;
      const error = await put(client, key).catch((e: unknown) => e);
      EXPECTED_ERROR[kind](error);
      expect(await exists(key)).toBe(false);
      expect(faults.injected.map((f) => f.kind)).toEqual([kind]);
      await put(client, key);
      expect(await exists(key)).toBe(true);
      destroy();
    },
  );

  it.each(FAULT_KINDS)(
    '%s after the server: the write happened although the caller saw an error',
    async (kind) => {
      const { client, destroy } = faultyS3Client(s3.endpoint, {
        maxAttempts: 1,
        plan: failNth(1, { kind, phase: 'after' }),
      });
      const key = `after-${kind}`;
      const error = await put(client, key).catch((e: unknown) => e);
      EXPECTED_ERROR[kind](error);
      expect(await exists(key)).toBe(true);
      destroy();
    },
  );

  it('drains a lost GetObject answer so the connection is reused and later requests still work', async () => {
    await put(s3.client, 'body', 'x'.repeat(100_000));
    const { client, faults, destroy } = faultyS3Client(s3.endpoint, {
      maxAttempts: 1,
      plan: { decide: (r) => (r.n % 2 === 1 ? { kind: 'internal-error', phase: 'after' } : null) },
    });
    for (let i = 0; i < 20; i++) {
      const attempt = client.send(new GetObjectCommand({ Bucket: 'faults', Key: 'body' }));
      if (i % 2 === 0) await expect(attempt).rejects.toMatchObject({ name: 'InternalError' });
      else expect((await (await attempt).Body?.transformToString())?.length).toBe(100_000);
    }
    expect(faults.requests).toBe(20);
    destroy();
  });
});

describe('faults below the SDK retry layer (maxAttempts 3)', () => {
  it.each(FAULT_KINDS)('one %s is retried away: the caller never sees it', async (kind) => {
    const fault: Fault = { kind, phase: 'before' };
    const { client, faults, destroy } = faultyS3Client(s3.endpoint, {
      maxAttempts: 3,
      plan: failNth(1, fault),
    });
    await put(client, `retried-${kind}`);
    expect(faults.injected).toHaveLength(1);
    expect(faults.requests).toBe(2);
    expect(await exists(`retried-${kind}`)).toBe(true);
    destroy();
  });

  it('a fault on every attempt surfaces after exactly maxAttempts tries', async () => {
    const { client, faults, destroy } = faultyS3Client(s3.endpoint, {
      maxAttempts: 3,
      plan: randomFaults({ seed: 1, rate: 1, kinds: ['internal-error'], phases: ['before'] }),
    });
    await expect(put(client, 'never')).rejects.toMatchObject({ name: 'InternalError' });
    expect(faults.requests).toBe(3);
    expect(await exists('never')).toBe(false);
    destroy();
  });
});

describe('plans', () => {
  it('randomFaults is a pure function of its seed and close to its rate', () => {
    const decisions = (seed: number) => {
      const plan = randomFaults({ seed, rate: 0.1 });
      return Array.from({ length: 2000 }, (_v, i) =>
        JSON.stringify(plan.decide({ n: i + 1, command: 'PutObjectCommand', write: true, writesSent: i })),
      );
    };
    expect(decisions(42)).toEqual(decisions(42));
    expect(decisions(42)).not.toEqual(decisions(43));
    const faulted = decisions(42).filter((d) => d !== 'null').length;
    expect(faulted).toBeGreaterThan(140);
    expect(faulted).toBeLessThan(260);
    const kinds = new Set(
      decisions(42)
        .filter((d) => d !== 'null')
        .map((d) => JSON.parse(d).kind),
    );
    expect([...kinds].sort()).toEqual([...FAULT_KINDS].sort());
  });

  it('crashAfterWrites(2) lets exactly two writes out, then every request fails until revive', async () => {
    const { client, faults, destroy } = faultyS3Client(s3.endpoint, {
      maxAttempts: 3,
      plan: crashAfterWrites(2),
    });
    await put(client, 'crash-1');
    await client.send(new HeadObjectCommand({ Bucket: 'faults', Key: 'crash-1' }));
    await put(client, 'crash-2');
    await expect(put(client, 'crash-3')).rejects.toBeInstanceOf(CrashError);
    await expect(
      client.send(new HeadObjectCommand({ Bucket: 'faults', Key: 'crash-1' })),
    ).rejects.toBeInstanceOf(CrashError);
    expect(faults.crashed).toBe(true);
    expect([await exists('crash-1'), await exists('crash-2'), await exists('crash-3')]).toEqual([
      true,
      true,
      false,
    ]);
    faults.setPlan(null);
    faults.revive();
    await put(client, 'crash-3');
    expect(await exists('crash-3')).toBe(true);
    destroy();
  });
});

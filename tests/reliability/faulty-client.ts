/**
 * An S3 client for fault runs: the product's client settings (see `createS3Client`) plus a chosen retry
 * budget, with S3's atomic objects and conditional writes restored in front of s3rver (s3-semantics.ts) and the fault
 * injector installed below them. `createS3Client` takes no retry options, so the client is
 * built here with the same settings; the SDK's own standard retry strategy is kept (its classification of
 * 500 / 503 SlowDown / timeouts / resets is what is under test), with short backoff delays so a test run
 * with hundreds of injected faults does not spend minutes sleeping.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { S3RVER_CREDENTIALS } from '../support/s3-server.ts';
import type { FaultInjector, FaultPlan } from './faults.ts';
import { injectFaults } from './faults.ts';
import { enforceS3Semantics } from './s3-semantics.ts';

export interface FaultyClientOptions {
  /** HTTP attempts per operation: 1 lets every fault reach the caller; the SDK default is 3. */
  readonly maxAttempts: number;
  /** Backoff before retry n is `backoffMs * n` (the SDK default is ~100 ms × 2^n, 500 ms for throttling). */
  readonly backoffMs?: number;
  readonly plan?: FaultPlan | null;
}

export interface FaultyClient {
  readonly client: S3Client;
  readonly faults: FaultInjector;
  destroy(): void;
}

export function faultyS3Client(endpoint: string, options: FaultyClientOptions): FaultyClient {
  const backoffMs = options.backoffMs ?? 2;
  const settings = {
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } as const;
  const client = new S3Client({
    ...settings,
    retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts, (attempt) => backoffMs * attempt),
  });
  // The ETag look-up of the conditional-write check must itself be neither faulted nor locked.
  const head = new S3Client(settings);
  enforceS3Semantics(client, head, endpoint);
  const faults = injectFaults(client, options.plan ?? null);
  return {
    client,
    faults,
    destroy() {
      client.destroy();
      head.destroy();
    },
  };
}

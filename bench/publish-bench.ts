/**
 * Sections 1–3 of BENCHMARKS.md: publishing uploads through a function (the real handler, or the naive
 * baseline) running in a worker process, against the bench's S3 server, which counts every request.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { UploadedObject } from './events.ts';
import { objectCreatedEvent } from './events.ts';
import { startFunctionWorker } from './invoker.ts';
import type { PublishMeasure } from './results-model.ts';
import { type BenchS3, emptyTally, type RequestTally, totalRequests } from './s3-harness.ts';
import { max, median, min } from './stats.ts';

export interface PublishRun {
  /** Objects uploaded (uncounted) before the run, then announced to the function. */
  readonly uploads: readonly UploadedObject[];
}

export interface PublishSetup {
  readonly s3: BenchS3;
  /** The bench's own client, for the uploads that precede each run (not counted). */
  readonly client: S3Client;
  readonly inboxBucket: string;
  /** Bundled worker (`worker.ts`). */
  readonly workerFile: string;
  /** Bundled function whose `handler` is measured. */
  readonly functionFile: string;
  readonly env: NodeJS.ProcessEnv;
  /** Messages per invocation: the SQS event source's batch size. */
  readonly batchSize: number;
}

/** What the function answered: a partial-batch response must list no failure, or the run measured nothing. */
function assertNoFailures(response: unknown): void {
  const failures = (response as { batchItemFailures?: unknown[] } | null)?.batchItemFailures;
  if (Array.isArray(failures) && failures.length > 0) {
    throw new Error(
      `the function reported ${failures.length} failed message(s): ${JSON.stringify(failures)}`,
    );
  }
}

/** One function worker and the runs made against it; `finish` ends the worker and summarises. */
export interface PublishSession {
  run(run: PublishRun): Promise<void>;
  finish(): Promise<PublishMeasure & { responses: unknown[] }>;
}

export async function openPublishSession(setup: PublishSetup, articles: number): Promise<PublishSession> {
  const worker = await startFunctionWorker(setup.workerFile, setup.functionFile, setup.env);
  const times: number[] = [];
  const tallies: RequestTally[] = [];
  const responses: unknown[] = [];
  let uploads = 0;
  let invocations = 0;
  return {
    async run(run) {
      await Promise.all(
        run.uploads.map((u) =>
          setup.client.send(
            new PutObjectCommand({
              Bucket: setup.inboxBucket,
              Key: u.key,
              Body: u.bytes,
              ContentType: 'text/plain; charset=utf-8',
            }),
          ),
        ),
      );
      setup.s3.counter.reset();
      let ms = 0;
      invocations = 0;
      uploads = run.uploads.length;
      for (let i = 0; i < Math.max(1, run.uploads.length); i += setup.batchSize) {
        const event = objectCreatedEvent(setup.inboxBucket, run.uploads.slice(i, i + setup.batchSize));
        const result = await worker.invoke(event);
        assertNoFailures(result.response);
        responses.push(result.response);
        ms += result.ms;
        invocations++;
      }
      times.push(ms);
      tallies.push(setup.s3.counter.tally());
    },
    async finish() {
      const memory = await worker.finish();
      if (times.length === 0) throw new Error('a publish session made no run');
      // A single run is both the cold and the only timed one (the naive baseline at large sizes).
      const warmTimes = times.length > 1 ? times.slice(1) : times;
      const requests = medianTally(tallies.length > 1 ? tallies.slice(1) : tallies);
      return {
        articles,
        uploads,
        invocations,
        runs: warmTimes.length,
        medianMs: median(warmTimes),
        minMs: min(warmTimes),
        maxMs: max(warmTimes),
        coldMs: times[0] ?? Number.NaN,
        requests,
        totalRequests: totalRequests(requests),
        peakRssMiB: memory.peakRssMiB,
        rssDeltaMiB: Math.max(0, memory.peakRssMiB - memory.baselineRssMiB),
        peakHeapMiB: memory.peakHeapMiB,
        responses,
      };
    },
  };
}

/**
 * Runs `runs[0]` cold (first in a fresh process), then the others warm, and reports medians over the warm
 * ones (or over the only run, when there is one). One run = all its uploads, delivered `batchSize` messages
 * per invocation.
 */
export async function measurePublish(
  setup: PublishSetup,
  articles: number,
  runs: readonly PublishRun[],
): Promise<PublishMeasure & { responses: unknown[] }> {
  const session = await openPublishSession(setup, articles);
  try {
    for (const run of runs) await session.run(run);
  } catch (error) {
    await session.finish().catch(() => undefined);
    throw error;
  }
  return session.finish();
}

/**
 * The same runs against several archives, taking turns run by run, so the load on a shared machine falls
 * on every archive size alike and the ratios between sizes stay meaningful.
 */
export async function measurePublishInterleaved(
  targets: readonly { setup: PublishSetup; articles: number; runs: readonly PublishRun[] }[],
): Promise<(PublishMeasure & { responses: unknown[] })[]> {
  const sessions: PublishSession[] = [];
  try {
    for (const t of targets) sessions.push(await openPublishSession(t.setup, t.articles));
    const rounds = Math.max(...targets.map((t) => t.runs.length));
    for (let r = 0; r < rounds; r++) {
      for (const [i, t] of targets.entries()) {
        const run = t.runs[r];
        if (run) await sessions[i]?.run(run);
      }
    }
  } catch (error) {
    await Promise.all(sessions.map((s) => s.finish().catch(() => undefined)));
    throw error;
  }
  return Promise.all(sessions.map((s) => s.finish()));
}

/** The median of each field over the runs: request counts are the same every run unless something retried. */
function medianTally(tallies: readonly RequestTally[]): RequestTally {
  const out = emptyTally();
  for (const field of Object.keys(out) as (keyof RequestTally)[]) {
    out[field] = median(tallies.map((t) => t[field]));
  }
  return out;
}

/**
 * Runs `parseArticle` in a worker thread with a hard deadline and a heap cap, so a pathological file (a
 * regex gone quadratic, a parser recursing without end) ends the test as a clear failure at the deadline
 * instead of hanging the suite, and memory blow-ups show as a dead worker, not a dead test runner.
 * The worker is reused across files and replaced after a kill.
 */
import { Worker } from 'node:worker_threads';
import type { Article, RejectionCode } from '../../shared/article/model.ts';

export type BoundedOutcome =
  | { readonly kind: 'accepted'; readonly article: Article; readonly ms: number; readonly heapGrowth: number }
  | {
      readonly kind: 'rejected';
      readonly code: RejectionCode;
      readonly reason: string;
      readonly ms: number;
      readonly heapGrowth: number;
    }
  /** Still running at the deadline: the worker was terminated. */
  | { readonly kind: 'hung'; readonly ms: number }
  /** The worker died (out of memory, stack overflow outside the parser's own catch). */
  | { readonly kind: 'crashed'; readonly error: string; readonly ms: number };

export interface BoundedParser {
  parse(name: string, bytes: Uint8Array): Promise<BoundedOutcome>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./parse-worker.ts', import.meta.url).href;
// Worker threads do not inherit the tsx loader: register it, then load the TypeScript entry.
const BOOTSTRAP = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(WORKER_URL)}); })`;

export function createBoundedParser(options: { deadlineMs: number; maxHeapMb: number }): BoundedParser {
  let worker: Worker | null = null;
  let ready: Promise<Worker> | null = null;
  let nextId = 0;

  const start = (): Promise<Worker> => {
    const w = new Worker(BOOTSTRAP, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
    });
    worker = w;
    return new Promise((resolve, reject) => {
      w.once('message', (m) =>
        m === 'ready' ? resolve(w) : reject(new Error(`unexpected first message ${String(m)}`)),
      );
      w.once('error', reject);
    });
  };

  const stop = async () => {
    const w = worker;
    worker = null;
    ready = null;
    if (w) await w.terminate();
  };

  return {
    async parse(name, bytes) {
      ready ??= start();
      const w = await ready;
      const id = nextId++;
      const started = performance.now();
      return new Promise<BoundedOutcome>((resolve) => {
        const finish = (outcome: BoundedOutcome) => {
          clearTimeout(timer);
          w.off('message', onMessage);
          w.off('error', onError);
          resolve(outcome);
        };
        const timer = setTimeout(() => {
          void stop();
          finish({ kind: 'hung', ms: performance.now() - started });
        }, options.deadlineMs);
        const onMessage = (m: {
          id: number;
          ms: number;
          heapGrowth: number;
          result: { ok: boolean; article?: Article; code?: RejectionCode; reason?: string };
        }) => {
          if (m.id !== id) return;
          finish(
            m.result.ok
              ? { kind: 'accepted', article: m.result.article as Article, ms: m.ms, heapGrowth: m.heapGrowth }
              : {
                  kind: 'rejected',
                  code: m.result.code as RejectionCode,
                  reason: m.result.reason ?? '',
                  ms: m.ms,
                  heapGrowth: m.heapGrowth,
                },
          );
        };
        const onError = (error: Error) => {
          void stop();
          finish({ kind: 'crashed', error: error.message, ms: performance.now() - started });
        };
        w.on('message', onMessage);
        w.on('error', onError);
        w.postMessage({ id, name, bytes });
      });
    },
    close: stop,
  };
}

/**
 * The child process a measured function runs in, so its memory is its own and the S3 server (in the bench
 * process) runs on the other core, as S3 does in AWS. Plain Node, no tsx: it is bundled by esbuild and loads
 * the function's bundle with a dynamic import, as the Lambda runtime does. Driven over IPC by `invoker.ts`:
 *
 *   parent → { type: 'invoke', event }   child → { type: 'invoked', ms, response } | { type: 'failed', error }
 *   parent → { type: 'finish' }          child → { type: 'memory', ... } and exits
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

type Handler = (event: unknown) => Promise<unknown>;

export type ParentMessage = { type: 'invoke'; event: unknown } | { type: 'finish' };

export type WorkerMessage =
  | { type: 'ready'; loadMs: number }
  | { type: 'invoked'; ms: number; response: unknown }
  | { type: 'failed'; error: string }
  | { type: 'memory'; baselineRssMiB: number; peakRssMiB: number; peakHeapMiB: number };

const MIB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;
let peakHeap = 0;

/**
 * The process's own peak RSS. On Linux, VmHWM: getrusage's maxRSS is NOT reset by exec, so a child forked
 * from a large parent reports the parent's size as its own peak; VmHWM belongs to the new address space.
 */
function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall back to rusage below.
  }
  return process.resourceUsage().maxRSS * 1024;
}

function sampleHeap(): void {
  const heap = process.memoryUsage().heapUsed;
  if (heap > peakHeap) peakHeap = heap;
}

function send(message: WorkerMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: worker.mjs FUNCTION_BUNDLE');
  const started = performance.now();
  const module = (await import(pathToFileURL(file).href)) as { handler?: Handler };
  const handler = module.handler;
  if (typeof handler !== 'function') throw new Error(`${file} exports no handler`);
  const loadMs = performance.now() - started;
  gc?.();
  const baselineRss = process.memoryUsage().rss;
  // The heap is sampled between awaits; a handler's peak is reached while it holds parsed and rendered data,
  // which spans many awaits (S3 round trips), so a 1 ms sampler sees it.
  const sampler = setInterval(sampleHeap, 1);
  process.on('message', async (message: ParentMessage) => {
    if (message.type === 'finish') {
      clearInterval(sampler);
      sampleHeap();
      send({
        type: 'memory',
        baselineRssMiB: baselineRss / MIB,
        peakRssMiB: peakRssBytes() / MIB,
        peakHeapMiB: peakHeap / MIB,
      });
      process.disconnect?.();
      return;
    }
    try {
      sampleHeap();
      const t = performance.now();
      const response = await handler(message.event);
      const ms = performance.now() - t;
      sampleHeap();
      send({ type: 'invoked', ms, response });
    } catch (error) {
      send({
        type: 'failed',
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
  send({ type: 'ready', loadMs });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});

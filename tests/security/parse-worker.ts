/**
 * Worker-thread entry for `bounded-parse.ts`: parses what it is sent and answers with the result, the time
 * the parse took and the heap in use afterwards. A rejection crosses the thread boundary as code + reason.
 */
import { parentPort } from 'node:worker_threads';
import { loadMarkdownDeps } from '../../shared/article/markdown-deps.ts';
import { parseArticle } from '../../shared/article/parse.ts';

export interface ParseRequest {
  readonly id: number;
  readonly name: string;
  readonly bytes: Uint8Array;
}

parentPort?.on('message', async ({ id, name, bytes }: ParseRequest) => {
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = await parseArticle(name, bytes);
  const ms = performance.now() - started;
  const heapGrowth = process.memoryUsage().heapUsed - before;
  parentPort?.postMessage({
    id,
    ms,
    heapGrowth,
    result: result.ok
      ? { ok: true, article: result.article }
      : { ok: false, code: result.rejection.code, reason: result.rejection.reason },
  });
});
// The Markdown libraries load once, before any deadline starts: that one-time cost is not a parse's.
await loadMarkdownDeps();
parentPort?.postMessage('ready');

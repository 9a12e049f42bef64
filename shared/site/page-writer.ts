/**
 * Writing article pages on a second thread while the main thread parses and renders the next ones: the
 * build's two halves, file system and JavaScript, each get a core. Light on purpose (Node built-ins only),
 * so `dropfeed build` can start the thread before it loads the parser and the renderers, and the thread's
 * start-up (a V8 isolate, tsx, one module) is over by the time the first page is rendered.
 *
 * Splitting by stage rather than by article: two threads each parsing half the articles cost 45 % more
 * CPU than one on this 2-core machine (each thread compiles and warms up the parser and renderers again,
 * each collects its own garbage), and so were slower than one thread whenever the other core was busy.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WriteResult } from './write-changed.ts';

/**
 * Below this many articles a build stays on one thread: the writer thread's start-up (tsx, a module, about
 * 100 ms of CPU) competes with the main thread's own. Measured here: 1,000 articles 6 % slower with the
 * thread, 1,500 even, 2,000 6 % faster, 10,000 30 % faster.
 */
export const WRITER_THREAD_MIN_ARTICLES = 2000;

/** Whether a build of `articleCount` articles should write its pages on a second thread, on this machine. */
export function wantsWriterThread(articleCount: number): boolean {
  return articleCount >= WRITER_THREAD_MIN_ARTICLES && availableParallelism() > 1;
}

/** Pages per message: enough to make messaging cheap, few enough that the writer starts at once. */
const BATCH_PAGES = 16;
/** Batches sent and not yet written before the main thread waits: pages never pile up in memory. */
const MAX_BATCHES_IN_FLIGHT = 32;

/** Cells of the shared `Int32Array` the writer reports its progress in. */
export const PROGRESS = { batchesDone: 0, stopped: 1 } as const;

export type WriterMessage =
  | { readonly kind: 'begin'; readonly outDir: string; readonly fresh: boolean }
  | { readonly kind: 'pages'; readonly paths: readonly string[]; readonly bodies: readonly string[] }
  | { readonly kind: 'end' };

export type WriterReply = { readonly result: WriteResult } | { readonly error: unknown };

export interface PageFile {
  readonly path: string;
  readonly body: string;
}

const WORKER_MODULE = new URL('./page-writer-worker.ts', import.meta.url).href;

/** A thread that writes pages under the output folder, only those whose bytes changed (`ChangedFileWriter`). */
export class PageWriterThread {
  private readonly progress = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  private readonly thread: Worker;
  private readonly reply: Promise<WriteResult>;
  private paths: string[] = [];
  private bodies: string[] = [];
  private batchesSent = 0;

  /**
   * Workers do not inherit the main thread's module hooks, so the thread registers tsx itself before it
   * loads the TypeScript module: the same under `bin/dropfeed.js`, `tsx`, `node --import tsx` and vitest.
   */
  constructor() {
    const tsxApi = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_MODULE)}); });`;
    // No execArgv: the parent's (`--import tsx`, vitest's flags) are for a process, not a thread.
    this.thread = new Worker(bootstrap, {
      eval: true,
      execArgv: [],
      workerData: { progress: this.progress.buffer },
    });
    this.reply = new Promise<WriteResult>((resolve, reject) => {
      this.thread.once('message', (reply: WriterReply) =>
        'error' in reply ? reject(reply.error) : resolve(reply.result),
      );
      this.thread.once('error', reject);
      this.thread.once('exit', (code) =>
        reject(new Error(`the page writer thread stopped (exit code ${code})`)),
      );
    });
    // Settled even when never awaited (a build that stops early): not an unhandled rejection.
    this.reply.catch(() => {});
  }

  /** The thread, or null when none can be started here (the build then writes on its own thread). */
  static start(): PageWriterThread | null {
    try {
      return new PageWriterThread();
    } catch {
      return null;
    }
  }

  begin(outDir: string, fresh: boolean): void {
    this.post({ kind: 'begin', outDir, fresh });
  }

  write(file: PageFile): void {
    this.paths.push(file.path);
    this.bodies.push(file.body);
    if (this.paths.length >= BATCH_PAGES) this.sendBatch();
  }

  /** Waits for every page to be written; what was written, or why writing failed. */
  async finish(): Promise<WriteResult> {
    this.sendBatch();
    this.post({ kind: 'end' });
    try {
      return await this.reply;
    } finally {
      this.close();
    }
  }

  close(): void {
    void this.thread.terminate();
  }

  private sendBatch(): void {
    if (this.paths.length === 0) return;
    // Blocking wait, by design: the main thread has nothing better to do than let the writer catch up.
    const { batchesDone, stopped } = PROGRESS;
    while (this.batchesSent - Atomics.load(this.progress, batchesDone) >= MAX_BATCHES_IN_FLIGHT) {
      // A thread that stopped never catches up; `finish` then reports why.
      if (Atomics.load(this.progress, stopped) !== 0) break;
      Atomics.wait(this.progress, batchesDone, Atomics.load(this.progress, batchesDone), 100);
    }
    this.post({ kind: 'pages', paths: this.paths, bodies: this.bodies });
    this.batchesSent += 1;
    this.paths = [];
    this.bodies = [];
  }

  private post(message: WriterMessage): void {
    this.thread.postMessage(message);
  }
}

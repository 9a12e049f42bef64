/**
 * Writing article pages on a second thread while the main thread parses and renders the next ones: the
 * build's two halves, file system and JavaScript, each get a core. When the writer thread falls behind
 * (a file system slow to allocate, a core taken by another process), the main thread writes the next
 * pages itself rather than wait, so the writing is shared by both threads as their speeds allow.
 *
 * Light on purpose (Node built-ins and `write-changed.ts`), so `dropfeed build` can start the thread
 * before it loads the parser and the renderers, and the thread's start-up (a V8 isolate, tsx, three small
 * modules: about 40 ms) is over by the time the first page is rendered.
 *
 * Split by stage rather than by article: two threads each parsing half the articles cost 45 % more CPU
 * than one on this 2-core machine (each compiles and warms up the parser and renderers again, each
 * collects its own garbage), and were slower than one thread whenever the other core was busy.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PROGRESS, type WriterMessage, type WriterReply } from './page-writer-protocol.ts';
import { ChangedFileWriter, type WriteResult } from './write-changed.ts';

/**
 * Below this many articles a build stays on one thread: the writer thread's start-up (about 40 ms) then
 * costs about what it saves. Measured here: 250 and 500 articles even, 1,000 3 % faster, 10,000 30 % faster
 * (and more when the file system is slow to allocate: the two threads then share the writing).
 */
export const WRITER_THREAD_MIN_ARTICLES = 1000;

/** Whether a build of `articleCount` articles should write its pages on a second thread, on this machine. */
export function wantsWriterThread(articleCount: number): boolean {
  return articleCount >= WRITER_THREAD_MIN_ARTICLES && availableParallelism() > 1;
}

/** Pages per message: enough to make messaging cheap, few enough that the writer starts at once. */
const BATCH_PAGES = 16;
/** Batches sent and not yet written beyond which the main thread writes pages itself. */
const MAX_BATCHES_IN_FLIGHT = 8;

export interface PageFile {
  readonly path: string;
  readonly body: string;
}

/**
 * Run from source (tsx, vitest) this module is `page-writer.ts`; run from the CLI's bundle (`bin/cli-bundle.js`)
 * it is part of `cli.cjs`, beside the bundled `page-writer-worker.mjs`, which needs no loader.
 */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_MODULE = fileURLToPath(
  new URL(FROM_SOURCE ? './page-writer-worker.ts' : './page-writer-worker.mjs', import.meta.url),
);

/**
 * Writes pages under the output folder, only those whose bytes changed (`ChangedFileWriter`), on a
 * thread of its own and, when that thread is behind, on the caller's.
 */
export class PageWriterThread {
  private readonly progress = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private readonly thread: Worker;
  private readonly reply: Promise<WriteResult>;
  private here: ChangedFileWriter | null = null;
  private paths: string[] = [];
  private bodies: string[] = [];
  private batchesSent = 0;

  /**
   * Workers do not inherit the main thread's module hooks, so the thread registers tsx itself before it
   * loads the TypeScript module: the same under `bin/dropfeed.js`, `tsx`, `node --import tsx` and vitest.
   * tsx's require hook rather than its import hooks: those run on a thread of their own, which took the
   * writer three times as long to start (120 ms, not 40).
   */
  constructor() {
    const workerData = { progress: this.progress.buffer };
    // No execArgv: the parent's (`--import tsx`, vitest's flags) are for a process, not a thread.
    if (FROM_SOURCE) {
      const tsxRequireHook = createRequire(import.meta.url).resolve('tsx/cjs/api');
      const bootstrap = `require(${JSON.stringify(tsxRequireHook)}).register(); require(${JSON.stringify(WORKER_MODULE)});`;
      this.thread = new Worker(bootstrap, { eval: true, execArgv: [], workerData });
    } else {
      this.thread = new Worker(WORKER_MODULE, { execArgv: [], workerData });
    }
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
    this.here = new ChangedFileWriter(outDir, fresh);
    this.post({ kind: 'begin', outDir, fresh });
  }

  write(file: PageFile): void {
    if (this.paths.length >= BATCH_PAGES && !this.trySendBatch()) {
      this.writeHere(file);
      return;
    }
    this.paths.push(file.path);
    this.bodies.push(file.body);
    if (this.paths.length >= BATCH_PAGES) this.trySendBatch();
  }

  /** Waits for every page to be written; what was written (in no particular order), or why writing failed. */
  async finish(): Promise<WriteResult> {
    if (this.paths.length > 0) this.sendBatch();
    this.post({ kind: 'end' });
    try {
      const there = await this.reply;
      const here = this.here ?? { written: [], unchanged: 0 };
      return { written: [...there.written, ...here.written], unchanged: there.unchanged + here.unchanged };
    } finally {
      this.close();
    }
  }

  close(): void {
    void this.thread.terminate();
  }

  private writeHere(file: PageFile): void {
    if (!this.here) throw new Error('PageWriterThread.write before begin');
    this.here.write(file);
  }

  /** Sends the pending batch unless the thread is too far behind (a thread that stopped always is). */
  private trySendBatch(): boolean {
    if (this.batchesSent - Atomics.load(this.progress, PROGRESS.batchesDone) >= MAX_BATCHES_IN_FLIGHT)
      return false;
    this.sendBatch();
    return true;
  }

  private sendBatch(): void {
    this.post({ kind: 'pages', paths: this.paths, bodies: this.bodies });
    this.batchesSent += 1;
    this.paths = [];
    this.bodies = [];
  }

  private post(message: WriterMessage): void {
    this.thread.postMessage(message);
  }
}

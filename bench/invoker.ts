/** Starts a function bundle in a `worker.ts` child and invokes it over IPC; see worker.ts for the protocol. */
import { type ChildProcess, fork } from 'node:child_process';
import type { ParentMessage, WorkerMessage } from './worker.ts';

export interface WorkerMemory {
  readonly baselineRssMiB: number;
  readonly peakRssMiB: number;
  readonly peakHeapMiB: number;
}

export interface FunctionWorker {
  readonly loadMs: number;
  invoke(event: unknown): Promise<{ ms: number; response: unknown }>;
  /** Ends the child and returns its memory figures. */
  finish(): Promise<WorkerMemory>;
}

/** `workerFile` is the bundled worker (plain Node); `functionFile` the bundle whose `handler` is measured. */
export async function startFunctionWorker(
  workerFile: string,
  functionFile: string,
  env: NodeJS.ProcessEnv,
): Promise<FunctionWorker> {
  const child = fork(workerFile, [functionFile], {
    env,
    execArgv: ['--expose-gc'],
    // The function's log lines go to /dev/null (writing them is part of its cost); errors are kept.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  const next = nextMessage(child, () => stderr);
  const ready = await next();
  if (ready.type !== 'ready') throw new Error(`worker for ${functionFile} did not start: ${describe(ready)}`);
  return {
    loadMs: ready.loadMs,
    async invoke(event) {
      const reply = next();
      child.send({ type: 'invoke', event } satisfies ParentMessage);
      const message = await reply;
      if (message.type !== 'invoked') throw new Error(`invocation failed: ${describe(message)}\n${stderr}`);
      return { ms: message.ms, response: message.response };
    },
    async finish() {
      const reply = next();
      child.send({ type: 'finish' } satisfies ParentMessage);
      const message = await reply;
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      if (message.type !== 'memory') throw new Error(`worker did not report memory: ${describe(message)}`);
      return message;
    },
  };
}

function describe(message: WorkerMessage): string {
  return message.type === 'failed' ? message.error : JSON.stringify(message);
}

/** Messages in arrival order; a child that exits early rejects the waiting reader with its stderr. */
function nextMessage(child: ChildProcess, stderr: () => string): () => Promise<WorkerMessage> {
  const queue: WorkerMessage[] = [];
  const waiting: { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void }[] = [];
  let ended: Error | null = null;
  child.on('message', (message: WorkerMessage) => {
    const reader = waiting.shift();
    if (reader) reader.resolve(message);
    else queue.push(message);
  });
  child.on('exit', (code) => {
    ended = new Error(`worker exited (${code}) before answering\n${stderr()}`);
    for (const reader of waiting.splice(0)) reader.reject(ended);
  });
  return () => {
    const queued = queue.shift();
    if (queued) return Promise.resolve(queued);
    if (ended) return Promise.reject(ended);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

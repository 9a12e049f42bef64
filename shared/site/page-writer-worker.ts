/**
 * The page writer thread (`PageWriterThread`): writes the pages it is sent, in order, each only when its bytes
 * changed, and answers the final message with what it wrote. After a failure it writes nothing more (the
 * build fails with that error).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PROGRESS, type WriterMessage, type WriterReply } from './page-writer-protocol.ts';
import { ChangedFileWriter } from './write-changed.ts';

const progress = new Int32Array((workerData as { progress: SharedArrayBuffer }).progress);
let writer: ChangedFileWriter | null = null;
let failure: { error: unknown } | null = null;

parentPort?.on('message', (message: WriterMessage) => {
  switch (message.kind) {
    case 'begin':
      writer = new ChangedFileWriter(message.outDir, message.fresh);
      return;
    case 'pages':
      if (!failure) {
        try {
          if (!writer) throw new Error('the page writer was sent pages before the output folder');
          for (const [i, path] of message.paths.entries()) {
            writer.write({ path, body: message.bodies[i] as string });
          }
        } catch (error) {
          failure = { error };
        }
      }
      Atomics.add(progress, PROGRESS.batchesDone, 1);
      return;
    case 'end': {
      const reply: WriterReply = failure ?? {
        result: { written: writer?.written ?? [], unchanged: writer?.unchanged ?? 0 },
      };
      parentPort?.postMessage(reply);
      parentPort?.close();
      return;
    }
  }
});

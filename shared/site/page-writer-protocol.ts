/**
 * What the main thread and the page writer thread say to each other (`page-writer.ts`). A module of its
 * own because the thread loads its modules as CommonJS (see `PageWriterThread`), where `import.meta`, which
 * `page-writer.ts` needs, does not exist.
 */
import type { WriteResult } from './write-changed.ts';

/** Cells of the shared `Int32Array` the writer thread reports its progress in. */
export const PROGRESS = { batchesDone: 0 } as const;

export type WriterMessage =
  | { readonly kind: 'begin'; readonly outDir: string; readonly fresh: boolean }
  | { readonly kind: 'pages'; readonly paths: readonly string[]; readonly bodies: readonly string[] }
  | { readonly kind: 'end' };

export type WriterReply = { readonly result: WriteResult } | { readonly error: unknown };

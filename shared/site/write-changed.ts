import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file to put in the output folder: bytes in hand, or loaded when its turn comes (a picture to copy). */
export type OutputFile =
  | { readonly path: string; readonly body: string | Uint8Array }
  | { readonly path: string; readonly load: () => Uint8Array };

export interface WriteResult {
  readonly written: readonly string[];
  readonly unchanged: number;
}

/**
 * Writes each file under `outDir` only when its bytes differ from what is there, so an unchanged site
 * keeps its timestamps (rsync and `aws s3 sync` then upload only what changed).
 *
 * Synchronous on purpose: for thousands of small files, measured here (10,000 pages of 6 KB), plain
 * sequential calls beat a pool of 32 concurrent promise-based ones by 1.5-2x, cold and warm, because
 * the thread pool's hand-offs cost more than the system calls they wrap. A CLI build has nothing else
 * to do meanwhile (and a large build runs one writer per thread, see `parallel-articles.ts`).
 */
export class ChangedFileWriter {
  readonly written: string[] = [];
  unchanged = 0;
  private readonly madeDirs = new Set<string>();

  /**
   * @param fresh the output folder was missing or empty when the build began: nothing can be there to
   *   compare with, so the read that would find that out is skipped (one failed open per file).
   */
  constructor(
    private readonly outDir: string,
    private readonly fresh: boolean,
  ) {}

  write(file: OutputFile): void {
    const target = join(this.outDir, file.path);
    const bytes = bytesOf(file);
    if (!this.fresh) {
      const existing = readExisting(target);
      if (existing && Buffer.compare(existing, bytes) === 0) {
        this.unchanged += 1;
        return;
      }
    }
    const dir = dirname(target);
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    writeFileSync(target, bytes);
    this.written.push(file.path);
  }
}

export function writeChangedFiles(outDir: string, files: Iterable<OutputFile>, fresh = false): WriteResult {
  const writer = new ChangedFileWriter(outDir, fresh);
  for (const file of files) writer.write(file);
  return { written: writer.written, unchanged: writer.unchanged };
}

/** True when `dir` does not exist yet or holds nothing: a first build, where no output can be unchanged. */
export function isFreshOutput(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch (error) {
    // Anything else (not a folder, no permission) fails at the first write, with the reason, as before.
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function readExisting(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

function bytesOf(file: OutputFile): Uint8Array {
  if ('load' in file) return file.load();
  return typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : file.body;
}

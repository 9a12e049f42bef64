import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ObjectStore } from '../store/object-store.ts';
import { inboxContentType } from './inbox-content-type.ts';

/**
 * `dropfeed dev --watch DIR`: keeps the inbox in step with a local folder (adds, edits, deletions),
 * starting with a full sync. Node 20's recursive `fs.watch` does not work on Linux, so the folder is
 * polled (mtime + size); a file is uploaded once it has looked the same for two polls, so a half-written
 * file is not published. Only keys this mirror uploaded are ever deleted from the inbox (they are
 * remembered in `manifestPath`, across restarts): a file dropped into the inbox by other means stays.
 */
export interface FolderMirrorOptions {
  readonly dir: string;
  readonly store: ObjectStore;
  /** JSON file remembering which keys came from this folder, with the MD5 of what was uploaded. */
  readonly manifestPath: string;
  /** @default 500 */
  readonly intervalMs?: number;
  /** The walk stops here, so a mistaken `--watch ~` cannot run away. @default 10000 */
  readonly maxFiles?: number;
  readonly onChange?: (change: MirrorChange) => void;
  readonly onError?: (error: Error) => void;
}

export interface MirrorChange {
  readonly key: string;
  readonly action: 'upload' | 'delete';
}

export interface FolderMirror {
  /** Resolves after the initial sync. */
  readonly ready: Promise<void>;
  /** One poll, now (tests; the timer keeps polling on its own). */
  poll(): Promise<void>;
  close(): Promise<void>;
}

interface FileStat {
  readonly mtimeMs: number;
  readonly size: number;
}

const IGNORED = /(^|\/)\.|~$|\.(swp|swx|tmp|part|crdownload)$/i;

export function startFolderMirror(options: FolderMirrorOptions): FolderMirror {
  const intervalMs = options.intervalMs ?? 500;
  const maxFiles = options.maxFiles ?? 10_000;
  /** Stats of the files as last mirrored. */
  const mirrored = new Map<string, FileStat>();
  /** Files seen changed once, waiting for a second identical look. */
  const settling = new Map<string, FileStat>();
  let manifest = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  let warnedLimit = false;

  const report = (error: unknown) =>
    options.onError?.(error instanceof Error ? error : new Error(String(error)));

  async function walk(): Promise<Map<string, FileStat>> {
    const files = new Map<string, FileStat>();
    const queue = [options.dir];
    while (queue.length > 0) {
      const folder = queue.shift() as string;
      // An unreadable root must abort the poll: read as "empty", it would delete every mirrored article.
      const entries =
        folder === options.dir
          ? await readdir(folder, { withFileTypes: true })
          : await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(folder, entry.name);
        const key = relative(options.dir, path).split(sep).join('/');
        if (IGNORED.test(key)) continue;
        if (entry.isDirectory()) {
          queue.push(path);
          continue;
        }
        if (!entry.isFile()) continue;
        if (files.size >= maxFiles) {
          if (!warnedLimit)
            report(
              new Error(`--watch: more than ${maxFiles} files under ${options.dir}; the rest are ignored`),
            );
          warnedLimit = true;
          return files;
        }
        const info = await stat(path).catch(() => null);
        if (info) files.set(key, { mtimeMs: info.mtimeMs, size: info.size });
      }
    }
    return files;
  }

  async function upload(key: string, seen: FileStat): Promise<void> {
    const body = await readFile(join(options.dir, ...key.split('/')));
    const md5 = createHash('md5').update(body).digest('hex');
    if (manifest.get(key) !== md5) {
      await options.store.put(key, body, { contentType: inboxContentType(key) });
      manifest.set(key, md5);
      options.onChange?.({ key, action: 'upload' });
    }
    mirrored.set(key, seen);
  }

  async function remove(key: string): Promise<void> {
    mirrored.delete(key);
    settling.delete(key);
    if (!manifest.has(key)) return;
    await options.store.delete(key);
    manifest.delete(key);
    options.onChange?.({ key, action: 'delete' });
  }

  async function initialSync(): Promise<void> {
    manifest = await loadManifest(options.manifestPath);
    const inbox = new Map<string, string>();
    for await (const object of options.store.list('')) inbox.set(object.key, object.etag.replace(/"/g, ''));
    // What the inbox holds already counts as uploaded: an unchanged folder causes no traffic at start.
    for (const [key, etag] of inbox) if (manifest.has(key)) manifest.set(key, etag);
    const files = await walk();
    for (const [key, seen] of files) {
      const etag = inbox.get(key);
      if (etag !== undefined && !manifest.has(key)) manifest.set(key, etag);
      await upload(key, seen).catch(report);
    }
    for (const key of [...manifest.keys()]) {
      if (!files.has(key)) {
        if (inbox.has(key)) await remove(key).catch(report);
        else manifest.delete(key);
      }
    }
    await saveManifest(options.manifestPath, manifest);
  }

  async function pollOnce(): Promise<void> {
    const files = await walk();
    let changed = false;
    for (const [key, seen] of files) {
      const last = mirrored.get(key);
      if (last && same(last, seen)) {
        settling.delete(key);
        continue;
      }
      const previous = settling.get(key);
      if (previous && same(previous, seen)) {
        settling.delete(key);
        await upload(key, seen).catch(report);
        changed = true;
      } else {
        settling.set(key, seen);
      }
    }
    for (const key of [...mirrored.keys()]) {
      if (!files.has(key)) {
        await remove(key).catch(report);
        changed = true;
      }
    }
    for (const key of [...settling.keys()]) if (!files.has(key)) settling.delete(key);
    if (changed) await saveManifest(options.manifestPath, manifest).catch(report);
  }

  function serialised(task: () => Promise<void>): Promise<void> {
    running = running.then(task, task);
    return running;
  }

  function loop(): void {
    if (closed) return;
    timer = setTimeout(() => {
      timer = null;
      void serialised(pollOnce).catch(report).finally(loop);
    }, intervalMs);
  }

  const ready = serialised(initialSync).then(loop);
  return {
    ready,
    poll: () => serialised(pollOnce),
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running.catch(() => {});
    },
  };
}

function same(a: FileStat, b: FileStat): boolean {
  return a.mtimeMs === b.mtimeMs && a.size === b.size;
}

async function loadManifest(path: string): Promise<Map<string, string>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return new Map(
        Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
    }
  } catch {
    // No manifest yet (first --watch of this folder) or an unreadable one: start afresh.
  }
  return new Map();
}

async function saveManifest(path: string, manifest: Map<string, string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(Object.fromEntries([...manifest].sort()), null, 2)}\n`);
  await rename(temporary, path);
}

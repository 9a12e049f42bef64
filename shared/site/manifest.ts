import { readFileSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The list of files the last build wrote, kept in the output folder, so the next build can remove the pages
 * and pictures of articles that left the inbox, and only those: a file the build did not write itself (a
 * CNAME, a robots.txt the user added) is never touched.
 */
export const MANIFEST_FILE = '.dropfeed-manifest.json';

interface Manifest {
  readonly v: 1;
  readonly files: readonly string[];
}

/** Paths the previous build recorded; none when there is no manifest or it is unreadable. */
export function readManifest(outDir: string): string[] {
  try {
    const data = JSON.parse(readFileSync(join(outDir, MANIFEST_FILE), 'utf8')) as Partial<Manifest>;
    if (data.v !== 1 || !Array.isArray(data.files)) return [];
    return data.files.filter((p): p is string => typeof p === 'string' && isSafeRelativePath(p));
  } catch {
    return [];
  }
}

export function writeManifest(outDir: string, files: readonly string[]): void {
  const manifest: Manifest = { v: 1, files: [...files].sort() };
  writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
}

/**
 * Deletes what the previous build wrote and this one did not, then the folders that left empty
 * (`articles/<slug>/`). Returns the removed paths.
 */
export function removeStale(
  outDir: string,
  previous: readonly string[],
  current: ReadonlySet<string>,
): string[] {
  const removed: string[] = [];
  for (const path of previous) {
    if (current.has(path)) continue;
    try {
      unlinkSync(join(outDir, path));
      removed.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    removeEmptyParents(outDir, path);
  }
  return removed;
}

function removeEmptyParents(outDir: string, path: string): void {
  for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) {
    try {
      rmdirSync(join(outDir, dir));
    } catch {
      return; // not empty (or already gone): stop climbing
    }
  }
}

// A manifest is data read back from disk: never let it name a file outside the output folder.
function isSafeRelativePath(path: string): boolean {
  return (
    path !== '' && !path.startsWith('/') && !path.split(/[\\/]/).some((part) => part === '..' || part === '')
  );
}

import { readdirSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/**
 * One file found in the inbox folder; `key` is its path relative to the folder, with '/' separators. Its
 * size and time are read when the file is (`readArticle`): one stat per file less, thousands of times over.
 */
export interface InboxFile {
  readonly key: string;
  readonly path: string;
}

/** Something in the folder that is not a regular file (a symlink, a socket); reported, never followed. */
export interface SkippedPath {
  readonly path: string;
  readonly reason: string;
}

/**
 * Every regular file under `root`, in key order (code units, the order S3 lists keys in). Folders named in
 * `exclude` are not entered: the output folder may sit inside the inbox. Symlinks are not followed, so a
 * link loop or a link out of the inbox cannot pull in other files. Synchronous: for a folder of thousands
 * of small files it is several times faster than the promise API, and the build has nothing to overlap.
 */
export function scanFolder(
  root: string,
  exclude: readonly string[] = [],
): { files: InboxFile[]; skipped: SkippedPath[] } {
  const excluded = new Set(exclude.map((dir) => resolve(dir)));
  const files: InboxFile[] = [];
  const skipped: SkippedPath[] = [];
  const walk = (dir: string, prefix: string) => {
    // `dir` is absolute and normalised, a name holds no separator: concatenation is `join`, and cheaper.
    const parent = dir.endsWith(sep) ? dir : dir + sep;
    for (const dirent of readdirSync(dir, { withFileTypes: true })) {
      const path = parent + dirent.name;
      const key = prefix + dirent.name;
      if (dirent.isDirectory()) {
        if (!excluded.has(path)) walk(path, `${key}/`);
      } else if (dirent.isFile()) {
        files.push({ key, path });
      } else {
        skipped.push({
          path,
          reason: dirent.isSymbolicLink() ? 'symbolic link, not followed' : 'not a regular file',
        });
      }
    }
  };
  walk(resolve(root), '');
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}

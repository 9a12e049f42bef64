import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ObjectStore } from '../store/object-store.ts';
import { inboxContentType } from './inbox-content-type.ts';

/**
 * The package's `examples/` folder: the articles a first `npm start` publishes, so no feed starts empty.
 * Found from the nearest `package.json` up, because this module runs both from `shared/dev/` and bundled
 * into `dist/` (`bin/cli-bundle.js`).
 */
export const EXAMPLES_DIR = join(packageRoot(fileURLToPath(import.meta.url)), 'examples');

function packageRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Articles and the pictures beside them; not dotfiles, not the folder's README, not test oracles. */
const SAMPLE_FILE = /^[^.].*\.(txt|text|md|markdown|jpe?g|png|gif|webp)$/i;

/** True when the bucket holds no object at all. */
export async function isEmpty(store: ObjectStore): Promise<boolean> {
  for await (const _ of store.list('')) return false;
  return true;
}

/** Uploads every file of `dir` (not recursive, dotfiles skipped) into the inbox; returns the keys. */
export async function uploadSamples(store: ObjectStore, dir: string = EXAMPLES_DIR): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const keys: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isFile() || !SAMPLE_FILE.test(entry.name) || /^readme\b/i.test(entry.name)) continue;
    const body = await readFile(`${dir}/${entry.name}`);
    await store.put(entry.name, body, { contentType: inboxContentType(entry.name) });
    keys.push(entry.name);
  }
  return keys;
}

/**
 * The CLI runs from a bundle of its TypeScript that esbuild writes into `dist/` on first use, and again
 * whenever one of the sources it was built from changes: Node then loads a few files instead of compiling
 * about a hundred modules through tsx and resolving its packages' files one by one (an empty
 * `dropfeed build`: 80 ms instead of 250, most of it Node's own start). Plain JavaScript, because it runs before anything can load TypeScript.
 *
 * Each bundle lives in a folder of its own, named in `dist/current.json` once complete, so a process still
 * running from an older bundle (`dropfeed dev` loads chunks lazily) never sees its files replaced.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The entry points, relative to the package root, and the file each becomes in a bundle folder. */
export const BUNDLE_ENTRIES = {
  main: 'cli/main.ts',
  'page-writer-worker': 'shared/site/page-writer-worker.ts',
};

/** Older bundles are removed a day after they were replaced: long enough for any process still using one. */
const OLD_BUNDLE_MS = 24 * 60 * 60 * 1000;

/**
 * The current bundle's entry module (`main.mjs`), when every source it was built from still has the size
 * and modification time it had then; otherwise null.
 */
export function freshBundle(root) {
  let current;
  try {
    current = JSON.parse(readFileSync(join(root, 'dist', 'current.json'), 'utf8'));
  } catch {
    return null;
  }
  for (const [path, stamp] of Object.entries(current.inputs ?? {})) {
    try {
      if (sourceStamp(join(root, path)) !== stamp) return null;
    } catch {
      return null; // a source was removed or renamed
    }
  }
  return join(root, 'dist', current.id, 'main.mjs');
}

/** Bundles the CLI into a new folder under `dist/`, names it current, and returns its entry module. */
export async function buildBundle(root) {
  const { build } = await import('esbuild');
  const dist = join(root, 'dist');
  const id = `cli-${Date.now().toString(36)}-${process.pid}`;
  const staging = join(dist, `.${id}`);
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(
      Object.entries(BUNDLE_ENTRIES).map(([out, src]) => [out, join(root, src)]),
    ),
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    // Flat: `page-writer.ts` finds the worker beside the chunk it is bundled into.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true, // each command's modules load only when that command runs, as under tsx
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Packages are bundled too (their files are inputs, so `npm ci` makes the bundle stale): resolving and
    // reading a few dozen package files cost an empty build 40 ms. Not those that load files of their own
    // or are large and only wanted by `dropfeed dev`.
    external: ['@aws-sdk/*', '@smithy/*', 's3rver', 'esbuild', 'tsx'],
    // Bundled CommonJS packages `require` Node's modules, which an ES module has no `require` for.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = {};
  for (const path of Object.keys(result.metafile.inputs)) inputs[path] = sourceStamp(join(root, path));
  renameSync(staging, join(dist, id));
  const pointer = join(dist, `.current-${id}.json`);
  writeFileSync(pointer, `${JSON.stringify({ id, inputs }, null, 1)}\n`);
  renameSync(pointer, join(dist, 'current.json'));
  removeOldBundles(dist, id);
  return join(dist, id, 'main.mjs');
}

function sourceStamp(path) {
  const { size, mtimeMs } = statSync(path);
  return `${size}:${mtimeMs}`;
}

function removeOldBundles(dist, keep) {
  const now = Date.now();
  for (const name of readdirSync(dist)) {
    if (name === keep || name === 'current.json') continue;
    const path = join(dist, name);
    try {
      if (now - statSync(path).mtimeMs > OLD_BUNDLE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another dropfeed
    }
  }
}

/**
 * The CLI's `main`: from the bundle, rebuilt first when stale; through tsx when no bundle can be built
 * here (a read-only install, esbuild missing) or when DROPFEED_TSX=1 asks for the sources themselves.
 */
export async function loadCli(root) {
  if (process.env.DROPFEED_TSX !== '1') {
    let entry = freshBundle(root);
    if (!entry) {
      try {
        mkdirSync(join(root, 'dist'), { recursive: true });
        entry = await buildBundle(root);
      } catch {
        entry = null;
      }
    }
    if (entry) return import(pathToFileURL(entry).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(root, 'cli', 'main.ts')).href);
}

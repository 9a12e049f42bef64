/**
 * The CLI runs from a bundle of its TypeScript that esbuild writes into `dist/` on first use, and again
 * whenever one of the sources it was built from changes, and with V8's code cache for it: Node then reads
 * one file and skips compiling what the last run of the same command compiled, instead of compiling about a
 * hundred modules through tsx (an empty `dropfeed build`: about 70 ms instead of 250, most of it Node's own
 * start). Plain JavaScript, because it runs before anything can load TypeScript.
 *
 * Each bundle lives in a folder of its own, named in `dist/current.json` once complete, so a process still
 * running from an older bundle never sees its files replaced.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constants, Script } from 'node:vm';

/** The CLI (CommonJS, so V8's code cache applies: Node 20 has none for ES modules) and the page writer thread. */
export const CLI_ENTRY = 'cli/main.ts';
export const WORKER_ENTRY = 'shared/site/page-writer-worker.ts';

/**
 * Not bundled: packages that load files of their own or that only some commands need (the AWS SDK and
 * s3rver for `dropfeed dev`); they load from node_modules when first used, as do the packages only Markdown
 * articles need, which the Lambda also keeps out of its bundle (`LAZY_PACKAGES`).
 */
const EXTERNAL = ['@aws-sdk/*', '@smithy/*', 's3rver', 'esbuild', 'tsx'];

/** How bundles are made: a change to these makes the bundle stale as a change to a source does. */
const LAUNCHER_FILES = [
  fileURLToPath(import.meta.url),
  fileURLToPath(new URL('../infra/lazy-packages.mjs', import.meta.url)),
];

/** Older bundles are removed a day after they were replaced: long enough for any process still using one. */
const OLD_BUNDLE_MS = 24 * 60 * 60 * 1000;

/**
 * The current bundle's CLI file (`cli.cjs`), when every source it was built from still has the size and
 * modification time it had then; otherwise null.
 */
export function freshBundle(root) {
  let current;
  try {
    current = JSON.parse(readFileSync(join(root, 'dist', 'current.json'), 'utf8'));
  } catch {
    return null;
  }
  const stamps = [
    ...Object.entries(current.inputs ?? {}).map(([path, stamp]) => [join(root, path), stamp]),
    ...Object.entries(current.launcher ?? {}),
  ];
  for (const [path, stamp] of stamps) {
    try {
      if (sourceStamp(path) !== stamp) return null;
    } catch {
      return null; // a source was removed or renamed
    }
  }
  return join(root, 'dist', current.id, 'cli.cjs');
}

/** Bundles the CLI into a new folder under `dist/`, names it current, and returns its CLI file. */
export async function buildBundle(root) {
  const { build } = await import('esbuild');
  const { LAZY_PACKAGES } = await import('../infra/lazy-packages.mjs');
  const dist = join(root, 'dist');
  const id = `cli-${Date.now().toString(36)}-${process.pid}`;
  const staging = join(dist, `.${id}`);
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: [...EXTERNAL, ...LAZY_PACKAGES],
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
  };
  const cli = await build({
    ...common,
    entryPoints: [join(root, CLI_ENTRY)],
    outfile: join(staging, 'cli.cjs'),
    format: 'cjs',
    // `import()` of a package left outside becomes `require`: code run by vm.Script has no module loader.
    supported: { 'dynamic-import': false },
    // The sources read `import.meta.url` (to find the page writer, the examples, s3rver): the bundle's own.
    define: { 'import.meta.url': '__dropfeedBundleUrl' },
    banner: { js: "const __dropfeedBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  // Beside cli.cjs, where `page-writer.ts`, bundled, looks for it.
  const worker = await build({
    ...common,
    entryPoints: [join(root, WORKER_ENTRY)],
    outfile: join(staging, 'page-writer-worker.mjs'),
    format: 'esm',
  });
  const inputs = {};
  for (const path of [...Object.keys(cli.metafile.inputs), ...Object.keys(worker.metafile.inputs)]) {
    inputs[path] = sourceStamp(join(root, path));
  }
  renameSync(staging, join(dist, id));
  const pointer = join(dist, `.current-${id}.json`);
  const launcher = Object.fromEntries(LAUNCHER_FILES.map((path) => [path, sourceStamp(path)]));
  writeFileSync(pointer, `${JSON.stringify({ id, inputs, launcher }, null, 1)}\n`);
  renameSync(pointer, join(dist, 'current.json'));
  removeOldBundles(dist, id);
  return join(dist, id, 'cli.cjs');
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
 * Runs a bundle as Node runs a CommonJS module, with the code cache kept under `cacheName` beside it (one per
 * command: each compiles different functions). `saveCache()` after the work writes what V8 compiled, when
 * there was no cache or V8 refused it (another Node version); a cache never changes what the code does.
 */
export function loadBundle(file, cacheName) {
  const cacheFile = `${file}.${cacheName.replace(/[^a-z0-9-]/gi, '_')}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    // Any `import()` the bundle still holds resolves as it would in a module Node loaded itself.
    ...(constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER
      ? { importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }
      : {}),
  });
  const cache = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} };
  const require = createRequire(pathToFileURL(file));
  script.runInThisContext()(module.exports, require, module, file, join(file, '..'));
  return {
    exports: module.exports,
    cache,
    saveCache() {
      if (cache === 'accepted') return;
      try {
        const staging = `${cacheFile}.${process.pid}`;
        writeFileSync(staging, script.createCachedData());
        renameSync(staging, cacheFile);
      } catch {
        // a cache is an optimisation: an unwritable dist/ only costs the next run its compile time
      }
    },
  };
}

/**
 * The CLI's `main` and what to do once it has finished: from the bundle, rebuilt first when stale; through
 * tsx when no bundle can be built here (a read-only install, esbuild missing) or when DROPFEED_TSX=1 asks
 * for the sources themselves.
 */
export async function loadCli(root, command) {
  if (process.env.DROPFEED_TSX !== '1') {
    let file = freshBundle(root);
    if (!file) {
      try {
        mkdirSync(join(root, 'dist'), { recursive: true });
        file = await buildBundle(root);
      } catch {
        file = null;
      }
    }
    if (file) {
      const bundle = loadBundle(file, command || 'none');
      return { main: bundle.exports.main, finished: () => bundle.saveCache() };
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(pathToFileURL(join(root, 'cli', 'main.ts')).href);
  return { main, finished: () => {} };
}

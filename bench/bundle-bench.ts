/** Section 5 of BENCHMARKS.md: the Lambda bundle's size and cold load against a bare S3-client handler. */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bundleLazyPackages, LAZY_PACKAGES } from '../infra/lazy-packages.mjs';
import {
  type BundleInfo,
  type BundleOptions,
  bundleEntry,
  FALLBACK_BUNDLE_OPTIONS,
  measureColdLoads,
  measureNodeStart,
} from './bundle.ts';
import type { BundleMeasure } from './results-model.ts';

export interface LambdaBundling {
  readonly options: BundleOptions;
  /** NODE_OPTIONS the function runs with (e.g. `--enable-source-maps`), applied to both cold loads. */
  readonly nodeOptions: string;
  readonly source: string;
}

/**
 * The construct's own bundling settings, read from infra/defaults.ts so the bench bundles what CDK deploys.
 * The target stays node20 (the Node here); the deployed node24 target changes no syntax the handler uses.
 */
export async function lambdaBundling(): Promise<LambdaBundling> {
  try {
    const defaults = (await import('../infra/defaults.ts')) as {
      bundlingDefaults(): {
        format?: string;
        minify?: boolean;
        sourceMap?: boolean;
        sourcesContent?: boolean;
        externalModules?: string[];
        banner?: string;
        mainFields?: string[];
      };
      functionDefaults(): { environment?: Record<string, string> };
    };
    const b = defaults.bundlingDefaults();
    return {
      options: {
        format: b.format === 'cjs' ? 'cjs' : 'esm',
        target: 'node20',
        minify: b.minify ?? false,
        sourcemap: b.sourceMap ?? false,
        sourcesContent: b.sourcesContent ?? true,
        external: b.externalModules ?? ['@aws-sdk/*'],
        ...(b.banner ? { banner: b.banner } : {}),
        ...(b.mainFields ? { mainFields: b.mainFields } : {}),
      },
      nodeOptions: defaults.functionDefaults().environment?.NODE_OPTIONS ?? '',
      source: 'infra/defaults.ts (bundlingDefaults, functionDefaults)',
    };
  } catch (error) {
    return {
      options: FALLBACK_BUNDLE_OPTIONS,
      nodeOptions: '',
      source: `built-in defaults (infra/defaults.ts unreadable: ${(error as Error).message.split('\n')[0]})`,
    };
  }
}

export function bundleFile(tmpDir: string, name: string, format: 'esm' | 'cjs'): string {
  return join(tmpDir, 'bundles', name, format === 'esm' ? 'index.mjs' : 'index.cjs');
}

export interface FunctionBundles {
  /** functions/ingest.ts, bundled as CDK bundles it. */
  readonly handler: BundleInfo;
  /** bench/naive-handler.ts, bundled the same way. */
  readonly naive: BundleInfo;
  /** bench/worker.ts, the harness the functions run in. */
  readonly worker: string;
  /** The packages beside the handler's bundle, read on the first Markdown article. */
  readonly lazyPackages: NonNullable<BundleMeasure['lazyPackages']>;
}

/** Bundles the measured functions and their harness into `tmpDir`. */
export async function bundleFunctions(tmpDir: string, bundling: LambdaBundling): Promise<FunctionBundles> {
  const { options } = bundling;
  const worker = join(tmpDir, 'worker.mjs');
  await build({
    entryPoints: ['bench/worker.ts'],
    outfile: worker,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
  });
  const handler = await bundleEntry(
    'functions/ingest.ts',
    bundleFile(tmpDir, 'ingest', options.format),
    options,
  );
  const naive = await bundleEntry(
    'bench/naive-handler.ts',
    bundleFile(tmpDir, 'naive', options.format),
    options,
  );
  // As CDK's afterBundling hook does (infra/defaults.ts), the packages kept out of the bundles go into a
  // node_modules they resolve from: one copy, in the folder above both functions' own.
  const lazyPackages = LAZY_PACKAGES.some((name) => options.external.includes(name))
    ? await Promise.all((await bundleLazyPackages(join(tmpDir, 'bundles'))).map(lazyPackageSize))
    : [];
  return { handler, naive, worker, lazyPackages };
}

async function lazyPackageSize(file: string) {
  const bytes = await readFile(file);
  return { name: basename(dirname(file)), bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
}

/** Bundles the bare handler with the real one's settings and loads each `runs` times, in turns. */
export async function measureBundles(
  tmpDir: string,
  bundling: LambdaBundling,
  handler: BundleInfo,
  runs: number,
  env: NodeJS.ProcessEnv,
  lazyPackages: FunctionBundles['lazyPackages'] = [],
): Promise<BundleMeasure> {
  const { options } = bundling;
  const bare = await bundleEntry(
    'bench/bare-handler.ts',
    bundleFile(tmpDir, 'bare', options.format),
    options,
  );
  const coldEnv = { ...env, NODE_OPTIONS: bundling.nodeOptions };
  // Source maps make Node read and parse the bundle's .map at load: measured apart, so its share is known.
  const sourceMaps = /--enable-source-maps/.test(bundling.nodeOptions) && options.sourcemap;
  const withoutMaps = {
    ...env,
    NODE_OPTIONS: bundling.nodeOptions.replace('--enable-source-maps', '').trim(),
  };
  const [handlerCold, bareCold, handlerNoMaps] = await measureColdLoads(
    [
      { file: handler.file, env: coldEnv },
      { file: bare.file, env: coldEnv },
      ...(sourceMaps ? [{ file: handler.file, env: withoutMaps }] : []),
    ],
    runs,
  );
  if (!handlerCold || !bareCold) throw new Error('cold-load measurement returned nothing');
  return {
    handler: { bytes: handler.bytes, gzipBytes: handler.gzipBytes, cold: handlerCold },
    bare: { bytes: bare.bytes, gzipBytes: bare.gzipBytes, cold: bareCold },
    handlerWithoutSourceMaps: handlerNoMaps ?? null,
    nodeOptions: bundling.nodeOptions,
    nodeStartMs: await measureNodeStart(Math.min(runs, 10), coldEnv),
    format: options.format,
    lazyPackages,
  };
}

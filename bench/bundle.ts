/**
 * Bundles a Lambda entry point the way CDK's NodejsFunction does (esbuild, platform node, target node20,
 * minified, `@aws-sdk/*` external because the Lambda runtime provides it) and measures the bundle's size and
 * cold module-load time.
 *
 * Fairness: both the real handler and the bare S3-client handler resolve `@aws-sdk/client-s3` from the
 * project's node_modules at load time, as both resolve it from the runtime's copy in Lambda, so the SDK's
 * own load cost is on both sides and the difference is exactly the code we ship.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { median } from './stats.ts';

/** The esbuild settings CDK's NodejsFunction derives from the construct's `bundling` options. */
export interface BundleOptions {
  readonly format: 'esm' | 'cjs';
  readonly target: string;
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly sourcesContent: boolean;
  readonly external: readonly string[];
  readonly banner?: string;
  readonly mainFields?: readonly string[];
}

/** What the brief describes, used when infra/defaults.ts cannot be read. */
export const FALLBACK_BUNDLE_OPTIONS: BundleOptions = {
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: false,
  sourcesContent: false,
  external: ['@aws-sdk/*'],
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
};

export interface BundleInfo {
  readonly file: string;
  /** The bundle's bytes (a linked source map, if any, is not counted: it is read only on errors). */
  readonly bytes: number;
  readonly gzipBytes: number;
}

export async function bundleEntry(
  entry: string,
  outfile: string,
  options: BundleOptions,
): Promise<BundleInfo> {
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: options.target,
    format: options.format,
    minify: options.minify,
    sourcemap: options.sourcemap,
    sourcesContent: options.sourcesContent,
    external: [...options.external],
    logLevel: 'error',
    ...(options.banner ? { banner: { js: options.banner } } : {}),
    ...(options.mainFields ? { mainFields: [...options.mainFields] } : {}),
  });
  const bytes = (await stat(outfile)).size;
  const gzipBytes = gzipSync(await readFile(outfile)).length;
  return { file: outfile, bytes, gzipBytes };
}

export interface ColdLoad {
  /** Median time of `await import(bundle)` in a fresh process, ms. */
  readonly importMs: number;
  /** Median wall time of the whole `node` process (start, import, exit), ms. */
  readonly processMs: number;
  readonly runs: number;
}

/**
 * Imports each bundle in `runs` fresh Node processes (each with its environment) and takes medians. The
 * entries take turns, so drift in the shared machine's load hits all of them alike.
 */
export async function measureColdLoads(
  entries: readonly { readonly file: string; readonly env: NodeJS.ProcessEnv }[],
  runs: number,
): Promise<ColdLoad[]> {
  const imports = entries.map(() => [] as number[]);
  const processes = entries.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [index, { file, env }] of entries.entries()) {
      const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
      const started = performance.now();
      const out = await runNode(['--input-type=module', '-e', script], dirname(file), env);
      processes[index]?.push(performance.now() - started);
      imports[index]?.push(Number(out));
    }
  }
  return entries.map((_, index) => ({
    importMs: median(imports[index] ?? []),
    processMs: median(processes[index] ?? []),
    runs,
  }));
}

/** Median wall time of `node -e 0`: the process start every cold load pays. */
export async function measureNodeStart(runs: number, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await runNode(['-e', '0'], process.cwd(), env);
    times.push(performance.now() - started);
  }
  return median(times);
}

function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout.trim());
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

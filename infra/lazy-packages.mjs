/**
 * The packages only a Markdown article needs, shipped beside the Lambda bundle rather than inside it.
 *
 * The handler imports them on its first Markdown article (`shared/article/markdown-deps.ts`), yet inside the
 * one-file bundle CDK makes they were three quarters of its bytes, which Node compiles (and whose source map
 * it reads) at every cold start: 20 ms of the 100 a cold import took. Kept external in the main bundle and
 * bundled here into `node_modules/<name>/index.mjs` of the same asset, each is a file of its own that Node
 * reads only when `import('<name>')` first runs; under tsx and vitest the same specifiers find the packages.
 *
 * Plain JavaScript so that CDK's `afterBundling` hook can run it with `node` alone:
 * `node infra/lazy-packages.mjs OUTPUT_DIR`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Imported only through their default export (`markdown-deps.ts`), which is all each bundle offers. */
export const LAZY_PACKAGES = ['markdown-it', 'sanitize-html', 'yaml'];

const PROJECT_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Bundled CommonJS code calls `require` for Node's own modules; an ES module has to make one. */
const REQUIRE_BANNER =
  "import { createRequire as __lazyCreateRequire } from 'node:module'; const require = __lazyCreateRequire(import.meta.url);";

/**
 * Writes `<outputDir>/node_modules/<name>/` for every lazy package: an ES module bundle of the package and its
 * dependencies, and a package.json that makes `import('<name>')` find it.
 */
export async function bundleLazyPackages(outputDir, options = {}) {
  const { build } = await import('esbuild');
  const written = [];
  for (const name of LAZY_PACKAGES) {
    const dir = join(outputDir, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    await build({
      stdin: { contents: `export { default } from '${name}';\n`, resolveDir: PROJECT_ROOT, loader: 'js' },
      outfile: join(dir, 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: options.target ?? 'node20',
      minify: options.minify ?? true,
      sourcemap: options.sourcemap ?? false,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      banner: { js: REQUIRE_BANNER },
      logLevel: 'error',
    });
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name, private: true, type: 'module', exports: './index.mjs' }, null, 2)}\n`,
    );
    written.push(join(dir, 'index.mjs'));
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [outputDir, target] = process.argv.slice(2);
  if (!outputDir) {
    process.stderr.write('usage: node infra/lazy-packages.mjs OUTPUT_DIR [TARGET]\n');
    process.exit(2);
  }
  await bundleLazyPackages(outputDir, { target: target ?? 'node20' });
}

/**
 * `bin/dropfeed.js` runs the CLI from an esbuild bundle kept in `dist/` (`bin/cli-bundle.js`). The bundle
 * must never be stale (a changed or removed source is noticed and the bundle rebuilt) and must behave as
 * the sources do under tsx, byte for byte.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript without type declarations, as it must run before TypeScript can load.
import { buildBundle, freshBundle, loadBundle } from '../../bin/cli-bundle.js';

const REPO = new URL('../../', import.meta.url).pathname;
const FIXTURE_INBOX = join(REPO, 'tests/build/fixtures/inbox');

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dropfeed-cli-bundle-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A package shaped like dropfeed's, small enough to see what the bundle holds. */
function fakePackage(name: string): string {
  const root = join(work, name);
  mkdirSync(join(root, 'cli'), { recursive: true });
  mkdirSync(join(root, 'shared/site'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  writeFileSync(
    join(root, 'cli/main.ts'),
    "import { word } from '../shared/word.ts';\nexport async function main(): Promise<string> { return word; }\n",
  );
  writeFileSync(join(root, 'shared/word.ts'), "export const word: string = 'first';\n");
  writeFileSync(join(root, 'shared/site/page-writer-worker.ts'), 'export {};\n');
  return root;
}

interface LoadedBundle {
  exports: { main(): Promise<string> };
  cache: 'absent' | 'accepted' | 'rejected';
  saveCache(): void;
}

async function runMain(entry: string): Promise<string> {
  const bundle = loadBundle(entry, 'test') as LoadedBundle;
  return bundle.exports.main();
}

describe('the CLI bundle', () => {
  it('is built when missing, reused while its sources are unchanged, rebuilt when one changes', async () => {
    const root = fakePackage('changes');
    expect(freshBundle(root)).toBeNull();
    const first: string = await buildBundle(root);
    expect(await runMain(first)).toBe('first');
    expect(freshBundle(root)).toBe(first);

    writeFileSync(join(root, 'shared/word.ts'), "export const word: string = 'second';\n");
    expect(freshBundle(root)).toBeNull();
    const second: string = await buildBundle(root);
    expect(second).not.toBe(first);
    expect(await runMain(second)).toBe('second');
    // The bundle a running process may still be using stays in place.
    expect(existsSync(first)).toBe(true);
  });

  it('is stale when a source only got a new modification time, or was removed', async () => {
    const root = fakePackage('stamps');
    await buildBundle(root);
    utimesSync(join(root, 'shared/word.ts'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(freshBundle(root)).toBeNull();
    await buildBundle(root);
    expect(freshBundle(root)).not.toBeNull();
    rmSync(join(root, 'shared/word.ts'));
    expect(freshBundle(root)).toBeNull();
  });

  it('is stale when the way it is made changed (the launcher or the Lambda-only package list)', async () => {
    const root = fakePackage('launcher');
    await buildBundle(root);
    const pointer = join(root, 'dist/current.json');
    const current = JSON.parse(readFileSync(pointer, 'utf8'));
    expect(Object.keys(current.launcher).map((path) => relative(REPO, path))).toEqual([
      'bin/cli-bundle.js',
      'infra/lazy-packages.mjs',
    ]);
    expect(freshBundle(root)).not.toBeNull();
    const launcher = Object.keys(current.launcher)[0] as string;
    writeFileSync(
      pointer,
      JSON.stringify({ ...current, launcher: { ...current.launcher, [launcher]: '0:0' } }),
    );
    expect(freshBundle(root)).toBeNull();
  });

  it('records every source it was built from, and nothing from node_modules', async () => {
    const root = fakePackage('inputs');
    await buildBundle(root);
    const current = JSON.parse(readFileSync(join(root, 'dist/current.json'), 'utf8'));
    expect(Object.keys(current.inputs).sort()).toEqual([
      'cli/main.ts',
      'shared/site/page-writer-worker.ts',
      'shared/word.ts',
    ]);
  });
});

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

describe("the bundle's code cache", () => {
  it('is written after a run, accepted by the next, and never changes what the code does', async () => {
    const root = fakePackage('cache');
    const entry: string = await buildBundle(root);
    const first = loadBundle(entry, 'build') as LoadedBundle;
    expect(first.cache).toBe('absent');
    expect(await first.exports.main()).toBe('first');
    first.saveCache();
    expect(existsSync(`${entry}.build.cache`)).toBe(true);
    const second = loadBundle(entry, 'build') as LoadedBundle;
    expect(second.cache).toBe('accepted');
    expect(await second.exports.main()).toBe('first');
    // One cache per command, and a name from the command line cannot leave the bundle's folder.
    const odd = loadBundle(entry, '../../escape') as LoadedBundle;
    expect(odd.cache).toBe('absent');
    odd.saveCache();
    expect(
      readdirSync(join(entry, '..'))
        .filter((name) => name.endsWith('.cache'))
        .sort(),
    ).toEqual(['cli.cjs.______escape.cache', 'cli.cjs.build.cache']);
  });

  it('that V8 refuses (another Node, a damaged file) is ignored and replaced', async () => {
    const root = fakePackage('damaged-cache');
    const entry: string = await buildBundle(root);
    writeFileSync(`${entry}.build.cache`, 'not a V8 code cache');
    const loaded = loadBundle(entry, 'build') as LoadedBundle;
    expect(loaded.cache).toBe('rejected');
    expect(await loaded.exports.main()).toBe('first');
    loaded.saveCache();
    expect((loadBundle(entry, 'build') as LoadedBundle).cache).toBe('accepted');
  });
});

describe('bin/dropfeed.js from the bundle', () => {
  const run = (args: string[], tsx: boolean) =>
    spawnSync(process.execPath, [join(REPO, 'bin/dropfeed.js'), ...args], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, DROPFEED_TSX: tsx ? '1' : '' },
    });

  it('builds the same site, with the same messages, as the sources under tsx (pages on a second thread)', () => {
    const inbox = join(work, 'inbox');
    cpSync(FIXTURE_INBOX, inbox, { recursive: true });
    const args = (out: string) => [
      'build',
      inbox,
      '--out',
      out,
      '--base-url',
      'https://x.example',
      '--threads',
      '2',
    ];
    const bundled = run(args(join(work, 'site-bundle')), false);
    const sources = run(args(join(work, 'site-tsx')), true);
    expect(bundled.status).toBe(sources.status);
    const timeless = (s: string) => s.replace(/ in [\d.]+ s/g, '').replace(/site-(bundle|tsx)/g, 'site');
    expect(timeless(bundled.stdout)).toBe(timeless(sources.stdout));
    expect(bundled.stderr).toBe(sources.stderr);
    const a = files(join(work, 'site-bundle'));
    expect(a.size).toBeGreaterThan(5);
    expect(a).toEqual(files(join(work, 'site-tsx')));
    expect(JSON.parse(readFileSync(join(REPO, 'dist/current.json'), 'utf8')).inputs).toHaveProperty(
      'shared/site/page-writer-worker.ts',
    );
  });

  it('parses and reports errors as the sources do', () => {
    const args = ['parse', '--json', join(FIXTURE_INBOX, readdirSync(FIXTURE_INBOX)[0] ?? ''), 'missing.txt'];
    const bundled = run(args, false);
    const sources = run(args, true);
    expect(bundled.status).not.toBe(0);
    expect(bundled.stdout).toContain('missing.txt');
    expect([bundled.status, bundled.stdout, bundled.stderr]).toEqual([
      sources.status,
      sources.stdout,
      sources.stderr,
    ]);
  });
});

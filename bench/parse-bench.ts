/**
 * Parser throughput: `npx tsx bench/parse-bench.ts`. Prints how long 10,000 typical articles take in-process,
 * how fast an oversize file is refused, and the worst cases just under the size limit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_ARTICLE_BYTES } from '../shared/article/model.ts';
import { parseArticle } from '../shared/article/parse.ts';
import { machineInfo } from './machine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARTICLES = 10_000;

function corpus(): { name: string; bytes: Uint8Array }[] {
  const dirs = ['tests/fixtures/articles/samples', 'examples'].map((dir) => path.join(root, dir));
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => /\.(txt|md)$/.test(name))
      .map((name) => ({ name, bytes: readFileSync(path.join(dir, name)) })),
  );
}

/** Median wall time of `runs` calls, in milliseconds. */
async function median(runs: number, task: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/**
 * Parses ARTICLES files cycling through the corpus. Wall time suffers when other processes share the CPUs,
 * so CPU time (this process, all threads, garbage collection included) is printed beside it.
 */
async function typicalArticles(
  label: string,
  files: readonly { name: string; bytes: Uint8Array }[],
): Promise<void> {
  const meanBytes = files.reduce((sum, file) => sum + file.bytes.length, 0) / files.length;
  // One warm-up pass so the figure is steady-state, as in a warm Lambda.
  for (const file of files) await parseArticle(file.name, file.bytes);
  let rejected = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < ARTICLES; i++) {
    const file = files[i % files.length];
    if (file && !(await parseArticle(`${i}-${file.name}`, file.bytes)).ok) rejected++;
  }
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(
    `${ARTICLES} ${label} (${files.length} distinct, mean ${Math.round(meanBytes)} bytes): ` +
      `${wall.toFixed(0)} ms wall (${((wall * 1000) / ARTICLES).toFixed(0)} µs each), ${cpuMs.toFixed(0)} ms CPU, ` +
      `${rejected} rejected`,
  );
}

async function oversize(): Promise<void> {
  const huge = new Uint8Array(2 * 1024 * 1024).fill(0x61);
  const ms = await median(21, async () => {
    if ((await parseArticle('huge.txt', huge)).ok) throw new Error('a 2 MiB file was accepted');
  });
  console.log(`2 MiB file rejected (too-large) in ${(ms * 1000).toFixed(1)} µs (median of 21)`);
}

/** Files just under the limit, shaped to stress the block and byline rules. */
async function worstCases(): Promise<void> {
  const size = DEFAULT_MAX_ARTICLE_BYTES - 64;
  const cases: [string, string][] = [
    ['one 1 MiB paragraph', `Title\n\n(A B, ${'word '.repeat(size / 5 - 10)}`],
    ['1 MiB of short blocks', `Title\n\n${'Short caption (Agency photo)\n\n'.repeat(size / 31)}`],
    ['1 MiB of one-line markdown', `---\ntitle: T\n---\n\n${'*a* '.repeat(size / 4 - 10)}`],
  ];
  for (const [label, text] of cases) {
    const bytes = new TextEncoder().encode(text);
    const ms = await median(5, () => parseArticle(label.includes('markdown') ? 'x.md' : 'x.txt', bytes));
    console.log(`${label} (${bytes.length} bytes): ${ms.toFixed(0)} ms (median of 5)`);
  }
}

const machine = machineInfo();
console.log(
  `machine: ${machine.cpuModel}, ${machine.nproc} cpus, ${machine.memoryGiB} GiB, node ${machine.node}`,
);
const files = corpus();
console.log(
  `load average before: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
);
await typicalArticles('typical articles, both formats', files);
await typicalArticles(
  'text articles',
  files.filter((file) => file.name.endsWith('.txt')),
);
await typicalArticles(
  'Markdown articles',
  files.filter((file) => file.name.endsWith('.md')),
);
await oversize();
await worstCases();

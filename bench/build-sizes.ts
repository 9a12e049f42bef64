/**
 * `npm run bench:build -- 1000 2000 5000`: only the full-build comparison (BENCHMARKS.md §4), at any sizes,
 * to find where dropfeed overtakes Hugo without the whole bench. Prints a table; writes no results file.
 * Same method as the bench: generated corpora, one warm-up, the tools taking turns, each build into a new
 * folder, medians (`--runs N`, default 3; one build above 10,000 articles).
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measureBuild, measureStartup } from './build-bench.ts';
import { writeCorpus } from './corpus.ts';
import { hugoAvailable } from './hugo.ts';
import { SITE } from './run.ts';
import { formatMs, formatRatio } from './stats.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '3' } },
});
const sizes = positionals.map(Number);
const runs = Number(values.runs);
if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1) || !(runs >= 1)) {
  process.stderr.write('usage: npm run bench:build -- [--runs N] ARTICLES...\n');
  process.exit(2);
}
const hugo = await hugoAvailable();
if (!hugo) process.stderr.write('hugo is not installed (apt-get install hugo): dropfeed alone is measured\n');

// Under the repository like the bench's own files (gitignored), so nothing else shares the folder.
const tmp = resolve('bench/results/tmp/build-sizes');
await rm(tmp, { recursive: true, force: true });
try {
  for (const n of sizes) await writeCorpus(join(tmp, `corpus-${n}`), n, n);
  const first = sizes[0] ?? 1;
  const warm = join(tmp, 'warm-up');
  await measureBuild({
    corpusDir: join(tmp, `corpus-${first}`),
    workDir: warm,
    articles: first,
    site: SITE,
    hugo,
    hugoOneCore: false,
  });
  const startup = await measureStartup(warm, hugo);
  process.stdout.write(
    `start-up (empty inbox): dropfeed ${formatMs(startup.dropfeedMs)}, Hugo ${startup.hugoMs === null ? 'n/a' : formatMs(startup.hugoMs)}\n\n` +
      '| articles | dropfeed | Hugo | dropfeed vs Hugo (articles/s) | builds each |\n| --- | --- | --- | --- | --- |\n',
  );
  for (const n of sizes) {
    const row = await measureBuild({
      corpusDir: join(tmp, `corpus-${n}`),
      workDir: join(tmp, `build-${n}`),
      articles: n,
      site: SITE,
      hugo,
      hugoOneCore: false,
      runs: n > 10_000 ? 1 : runs,
    });
    const ratio = row.hugo ? formatRatio(row.hugo.wallMs / row.dropfeed.wallMs) : '—';
    process.stdout.write(
      `| ${n.toLocaleString('en-US')} | ${formatMs(row.dropfeed.wallMs)} | ${row.hugo ? formatMs(row.hugo.wallMs) : '—'} | ${ratio} | ${row.runs} |\n`,
    );
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}

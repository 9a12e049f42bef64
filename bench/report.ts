/** Renders BENCHMARKS.md from a results file: every figure in it comes from `bench/results/latest.json`. */
import type { BenchResults, BuildSide, PublishMeasure } from './results-model.ts';
import { formatBytes, formatMs, formatRatio, round, thousands } from './stats.ts';

type Row = readonly (string | number)[];

/** How every run measures; what is particular to one run is in its `notes`. */
const METHOD: readonly string[] = [
  "Corpus: bench/gen-corpus.ts, one generated per size (seed = size): wire-format text articles dated 2024-01-01 to 2025-03-27 (about 6,700 per month partition at 100,000). Uploads are new articles from a separate corpus (seed 4242, under `new-` keys) dated 2025-03-28 to 31, after the whole archive, as a newly dropped article usually is: each one enters the feeds (so each upload re-renders them) and lands in the archive's last month partition, already ~6 % of the archive, as a live site's current month is.",
  "Archives are seeded without going through the handler one upload at a time: the corpus files are written straight into s3rver's data directory (on tmpfs when there is memory for it) as inbox objects (bench/s3rver-disk.ts), then the product's own `rebuild()` runs once over stores reading and writing that directory (bench/archive.ts), producing the state and site buckets it would produce over S3. The running s3rver then serves them to the handler.",
  "Functions run bundled (esbuild, as CDK bundles them) in a plain `node` child process (bench/worker.ts) with the Lambda's environment variables, invoked over IPC with SQS events built by the product's own EventBridge/SQS shapers (shared/dev); the S3 server runs in the bench process, on the other core. S3 requests and bytes are counted by the server for each run. Local S3 answers in about a millisecond; real S3 takes tens, which lengthens every run by about 17 round trips for dropfeed and by thousands (32 at a time) for the naive baseline.",
  "Peak RSS is the function process's VmHWM (its peak resident set since exec: what Lambda reports as Max Memory Used, plus the small harness). getrusage's maxRSS is not used: Linux carries the forking parent's size across exec into it. Δ is the peak minus the RSS after loading the function; peak heap is sampled every millisecond.",
  'A naive function handed a batch of 10 messages republishes once, so its time and requests per batch run are those of one naive run per invocation.',
];

export function markdownTable(header: Row, rows: readonly Row[]): string {
  const line = (cells: Row) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const n = (x: number) => thousands(x);
const mib = (x: number) => `${round(x, 3)} MiB`;
const est = (m: PublishMeasure) => (m.extrapolatedFrom !== undefined ? ' (est.)' : '');

function requestMix(m: PublishMeasure): string {
  const r = m.requests;
  const per = (v: number) => round(v / m.uploads, 3);
  const parts = [
    `${per(r.get)} GET`,
    `${per(r.put + r.copy + r.post)} PUT`,
    `${per(r.list)} LIST`,
    `${per(r.head)} HEAD`,
  ];
  parts.push(`${per(r.delete)} DEL`);
  if (r.other) parts.push(`${per(r.other)} other`);
  return parts.join(' · ');
}

/**
 * A naive function republishes everything once per invocation, so for a run of `invocations` it does that
 * many full republishes: the comparison is per run, at equal invocations.
 */
function invocationTable(rows: readonly PublishMeasure[], naive: readonly PublishMeasure[]): string {
  return markdownTable(
    [
      'articles in archive',
      'median time',
      'cold (1st run)',
      'S3 requests per upload',
      'total per run',
      'bytes up / down',
      'peak RSS (Δ handler)',
      'peak heap',
      'naive time',
      'faster than naive',
      'naive requests',
    ],
    rows.map((m) => {
      const baseline = naive.find((b) => b.articles === m.articles);
      const naiveMs = baseline ? baseline.medianMs * m.invocations : Number.NaN;
      const naiveRequests = baseline ? baseline.totalRequests * m.invocations : Number.NaN;
      return [
        n(m.articles),
        `${formatMs(m.medianMs)}${m.uploads > 1 ? ` (${formatMs(m.medianMs / m.uploads)}/upload)` : ''}`,
        formatMs(m.coldMs),
        requestMix(m),
        n(m.totalRequests),
        `${formatBytes(m.requests.bytesIn)} / ${formatBytes(m.requests.bytesOut)}`,
        `${mib(m.peakRssMiB)} (${mib(m.rssDeltaMiB)})`,
        mib(m.peakHeapMiB),
        baseline ? `${formatMs(naiveMs)}${est(baseline)}` : '—',
        baseline ? `**${formatRatio(naiveMs / m.medianMs)}**${est(baseline)}` : '—',
        baseline ? `${n(naiveRequests)}${est(baseline)}` : '—',
      ];
    }),
  );
}

function buildCell(side: BuildSide | null): [string, string, string] {
  if (!side) return ['skipped', '—', '—'];
  return [formatMs(side.wallMs), n(side.articlesPerSecond), mib(side.maxRssMiB)];
}

/** `svgPath`: the scaling plot, relative to where the Markdown file is written. */
export function renderBenchmarksMd(r: BenchResults, svgPath = 'bench/results/scaling.svg'): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  push(
    '# Benchmarks',
    '',
    `<!-- Generated by \`${r.command}\` with its results file (bench/results${r.mode === 'quick' ? '/quick' : ''}/latest.json). Do not edit by hand: re-run the bench, or \`npm run bench -- --report\` to re-render. -->`,
    '',
    `dropfeed against the alternatives, measured in one run (${r.mode} mode, ${round(r.durationS, 3)} s) on ${r.generatedAt}.`,
    'The machine is shared and noisy: read the **ratios**, which were all taken in the same run; absolute',
    'times move by ±30 % between runs.',
    '',
    '## Machine',
    '',
    markdownTable(
      ['nproc', 'CPU', 'memory', 'Node', 'platform'],
      [
        [
          r.machine.nproc,
          r.machine.cpuModel,
          `${r.machine.memoryGiB} GiB`,
          r.machine.node,
          r.machine.platform,
        ],
      ],
    ),
    '',
    `Command: \`${r.command}\` (archives: ${r.sizes.map(n).join(', ')} articles).`,
    '',
    '## Targets',
    '',
    markdownTable(
      ['target', 'goal', 'measured', 'met'],
      r.targets.map((t) => [
        t.name,
        t.target,
        `${t.actual}${t.note ? ` — ${t.note}` : ''}`,
        t.met === null ? 'not measured' : t.met ? '**yes**' : '**NO**',
      ]),
    ),
    '',
    '## Scaling',
    '',
    `![Time and S3 requests per upload against archive size](${svgPath})`,
    '',
    '## 1. Publishing one upload',
    '',
    'The real Lambda handler (`functions/ingest.ts`, bundled as CDK bundles it) in its own Node process, invoked',
    'with a real-shaped SQS event (EventBridge "Object Created" → SQS FIFO record) for one new article, against',
    's3rver started in the bench process. Requests and bytes are counted by the S3 server itself. "naive" is',
    '`bench/naive.ts`: list the whole inbox, GET and parse every article, render the feeds and the index, write',
    'them — how serverless feed generators on GitHub commonly do it.',
    '',
    invocationTable(r.upload, r.naive),
    '',
    `## 2. A batch of ${r.batch[0]?.uploads ?? 100} uploads (${r.batch[0]?.invocations ?? 10} invocations: SQS FIFO delivers at most 10 messages at once)`,
    '',
    r.batch.length > 0 ? invocationTable(r.batch, r.naive) : '_Not measured in this run._',
    '',
    ...(r.memoryCapped
      ? [
          `Memory with V8 capped as for a 128 MB function (\`${r.memoryCapped.nodeOptions}\`), the same batches at ${n(r.memoryCapped.articles)} articles: peak RSS **${mib(r.memoryCapped.peakRssMiB)}**, peak heap ${mib(r.memoryCapped.peakHeapMiB)}, median ${formatMs(r.memoryCapped.medianMs)} per 100 uploads. Uncapped, V8 sizes its heap from this machine's memory and collects lazily, so the peaks above overstate what the work needs.`,
          '',
        ]
      : []),
    '## 3. The naive baseline',
    '',
    markdownTable(
      ['articles', 'median time', 'requests', 'LIST', 'GET', 'PUT', 'bytes down', 'peak RSS', 'measured?'],
      r.naive.map((m) => [
        n(m.articles),
        formatMs(m.medianMs),
        n(m.totalRequests),
        n(m.requests.list),
        n(m.requests.get),
        n(m.requests.put),
        formatBytes(m.requests.bytesOut),
        m.extrapolatedFrom !== undefined ? '—' : mib(m.peakRssMiB),
        m.extrapolatedFrom !== undefined
          ? `extrapolated linearly from ${n(m.extrapolatedFrom)} (requests exactly: 1 LIST per 1,000 keys, 1 GET per article)`
          : `measured, ${m.runs} run(s)`,
      ]),
    ),
    '',
    '## 4. Full build: `dropfeed build` against Hugo',
    '',
  );
  if (r.build.length === 0) push('_Not measured in this run._', '');
  else {
    push(
      markdownTable(
        [
          'articles',
          'dropfeed build',
          'articles/s',
          'peak RSS',
          'Hugo',
          'articles/s',
          'peak RSS',
          'dropfeed vs Hugo (articles/s)',
          'start-up excluded',
          'Hugo, 1 core',
          'vs Hugo 1 core',
          'builds each',
        ],
        r.build.map((b) => {
          const [dw, da, dm] = buildCell(b.dropfeed);
          const [hw, ha, hm] = buildCell(b.hugo);
          const [h1] = buildCell(b.hugoOneCore);
          return [
            n(b.articles),
            dw,
            da,
            dm,
            hw,
            ha,
            hm,
            b.hugo ? formatRatio(b.dropfeed.articlesPerSecond / b.hugo.articlesPerSecond) : '—',
            b.hugo && r.buildStartup?.hugoMs != null
              ? formatRatio(
                  (b.hugo.wallMs - r.buildStartup.hugoMs) / (b.dropfeed.wallMs - r.buildStartup.dropfeedMs),
                )
              : '—',
            h1,
            b.hugoOneCore ? formatRatio(b.dropfeed.articlesPerSecond / b.hugoOneCore.articlesPerSecond) : '—',
            b.runs,
          ];
        }),
      ),
      '',
      ...(r.buildStartup
        ? [
            `Start-up alone (building an empty inbox): dropfeed ${formatMs(r.buildStartup.dropfeedMs)} (Node's own start, about 50 ms here, and`,
            `loading the CLI's bundle), Hugo ${r.buildStartup.hugoMs === null ? 'n/a' : formatMs(r.buildStartup.hugoMs)}. It is inside every build time above and decides small builds.`,
            '',
          ]
        : []),
      'Both from the command line, process start to exit, each build into a new output folder, after one warm-up',
      "build (which also builds dropfeed's CLI bundle, bin/cli-bundle.js); times are the median of the builds, the",
      'tools taking turns. Output folders are removed only after the last build: on this ext4 file system, creating',
      'files right after removing tens of thousands of others is several times slower, for both tools.',
      'Peak RSS comes from GNU time around each command. Hugo builds the same articles, written as Markdown content',
      'files with TOML front matter, into a minimal site with the same outputs: one page per article, an index of',
      'the newest items and one RSS feed (dropfeed also writes Atom and JSON Feed). Hugo uses every core; dropfeed',
      'parses and renders on one thread and, from 1,000 articles on a machine with two cores or more, writes the',
      'pages on a second. The "1 core" column runs Hugo with `GOMAXPROCS=1`. "Start-up excluded" compares the',
      "time each tool spends beyond building an empty inbox: the tools' throughput once running.",
      '',
    );
  }
  push('## 5. The Lambda bundle', '');
  if (!r.bundle) push('_Not measured in this run._', '');
  else {
    const b = r.bundle;
    push(
      markdownTable(
        ['bundle', 'size', 'gzip', 'cold import (median)', 'cold process (median)', 'runs'],
        [
          [
            'dropfeed handler',
            formatBytes(b.handler.bytes),
            formatBytes(b.handler.gzipBytes),
            formatMs(b.handler.cold.importMs),
            formatMs(b.handler.cold.processMs),
            b.handler.cold.runs,
          ],
          [
            'bare handler (S3 client only)',
            formatBytes(b.bare.bytes),
            formatBytes(b.bare.gzipBytes),
            formatMs(b.bare.cold.importMs),
            formatMs(b.bare.cold.processMs),
            b.bare.cold.runs,
          ],
          ...(b.lazyPackages ?? []).map((lazy) => [
            `beside it: \`node_modules/${lazy.name}\` (read on the first Markdown article)`,
            formatBytes(lazy.bytes),
            formatBytes(lazy.gzipBytes),
            '—',
            '—',
            '',
          ]),
          ...(b.handlerWithoutSourceMaps
            ? [
                [
                  'dropfeed handler, without `--enable-source-maps`',
                  '',
                  '',
                  `${formatMs(b.handlerWithoutSourceMaps.importMs)} (${formatRatio(b.handlerWithoutSourceMaps.importMs / b.bare.cold.importMs)})`,
                  formatMs(b.handlerWithoutSourceMaps.processMs),
                  b.handlerWithoutSourceMaps.runs,
                ],
              ]
            : []),
          [
            '**ratio** (handler / bare, as deployed)',
            '',
            '',
            `**${formatRatio(b.handler.cold.importMs / b.bare.cold.importMs)}**`,
            formatRatio(b.handler.cold.processMs / b.bare.cold.processMs),
            '',
          ],
        ],
      ),
      '',
      `Bundled with esbuild as CDK's NodejsFunction does (platform node, target node20, ${b.format}, minified,`,
      '`@aws-sdk/*` external)' +
        ((b.lazyPackages ?? []).length > 0
          ? ", and the packages only Markdown articles need bundled apart into `node_modules/` beside it, as the construct's afterBundling hook does (infra/lazy-packages.mjs): Node reads them on the first Markdown article, not at every cold start."
          : '.') +
        ' Both bundles resolve `@aws-sdk/client-s3` from node_modules at load time, as both',
      "would from the Lambda runtime, so the SDK's own load cost is on both sides and the difference is the code",
      `dropfeed ships. "cold import" is \`await import(bundle)\` in a fresh \`node\` process; "cold process" adds`,
      `Node's own start (\`node -e 0\`: ${formatMs(b.nodeStartMs)}). Both run with the function's`,
      `NODE_OPTIONS ('${b.nodeOptions}'), as in Lambda${b.handlerWithoutSourceMaps ? "; the extra row loads the same handler without `--enable-source-maps`, which makes Node read and parse the bundle's source map at load" : ''}.`,
      '',
    );
  }
  push('## 6. Cost per 1,000 uploads', '');
  if (!r.cost) push('_Not measured in this run._', '');
  else {
    const c = r.cost;
    const usd = (x: number) => `$${x < 0.01 ? x.toFixed(6) : x.toFixed(4)}`;
    push(
      markdownTable(
        [
          'approach',
          'uploads per invocation',
          'billed ms per invocation',
          'S3',
          'SQS FIFO',
          'EventBridge',
          'Lambda GB-s',
          'Lambda requests',
          '**total**',
        ],
        c.rows.map((row) => [
          row.approach,
          row.uploadsPerInvocation,
          formatMs(row.invocationMs),
          usd(row.cost.s3),
          usd(row.cost.sqs),
          usd(row.cost.eventBridge),
          usd(row.cost.lambdaDuration),
          usd(row.cost.lambdaRequests),
          `**${usd(row.cost.total)}**`,
        ]),
      ),
      '',
      `At an archive of ${n(c.articles)} articles, Lambda arm64 at ${c.memoryMb} MB (${c.memorySource}), us-east-1 list`,
      'prices: S3 Standard PUT/COPY/POST/LIST $0.005 per 1,000 and GET/HEAD $0.0004 per 1,000 (DELETE free);',
      "SQS FIFO $0.50 per million requests (per upload: EventBridge's SendMessage plus its share of the",
      "event source's ReceiveMessage and DeleteMessageBatch); EventBridge $1.00 per million events (S3's events",
      'are "AWS opt-in data events" on its pricing page, not free management events; delivery to SQS adds nothing);',
      'Lambda $0.0000133334 per GB-second (1 ms granularity) + $0.20 per million requests. Durations are the',
      'medians measured here on a full core; at 512 MB Lambda grants about 0.29 vCPU, so CPU-bound time can',
      'stretch up to 3.5× (the "×3.5 CPU" rows). Storage, data transfer and CloudFront are not included.',
      '',
    );
  }
  push('## 7. Parse throughput', '');
  if (!r.parse) push('_Not measured in this run._', '');
  else {
    push(
      markdownTable(
        ['articles', 'time', 'articles/s', 'MiB/s', 'source'],
        [
          [
            n(r.parse.articles),
            formatMs(r.parse.ms),
            n(r.parse.articlesPerSecond),
            round(r.parse.mibPerSecond, 3),
            r.parse.source,
          ],
        ],
      ),
      '',
    );
    if (r.parse.oversizeCliMs !== undefined) {
      push(
        `A 2 MiB file is refused as too large by \`node bin/dropfeed.js parse FILE\` in ${formatMs(r.parse.oversizeCliMs)} from process start to exit (median of 5; almost all of it is Node and tsx starting): the size is checked before the bytes are decoded.`,
        '',
      );
    }
  }
  push(
    '## How it was measured',
    '',
    ...METHOD.map((line) => `- ${line}`),
    ...r.notes.map((note) => `- ${note}`),
    '',
  );
  return out.join('\n');
}

/** Section 4 of BENCHMARKS.md: `dropfeed build` of a whole archive against Hugo building the same articles. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArticle } from '../shared/article/parse.ts';
import { slugForKey } from '../shared/article/slug.ts';
import type { SiteConfig } from '../shared/render/model.ts';
import { publishTimes } from '../shared/render/publish-time.ts';
import { corpusFiles } from './corpus.ts';
import { buildHugoSite, type HugoArticle, writeHugoSite } from './hugo.ts';
import { type CommandResult, measureCommand } from './proc.ts';
import type { BuildMeasure, BuildSide } from './results-model.ts';
import { median } from './stats.ts';

/**
 * `dropfeed build CORPUS --out OUT` as a user runs it (bin/dropfeed.js), start to exit, into OUT, which must
 * not exist yet (see `measureBuild` for why it is never a folder just emptied).
 */
export async function runDropfeedBuild(corpusDir: string, outDir: string): Promise<CommandResult> {
  if (existsSync(outDir)) throw new Error(`${outDir} exists: each build goes into a new folder`);
  const result = await measureCommand(process.execPath, [
    'bin/dropfeed.js',
    'build',
    corpusDir,
    '--out',
    outDir,
  ]);
  if (result.exitCode !== 0) {
    throw new Error(`dropfeed build failed (${result.exitCode}): ${result.stderr.slice(-2000)}`);
  }
  if (!existsSync(join(outDir, 'feed.xml')))
    throw new Error(`dropfeed build wrote no feed.xml into ${outDir}`);
  return result;
}

function side(wallMs: number, maxRssMiB: number, articles: number): BuildSide {
  return { wallMs, maxRssMiB, articlesPerSecond: articles / (wallMs / 1000) };
}

/** The corpus as Hugo content: the same words, the same publishing times dropfeed gives them. */
export async function* hugoArticles(corpusDir: string): AsyncGenerator<HugoArticle> {
  for (const name of await corpusFiles(corpusDir)) {
    const path = join(corpusDir, name);
    const parsed = await parseArticle(name, new Uint8Array(await readFile(path)));
    if (!parsed.ok) continue;
    const a = parsed.article;
    const { published } = publishTimes(name, a, (await stat(path)).mtime.toISOString());
    yield {
      slug: slugForKey(name),
      title: a.title,
      published,
      summary: a.summary,
      author: a.author,
      paragraphs: [
        ...(a.dek ? [a.dek] : []),
        ...a.blocks.map((b) => b.text),
        ...(a.attribution ? [a.attribution.text] : []),
      ],
    };
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export interface BuildBenchOptions {
  readonly corpusDir: string;
  readonly workDir: string;
  readonly articles: number;
  readonly site: SiteConfig;
  readonly hugo: boolean;
  /** Also run Hugo on one core (GOMAXPROCS=1): slow at large sizes, so the plan decides. */
  readonly hugoOneCore: boolean;
  /** Builds per tool; they take turns, so a burst of load on the shared machine hits both. @default 1 */
  readonly runs?: number;
}

/** The median build by wall time, with the highest peak memory seen. */
function summarise(results: readonly CommandResult[], articles: number): BuildSide {
  const wallMs = median(results.map((r) => r.wallMs));
  return side(wallMs, Math.max(...results.map((r) => r.maxRssMiB)), articles);
}

let outputs = 0;

/** A folder under `workDir` that no build has used. */
function newOutDir(workDir: string, tool: string): string {
  outputs += 1;
  return join(workDir, `${tool}-out-${outputs}`);
}

/**
 * Every build, of either tool, writes into a folder of its own, and the outputs are only removed once all
 * builds are done (the caller removes `workDir`): on this machine's ext4, creating files just after
 * removing tens of thousands of others is several times slower (builds of 10,000 articles took 6–16 s
 * instead of 1–1.7 s, for both tools), which would measure the previous build's clean-up, not the build.
 */
export async function measureBuild(options: BuildBenchOptions): Promise<BuildMeasure> {
  const { corpusDir, workDir, articles, site } = options;
  const runs = options.runs ?? 1;
  const hugoSite = join(workDir, `hugo-site-${articles}`);
  if (options.hugo && !existsSync(hugoSite))
    await writeHugoSite(hugoSite, await collect(hugoArticles(corpusDir)), site);
  const dropfeed: CommandResult[] = [];
  const hugo: CommandResult[] = [];
  const hugoOneCore: CommandResult[] = [];
  for (let i = 0; i < runs; i++) {
    dropfeed.push(await runDropfeedBuild(corpusDir, newOutDir(workDir, 'dropfeed')));
    if (options.hugo) hugo.push(await buildHugoSite(hugoSite, newOutDir(workDir, 'hugo')));
    if (options.hugo && options.hugoOneCore)
      hugoOneCore.push(await buildHugoSite(hugoSite, newOutDir(workDir, 'hugo-1core'), 1));
  }
  return {
    articles,
    runs,
    dropfeed: summarise(dropfeed, articles),
    hugo: hugo.length > 0 ? summarise(hugo, articles) : null,
    hugoOneCore: hugoOneCore.length > 0 ? summarise(hugoOneCore, articles) : null,
  };
}

/**
 * Start-up alone: each tool building an empty inbox. dropfeed's is Node's own start and loading the CLI's
 * bundle and the packages it imports; it is a fixed cost that dominates small builds.
 */
export async function measureStartup(
  workDir: string,
  hugo: boolean,
): Promise<{ dropfeedMs: number; hugoMs: number | null }> {
  const empty = join(workDir, 'empty-inbox');
  await mkdir(empty, { recursive: true });
  const dropfeed = await measureCommand(process.execPath, [
    'bin/dropfeed.js',
    'build',
    empty,
    '--out',
    newOutDir(workDir, 'dropfeed-empty'),
  ]);
  if (dropfeed.exitCode !== 0)
    throw new Error(`dropfeed build of an empty inbox failed: ${dropfeed.stderr.slice(-2000)}`);
  let hugoMs: number | null = null;
  if (hugo) {
    const site = join(workDir, 'hugo-empty');
    await writeHugoSite(site, [], {
      baseUrl: 'https://example.org',
      title: 'empty',
      language: 'en',
      maxItems: 50,
    });
    hugoMs = (await buildHugoSite(site, newOutDir(workDir, 'hugo-empty'))).wallMs;
  }
  return { dropfeedMs: dropfeed.wallMs, hugoMs };
}

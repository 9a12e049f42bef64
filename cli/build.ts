import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SiteConfig } from '../shared/render/model.ts';
import { resolveSiteConfig, SiteConfigError, type SiteConfigInput } from '../shared/render/site-config.ts';
import type { BuildReport } from '../shared/site/build-site.ts';
import { PageWriterThread, wantsWriterThread } from '../shared/site/page-writer.ts';

export const BUILD_USAGE = `usage: dropfeed build INBOX_DIR --out SITE_DIR [options]

Builds the whole site (feeds, index page, article pages, pictures) from a folder laid out like the inbox.
Files whose bytes did not change are not rewritten. Pages and pictures an earlier build wrote for articles
that have left the inbox are removed (the build keeps a list in SITE_DIR/.dropfeed-manifest.json and never
touches files it did not write).

options:
  --out DIR            where the site goes (required)
  --base-url URL       absolute site URL (default http://localhost:8080)
  --title T            site title
  --description D      site description
  --language L         BCP 47 language tag (default en)
  --max-items N        how many of the newest articles the feeds and index carry (default 50)
  --config FILE        JSON settings (default: ./dropfeed.config.json when present); flags override it
  --strict             if any file is rejected, write nothing and exit 1
  --threads N          1: build on one thread; 2: write the article pages on a second thread while
                       the first parses and renders (the default from 1,000 articles, given 2 cores)
  --timings            also print how long each phase took (scan, articles, feeds, write) and the
                       number of threads
  -h, --help           this help

Rejected files are listed on stderr as 'FILE: reason' and do not stop the build (unless --strict).
Exit codes: 0 built, 1 rejected under --strict or the build failed, 2 bad usage or settings.`;

export const DEFAULT_CONFIG_FILE = 'dropfeed.config.json';

const CONFIG_KEYS = new Set([
  'baseUrl',
  'title',
  'description',
  'language',
  'maxItems',
  'imageUrl',
  'author',
]);

class UsageError extends Error {}

export async function run(args: string[]): Promise<number> {
  const started = performance.now();
  let command: BuildCommand;
  try {
    command = await parseCommand(args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof SiteConfigError) {
      process.stderr.write(`dropfeed build: ${error.message}\n\n${BUILD_USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (command.help) {
    process.stdout.write(`${BUILD_USAGE}\n`);
    return 0;
  }
  let report: BuildReport;
  const pageWriter = startWriterEarly(command.inboxDir, command.threads);
  try {
    // Loaded only now, so the writer thread starts while this one loads the parser and the renderers.
    const { buildSite } = await import('../shared/site/build-site.ts');
    report = await buildSite({
      inboxDir: command.inboxDir,
      outDir: command.outDir,
      site: command.site,
      strict: command.strict,
      threads: command.threads,
      pageWriter,
    });
  } catch (error) {
    pageWriter?.close();
    process.stderr.write(`dropfeed build: failed: ${(error as Error).message}\n`);
    return 1;
  }
  printNotices(report);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(`${summaryLine(report, command.outDir, seconds)}\n`);
  if (command.timings) {
    const phases = Object.entries(report.timings).map(([phase, ms]) => `${phase} ${ms} ms`);
    process.stdout.write(`timings: ${phases.join(', ')}; ${report.threads} thread(s)\n`);
  }
  return report.aborted ? 1 : 0;
}

interface BuildCommand {
  readonly help: boolean;
  readonly inboxDir: string;
  readonly outDir: string;
  readonly strict: boolean;
  readonly timings: boolean;
  readonly threads: number | undefined;
  readonly site: SiteConfig;
}

async function parseCommand(args: string[]): Promise<BuildCommand> {
  let parsed: ReturnType<typeof parseBuildArgs>;
  try {
    parsed = parseBuildArgs(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return {
      help: true,
      inboxDir: '',
      outDir: '',
      strict: false,
      timings: false,
      threads: undefined,
      site: resolveSiteConfig(),
    };
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one INBOX_DIR');
  if (!values.out) throw new UsageError('--out SITE_DIR is required');
  if (resolve(values.out) === resolve(positionals[0] as string)) {
    throw new UsageError('--out must be another folder than INBOX_DIR');
  }
  const fromFile = await readConfigFile(values.config);
  const fromFlags: SiteConfigInput = {
    baseUrl: values['base-url'],
    title: values.title,
    description: values.description,
    language: values.language,
    maxItems: values['max-items'] === undefined ? undefined : parseMaxItems(values['max-items']),
  };
  const site = resolveSiteConfig({ ...fromFile, ...definedOnly(fromFlags) });
  return {
    help: false,
    inboxDir: positionals[0] as string,
    outDir: values.out,
    strict: values.strict,
    timings: values.timings,
    threads: values.threads === undefined ? undefined : parseThreads(values.threads),
    site,
  };
}

function parseBuildArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      'base-url': { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      language: { type: 'string' },
      'max-items': { type: 'string' },
      config: { type: 'string' },
      strict: { type: 'boolean', default: false },
      threads: { type: 'string' },
      timings: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function parseThreads(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--threads must be a whole number of at least 1, got '${value}'`);
  return Number(value);
}

function parseMaxItems(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-items must be a whole number, got '${value}'`);
  return Number(value);
}

/** The settings file: `--config FILE` (must exist) or `./dropfeed.config.json` when there is one. */
async function readConfigFile(explicit: string | undefined): Promise<SiteConfigInput> {
  const path = explicit ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : null);
  if (path === null) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`config file ${path} must hold a JSON object`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (!CONFIG_KEYS.has(key)) {
      throw new UsageError(
        `config file ${path}: unknown setting '${key}' (known: ${[...CONFIG_KEYS].join(', ')})`,
      );
    }
    const expected = key === 'maxItems' ? 'number' : 'string';
    if (typeof value !== expected && !(value === null && (key === 'imageUrl' || key === 'author'))) {
      throw new UsageError(`config file ${path}: '${key}' must be a ${expected}`);
    }
  }
  return data as SiteConfigInput;
}

/**
 * The page writer thread, for an inbox that looks large (judged by its top folder alone; the build
 * decides on the articles it finds, and stops a thread it does not need). Started before anything else
 * loads, its start-up is over by the time the first page is rendered.
 */
function startWriterEarly(inboxDir: string, threads: number | undefined): PageWriterThread | null {
  if (threads !== undefined) return threads > 1 ? PageWriterThread.start() : null;
  let entries: number;
  try {
    entries = readdirSync(inboxDir).length;
  } catch {
    return null; // the build reports an unreadable inbox itself
  }
  return wantsWriterThread(entries) ? PageWriterThread.start() : null;
}

function printNotices(report: BuildReport): void {
  const lines = [
    ...report.rejected.map((n) => `${display(n.path)}: ${n.reason}`),
    ...report.drafts.map((n) => `${display(n.path)}: ${n.reason}`),
    ...report.warnings.map((n) => `${display(n.path)}: ${n.reason}`),
    ...report.ignored.map((n) => `${display(n.path)}: ${n.reason}`),
  ];
  if (report.aborted) {
    lines.push(`dropfeed build: --strict: ${report.rejected.length} file(s) rejected, nothing written`);
  }
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
}

function summaryLine(report: BuildReport, outDir: string, seconds: string): string {
  return (
    `dropfeed build: ${report.published} published, ${report.rejected.length} rejected, ` +
    `${report.drafts.length} draft(s), ${report.ignored.length} ignored; ` +
    `${report.written.length} file(s) written, ${report.unchanged} unchanged, ${report.removed.length} removed, ` +
    `to ${outDir} in ${seconds} s`
  );
}

/** Paths as the user would type them: relative to the working directory when inside it. */
function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function definedOnly(input: SiteConfigInput): SiteConfigInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { tooLarge } from '../shared/article/decode.ts';
import { type Article, DEFAULT_MAX_ARTICLE_BYTES, type ParseResult } from '../shared/article/model.ts';
import { parseArticle } from '../shared/article/parse.ts';
import { type ParseEntryJson, parseEntryJson, unreadableEntryJson } from '../shared/article/summary-json.ts';

const USAGE = `usage: dropfeed parse FILE... [--json] [--max-bytes N]

Parses each article as the pipeline would and reports what it found: every block's role and any warnings,
or why the file would be rejected.

  --json          print one JSON array, one entry per file
  --max-bytes N   size limit in bytes (default ${DEFAULT_MAX_ARTICLE_BYTES})

Exit status: 0 when every file is accepted, 1 when any is rejected or unreadable, 2 on a usage error.`;

interface Options {
  readonly files: string[];
  readonly json: boolean;
  readonly maxBytes: number;
}

/** `dropfeed parse`: a dry run of the parser for editors, before they drop files in the inbox. */
export async function run(args: string[]): Promise<number> {
  const options = readOptions(args);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof options === 'string') {
    process.stderr.write(`dropfeed parse: ${options}\n${USAGE}\n`);
    return 2;
  }
  const entries: ParseEntryJson[] = [];
  for (const file of options.files) {
    const outcome = await parseFile(file, options.maxBytes);
    const entry =
      'unreadable' in outcome ? unreadableEntryJson(file, outcome.unreadable) : parseEntryJson(file, outcome);
    entries.push(entry);
    if (!options.json) process.stdout.write(describe(file, outcome));
  }
  if (options.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
  return entries.every((entry) => entry.ok) ? 0 : 1;
}

function readOptions(args: readonly string[]): Options | 'help' | string {
  const files: string[] = [];
  let json = false;
  let maxBytes = DEFAULT_MAX_ARTICLE_BYTES;
  let onlyFiles = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (onlyFiles || !arg.startsWith('-') || arg === '-') {
      files.push(arg);
    } else if (arg === '--') {
      onlyFiles = true;
    } else if (arg === '--help' || arg === '-h') {
      return 'help';
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '--max-bytes' || arg.startsWith('--max-bytes=')) {
      const value = arg === '--max-bytes' ? args[++i] : arg.slice('--max-bytes='.length);
      if (value === undefined || !/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value))) {
        return `--max-bytes needs a positive whole number of bytes, got '${value ?? ''}'`;
      }
      maxBytes = Number(value);
    } else {
      return `unknown option '${arg}'`;
    }
  }
  if (files.length === 0) return 'no files given';
  return { files, json, maxBytes };
}

/**
 * Reads and parses one file. The size is checked from the file system before reading, so a huge file is
 * refused without being loaded; read errors become a reported outcome, never a crash.
 */
async function parseFile(file: string, maxBytes: number): Promise<ParseResult | { unreadable: string }> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const stat = await handle.stat();
    if (!stat.isFile())
      return { unreadable: stat.isDirectory() ? 'it is a directory' : 'it is not a regular file' };
    // The slug comes from the file's name, as it would from an inbox key at the top of the bucket.
    const name = basename(file);
    if (stat.size > maxBytes) return { ok: false, rejection: tooLarge(stat.size, maxBytes) };
    return await parseArticle(name, await handle.readFile(), { maxBytes });
  } catch (error) {
    return { unreadable: readErrorReason(error) };
  } finally {
    await handle?.close();
  }
}

function readErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}

/** The human-readable report: one line per block with its role, then warnings. */
function describe(file: string, outcome: ParseResult | { unreadable: string }): string {
  if ('unreadable' in outcome) return `${file}: cannot read: ${outcome.unreadable}\n\n`;
  if (!outcome.ok) return `${file}: REJECTED (${outcome.rejection.code}): ${outcome.rejection.reason}\n\n`;
  const article = outcome.article;
  const lines = [`${file}: accepted (${article.format}), slug ${article.slug}`, ...roleLines(article)];
  for (const warning of article.warnings) lines.push(`  warning: ${warning}`);
  return `${lines.join('\n')}\n\n`;
}

function roleLines(article: Article): string[] {
  const row = (role: string, text: string) => `  ${role.padEnd(12)} ${preview(text)}`;
  const lines = [row('date', article.date ?? '(none: first upload time)'), row('title', article.title)];
  if (article.dek !== null) lines.push(row('dek', article.dek));
  if (article.leadImage)
    lines.push(row('lead image', creditLine(article.leadImage.caption, article.leadImage.credit)));
  if (article.author !== null) lines.push(row('author', article.author));
  if (article.outlet !== null) lines.push(row('outlet', article.outlet));
  for (const block of article.blocks) {
    lines.push(
      block.kind === 'caption'
        ? row('caption', creditLine(block.text, block.credit))
        : row(block.kind, block.text),
    );
  }
  if (article.attribution) lines.push(row('attribution', article.attribution.text));
  if (article.tags.length > 0) lines.push(row('tags', article.tags.join(', ')));
  lines.push(row('summary', article.summary));
  return lines;
}

function creditLine(caption: string, credit: string | null): string {
  return credit === null ? caption : `${caption} [credit: ${credit}]`;
}

/** One terminal line per block: enough to recognise it. */
function preview(text: string): string {
  const chars = Array.from(text);
  return chars.length <= 90 ? text : `${chars.slice(0, 89).join('')}…`;
}

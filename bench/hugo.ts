/**
 * The Hugo side of the build comparison: the same articles as Markdown content files with front matter in a
 * minimal site whose output mirrors `dropfeed build` (a page per article, a home page listing the newest
 * items, one RSS feed of them), built with `hugo --quiet`. Taxonomies, sections, sitemap and robots.txt are
 * disabled, since dropfeed produces none of them.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CommandResult, commandExists, measureCommand } from './proc.ts';

export interface HugoArticle {
  readonly slug: string;
  readonly title: string;
  /** Full UTC timestamp, the same publishing time dropfeed gives the item. */
  readonly published: string;
  readonly summary: string;
  readonly author: string | null;
  /** Plain-text paragraphs. */
  readonly paragraphs: readonly string[];
}

export interface HugoSiteOptions {
  readonly baseUrl: string;
  readonly title: string;
  readonly language: string;
  /** Items on the home page and in the feed, like dropfeed's `maxItems`. */
  readonly maxItems: number;
}

const SINGLE_LAYOUT = `<!doctype html>
<html lang="{{ .Site.LanguageCode }}"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="/assets/site.css"></head>
<body><article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.author }} · {{ . }}{{ end }}</p>
{{ .Content }}</article></body></html>
`;

const HOME_LAYOUT = `<!doctype html>
<html lang="{{ .Site.LanguageCode }}"><head><meta charset="utf-8"><title>{{ .Site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head><body><h1>{{ .Site.Title }}</h1><ol>
{{ range first $.Site.Params.maxItems .Site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <p>{{ .Summary }}</p></li>
{{ end }}</ol></body></html>
`;

function config(site: HugoSiteOptions): string {
  return [
    `baseURL = ${JSON.stringify(`${site.baseUrl}/`)}`,
    `title = ${JSON.stringify(site.title)}`,
    `languageCode = ${JSON.stringify(site.language)}`,
    'disableKinds = ["taxonomy", "term", "section", "sitemap", "robotsTXT", "404"]',
    '[params]',
    `maxItems = ${site.maxItems}`,
    '[services.rss]',
    `limit = ${site.maxItems}`,
    '[outputs]',
    'home = ["HTML", "RSS"]',
    '',
  ].join('\n');
}

/** Front matter values are emitted as JSON strings, which TOML accepts as basic strings. */
function contentFile(article: HugoArticle): string {
  const lines = [
    '+++',
    `title = ${JSON.stringify(article.title)}`,
    `date = ${JSON.stringify(article.published)}`,
    `slug = ${JSON.stringify(article.slug)}`,
    `summary = ${JSON.stringify(article.summary)}`,
  ];
  if (article.author) lines.push(`author = ${JSON.stringify(article.author)}`);
  lines.push('+++', '', article.paragraphs.map(escapeMarkdown).join('\n\n'), '');
  return lines.join('\n');
}

/** Plain text must stay plain text in Hugo too, as it does in dropfeed. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

export async function writeHugoSite(dir: string, articles: Iterable<HugoArticle>, site: HugoSiteOptions) {
  await rm(dir, { recursive: true, force: true });
  const contentDir = join(dir, 'content', 'articles');
  await mkdir(contentDir, { recursive: true });
  await mkdir(join(dir, 'layouts', '_default'), { recursive: true });
  await writeFile(join(dir, 'hugo.toml'), config(site));
  await writeFile(join(dir, 'layouts', '_default', 'single.html'), SINGLE_LAYOUT);
  await writeFile(join(dir, 'layouts', 'index.html'), HOME_LAYOUT);
  let batch: Promise<void>[] = [];
  for (const article of articles) {
    batch.push(writeFile(join(contentDir, `${article.slug}.md`), contentFile(article)));
    if (batch.length >= 256) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
}

export function hugoAvailable(): Promise<boolean> {
  return commandExists('hugo');
}

/** `hugo --quiet` into `outDir`; `cores` limits Go's parallelism (GOMAXPROCS) for a single-core column. */
export async function buildHugoSite(dir: string, outDir: string, cores?: number): Promise<CommandResult> {
  if (existsSync(outDir)) throw new Error(`${outDir} exists: each build goes into a new folder`);
  const env = { ...process.env, ...(cores ? { GOMAXPROCS: String(cores) } : {}) };
  const result = await measureCommand(
    'hugo',
    ['--quiet', '--source', dir, '--destination', outDir, '--cacheDir', join(dir, '.cache')],
    { env },
  );
  if (result.exitCode !== 0)
    throw new Error(`hugo failed (${result.exitCode}): ${result.stderr.slice(-2000)}`);
  return result;
}

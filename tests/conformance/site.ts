/**
 * The built site as readers meet it: `dropfeed build` run in-process through its CLI entry point, the
 * output folder served on a loopback port with the content types the site's files carry, and the real
 * readers (sfeed, newsboat) pointed at it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { vi } from 'vitest';
import { run as runBuild } from '../../cli/build.ts';
import { IMAGE_TYPES } from '../../shared/pipeline/images.ts';
import { CONTENT_TYPES } from '../../shared/render/site.ts';
import { FEED_PATHS, FEED_XSL_PATH, SITE_CSS_PATH } from '../../shared/render/urls.ts';

/** The Content-Type every kind of site file is published with (as `SiteFile.contentType` / the media copy). */
export function contentTypeFor(path: string): string {
  // A site built under a path prefix (`/news/feed.xml`) is served from a parent folder.
  const is = (sitePath: string) => path === sitePath || path.endsWith(`/${sitePath}`);
  if (is(FEED_PATHS.rss)) return CONTENT_TYPES.rss;
  if (is(FEED_PATHS.atom)) return CONTENT_TYPES.atom;
  if (is(FEED_PATHS.json)) return CONTENT_TYPES.json;
  if (is(SITE_CSS_PATH)) return CONTENT_TYPES.css;
  if (is(FEED_XSL_PATH)) return CONTENT_TYPES.xsl;
  if (path.endsWith('.html')) return CONTENT_TYPES.html;
  return IMAGE_TYPES[extname(path).slice(1).toLowerCase()] ?? 'application/octet-stream';
}

export interface ServedSite {
  /** `http://127.0.0.1:<port>`, no trailing slash: the base URL to build with. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Serves `root` (filled later) like a static host: `/x/` answers `x/index.html`. */
export async function serveFolder(root: string): Promise<ServedSite> {
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const relative = normalize(pathname.endsWith('/') ? `${pathname}index.html` : pathname).replace(
      /^\/+/,
      '',
    );
    const file = join(root, relative);
    if (relative.startsWith('..') || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const body = readFileSync(file);
    response.writeHead(200, { 'content-type': contentTypeFor(relative), 'content-length': body.length });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

export interface BuildOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `dropfeed build INBOX --out OUT ARGS…`, in-process, with its output captured instead of printed. */
export async function dropfeedBuild(
  inbox: string,
  out: string,
  args: readonly string[],
): Promise<BuildOutcome> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    const code = await runBuild([inbox, '--out', out, ...args]);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
}

export interface FetchedFile {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export async function fetchText(url: string): Promise<FetchedFile> {
  const response = await fetch(url);
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** One item as a reader lists it. */
export interface ReaderItem {
  readonly title: string;
  readonly link: string;
  readonly author: string;
  /** Unix seconds. */
  readonly timestamp: number;
  readonly id: string;
  readonly enclosure: string;
}

/** sfeed (Debian `sfeed`): the feed on stdin, one TAB-separated line per item. */
export function sfeedItems(xml: string): ReaderItem[] {
  const run = spawnSync('sfeed', [], { input: xml, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`sfeed did not run (Debian package sfeed): ${run.error.message}`);
  if (run.status !== 0) throw new Error(`sfeed exited ${run.status}: ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [timestamp = '', title = '', link = '', , , id = '', author = '', enclosure = ''] =
        line.split('\t');
      return { timestamp: Number(timestamp), title, link, id, author, enclosure };
    });
}

/**
 * newsboat (Debian `newsboat`), run headless: `-x reload` fetches the feed over HTTP into its SQLite cache,
 * which `sqlite3` (Debian `sqlite3`) then reads. One cache per feed: newsboat keeps one item per guid, and
 * the RSS and Atom feeds share their ids. Asynchronous: the site is served by this same process, so
 * blocking on newsboat would leave its requests unanswered.
 */
export async function newsboatItems(feedUrl: string, workDir: string): Promise<ReaderItem[]> {
  mkdirSync(workDir, { recursive: true });
  const urls = join(workDir, 'urls');
  const config = join(workDir, 'config');
  const cache = join(workDir, 'cache.db');
  writeFileSync(urls, `${feedUrl}\n`);
  writeFileSync(config, '');
  await new Promise<void>((resolve, reject) => {
    execFile(
      'newsboat',
      ['-u', urls, '-C', config, '-c', cache, '-x', 'reload'],
      { env: { ...process.env, HOME: workDir }, timeout: 60_000 },
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`newsboat failed (Debian package newsboat): ${error.message} ${stderr}`))
          : resolve(),
    );
  });
  const query = spawnSync(
    'sqlite3',
    [
      '-json',
      cache,
      'SELECT title, url, author, pubDate, guid, enclosure_url, feedurl FROM rss_item ORDER BY id',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (query.error) throw new Error(`sqlite3 did not run (Debian package sqlite3): ${query.error.message}`);
  if (query.status !== 0) throw new Error(`sqlite3 exited ${query.status}: ${query.stderr}`);
  const rows = JSON.parse(query.stdout || '[]') as {
    title: string;
    url: string;
    author: string;
    pubDate: number;
    guid: string;
    enclosure_url: string | null;
    feedurl: string;
  }[];
  return rows
    .filter((row) => row.feedurl === feedUrl)
    .map((row) => ({
      title: row.title,
      link: row.url,
      author: row.author,
      timestamp: row.pubDate,
      id: row.guid,
      enclosure: row.enclosure_url ?? '',
    }));
}

import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/build.ts';
import { resolveSiteConfig } from '../../shared/render/site-config.ts';
import { assertWellFormedXml } from '../../shared/render/well-formed.ts';
import { buildSite } from '../../shared/site/build-site.ts';
import { attr, findAll, parsePage } from '../render/html-support.ts';
import { ATOM_SCHEMA, feedparser, jing } from '../render/support.ts';

const FIXTURES = new URL('./fixtures/inbox/', import.meta.url).pathname;
const REPO = new URL('../../', import.meta.url).pathname;
const BASE = 'https://news.example.org';
// The 8-byte PNG signature and a few bytes: the build copies pictures, it never decodes them.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]);
const UNDATED_MTIME = new Date('2025-02-14T09:08:07.654Z');

let work: string;
let inbox: string;
let out: string;

/** A fresh inbox: the sample articles plus a picture, an undated note, a draft, bad files and a stray file. */
function makeInbox(): void {
  cpSync(FIXTURES, inbox, { recursive: true });
  writeFileSync(join(inbox, 'averley-river-cleanup.png'), PNG);
  writeFileSync(
    join(inbox, 'undated-note.txt'),
    'Parish Notice: Hall Closed\n\nThe village hall is closed for repairs this week.\n',
  );
  utimesSync(join(inbox, 'undated-note.txt'), UNDATED_MTIME, UNDATED_MTIME);
  writeFileSync(join(inbox, 'draft-piece.md'), '---\ntitle: Not Yet\ndraft: true\n---\n\nUnfinished.\n');
  writeFileSync(join(inbox, 'empty.txt'), '');
  writeFileSync(
    join(inbox, 'broken.txt'),
    Buffer.from([0x54, 0x69, 0x74, 0x6c, 0x65, 0x0a, 0xff, 0xfe, 0x0a]),
  );
  writeFileSync(join(inbox, 'notes.pdf'), '%PDF-1.4');
}

async function build(...extra: string[]) {
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
    const code = await run([inbox, '--out', out, '--base-url', BASE, ...extra]);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => p.split('\\').join('/'))
    .sort();
}

const read = (path: string) => readFileSync(join(out, path), 'utf8');

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'dropfeed-build-'));
  inbox = join(work, 'inbox');
  out = join(work, 'site');
  mkdirSync(inbox);
  makeInbox();
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('dropfeed build', () => {
  it('publishes the good articles and reports the bad ones on stderr without stopping', async () => {
    const result = await build();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/inbox\/empty\.txt: .*empty/);
    expect(result.stderr).toMatch(/inbox\/broken\.txt: .*UTF-8/i);
    expect(result.stderr).toMatch(/inbox\/draft-piece\.md: draft, not published/);
    expect(result.stderr).toMatch(/inbox\/notes\.pdf: ignored/);
    expect(result.stdout).toMatch(
      /^dropfeed build: 5 published, 2 rejected, 1 draft\(s\), 1 ignored; \d+ file\(s\) written, 0 unchanged/,
    );
    const slugs = readdirSync(join(out, 'articles')).sort();
    expect(slugs).toHaveLength(5);
    expect(slugs).toEqual(
      expect.arrayContaining([
        'averley-river-cleanup',
        'harvest-festival-guide',
        'koenji-night-market-onigiri',
        'undated-note',
      ]),
    );
    // A key inside a folder is not its own slug, so it gets the key's hash.
    expect(slugs.find((s) => s.startsWith('millbrook-bike-lanes-vote-'))).toMatch(
      /^millbrook-bike-lanes-vote-[0-9a-f]{6}$/,
    );
  });

  it('writes valid feeds whose every item link resolves to a written page that names the feeds', async () => {
    await build();
    const rss = read('feed.xml');
    const atom = read('atom.xml');
    assertWellFormedXml('feed.xml', rss);
    assertWellFormedXml('atom.xml', atom);
    expect(jing(ATOM_SCHEMA, atom).ok).toBe(true);
    const feeds = [feedparser(rss), feedparser(atom)];
    const json = JSON.parse(read('feed.json')) as { items: { url: string }[] };
    const links = [...feeds.flatMap((f) => f.entries.map((e) => e.link)), ...json.items.map((i) => i.url)];
    expect(links).toHaveLength(15);
    for (const link of links) {
      expect(link.startsWith(`${BASE}/articles/`)).toBe(true);
      const html = read(`${new URL(link).pathname.slice(1)}index.html`);
      const { document, errors } = parsePage(html);
      expect(errors).toEqual([]);
      const alternates = findAll(document, (e) => e.tagName === 'link' && attr(e, 'rel') === 'alternate');
      expect(alternates.map((l) => attr(l, 'href'))).toEqual([
        `${BASE}/feed.xml`,
        `${BASE}/atom.xml`,
        `${BASE}/feed.json`,
      ]);
    }
    for (const feed of feeds) expect(feed.bozo).toBe(false);
  });

  it('copies the picture beside an article as its lead picture, with the right type and length', async () => {
    await build();
    expect(readFileSync(join(out, 'media/averley-river-cleanup.png'))).toEqual(PNG);
    const item = feedparser(read('feed.xml')).entries.find((e) => e.link.endsWith('/averley-river-cleanup/'));
    expect(item?.enclosures).toEqual([
      { href: `${BASE}/media/averley-river-cleanup.png`, type: 'image/png', length: String(PNG.length) },
    ]);
    expect(read('articles/averley-river-cleanup/index.html')).toContain(
      `src="${BASE}/media/averley-river-cleanup.png"`,
    );
  });

  it('dates an undated article by its file mtime, and the feeds are newest first', async () => {
    await build();
    const json = JSON.parse(read('feed.json')) as { items: { url: string; date_published: string }[] };
    const undated = json.items.find((i) => i.url.endsWith('/undated-note/'));
    expect(undated?.date_published).toBe('2025-02-14T09:08:07Z');
    const dates = json.items.map((i) => i.date_published);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('rewrites nothing when nothing changed, and only what changed after an edit', async () => {
    await build();
    const before = new Map(listFiles(out).map((p) => [p, statSync(join(out, p)).mtimeMs]));
    const second = await build();
    expect(second.stdout).toMatch(/0 file\(s\) written, \d+ unchanged/);
    for (const [path, mtime] of before) expect(statSync(join(out, path)).mtimeMs).toBe(mtime);

    const file = join(inbox, 'koenji-night-market-onigiri.txt');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('With a History Lesson', 'With a Lesson in History'),
    );
    const third = await build();
    expect(third.stdout).toMatch(/ 5 file\(s\) written/);
    const changed = listFiles(out).filter((p) => statSync(join(out, p)).mtimeMs !== before.get(p));
    expect(changed.sort()).toEqual(
      [
        'articles/koenji-night-market-onigiri/index.html',
        'atom.xml',
        'feed.json',
        'feed.xml',
        'index.html',
      ].sort(),
    );
  });

  it('removes the page and picture of an article that left the inbox, and nothing it did not write', async () => {
    await build();
    writeFileSync(join(out, 'CNAME'), 'news.example.org\n');
    rmSync(join(inbox, 'averley-river-cleanup.txt'));
    const result = await build();
    expect(result.stdout).toMatch(/4 published.* 2 removed/);
    expect(existsSync(join(out, 'articles/averley-river-cleanup'))).toBe(false);
    expect(existsSync(join(out, 'media/averley-river-cleanup.png'))).toBe(false);
    expect(result.stderr).toMatch(
      /averley-river-cleanup\.png: ignored: no published article uses this image/,
    );
    expect(readFileSync(join(out, 'CNAME'), 'utf8')).toBe('news.example.org\n');
    expect(JSON.parse(read('feed.json')).items).toHaveLength(4);
  });

  it('--max-items limits the feeds and the index page', async () => {
    await build('--max-items', '2');
    expect(JSON.parse(read('feed.json')).items).toHaveLength(2);
    expect(feedparser(read('atom.xml')).entries).toHaveLength(2);
    expect(readdirSync(join(out, 'articles'))).toHaveLength(5);
  });

  it('--strict writes nothing and exits 1 when a file is rejected', async () => {
    const result = await build('--strict');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--strict: 2 file\(s\) rejected, nothing written/);
    expect(listFiles(out)).toEqual([]);
    rmSync(join(inbox, 'empty.txt'));
    rmSync(join(inbox, 'broken.txt'));
    expect((await build('--strict')).code).toBe(0);
  });

  it('reads settings from --config, and flags override them', async () => {
    const config = join(work, 'site.json');
    writeFileSync(
      config,
      JSON.stringify({ title: 'Valley News', language: 'fr', baseUrl: 'https://valley.example' }),
    );
    await build('--config', config, '--language', 'de');
    const feed = feedparser(read('atom.xml'));
    expect(feed.feed.title).toBe('Valley News');
    expect(feed.feed.language).toBe('de');
    // --base-url is passed by build() and wins over the file.
    expect(feed.entries[0]?.link.startsWith(`${BASE}/`)).toBe(true);
  });

  it('answers bad usage and bad settings with exit 2 and the reason', async () => {
    const config = join(work, 'bad.json');
    writeFileSync(config, JSON.stringify({ titel: 'typo' }));
    const typo = await build('--config', config);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown setting 'titel'/);
    const badUrl = await build('--base-url', 'not a url');
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/baseUrl 'not a url' is not an absolute URL/);
    out = inbox;
    const sameFolder = await build();
    expect(sameFolder.code).toBe(2);
    expect(sameFolder.stderr).toMatch(/--out must be another folder than INBOX_DIR/);
    out = join(work, 'site');
    expect(listFiles(out)).toEqual([]);
  });

  it('does not read its own output when the site folder is inside the inbox', async () => {
    out = join(inbox, 'site');
    const first = await build();
    const second = await build();
    expect(second.stdout).toMatch(/5 published, 2 rejected, 1 draft\(s\), 1 ignored; 0 file\(s\) written/);
    expect(first.code).toBe(0);
  });

  it('refuses an article over the size limit from its size, naming the size and the limit', async () => {
    // The largest fixture, one byte over the limit; the others stay under it.
    const key = 'regional/millbrook-bike-lanes-vote.txt';
    const size = statSync(join(inbox, key)).size;
    const limit = size - 1;
    const report = await buildSite({
      inboxDir: inbox,
      outDir: out,
      site: resolveSiteConfig({ baseUrl: BASE }),
      maxArticleBytes: limit,
    });
    expect(report.rejected.find((n) => n.key === key)?.reason).toBe(
      `the file is ${size} bytes, larger than the ${limit}-byte limit for an article`,
    );
    expect(readdirSync(join(out, 'articles')).filter((slug) => slug.startsWith('millbrook'))).toEqual([]);
    expect(report.published).toBe(4);
  });

  it('runs as a real command: `node bin/dropfeed.js build` with ./dropfeed.config.json', () => {
    writeFileSync(
      join(work, 'dropfeed.config.json'),
      JSON.stringify({ title: 'From The File', baseUrl: BASE }),
    );
    const result = spawnSync(
      process.execPath,
      [join(REPO, 'bin/dropfeed.js'), 'build', 'inbox', '--out', 'site'],
      {
        cwd: work,
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^inbox\/empty\.txt: /m);
    expect(result.stdout).toMatch(/5 published/);
    expect(feedparser(read('feed.xml')).feed.title).toBe('From The File');
  });
});

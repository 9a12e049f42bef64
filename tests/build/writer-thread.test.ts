/**
 * A large build writes its article pages on a second thread (`shared/site/page-writer.ts`). It must publish
 * exactly what one thread publishes: the same files byte for byte, the same report (notices in key order,
 * pages in feed order), the same rewrites of changed files only, the same failures. Timing is left to the
 * benchmark; these tests ask for the thread on inboxes too small to get it by default.
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
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/gen-corpus.ts';
import { resolveSiteConfig } from '../../shared/render/site-config.ts';
import { type BuildReport, buildSite } from '../../shared/site/build-site.ts';
import { MANIFEST_FILE } from '../../shared/site/manifest.ts';

const FIXTURES = new URL('./fixtures/inbox/', import.meta.url).pathname;
const REPO = new URL('../../', import.meta.url).pathname;
const SITE = resolveSiteConfig({ baseUrl: 'https://news.example.org', title: 'Threads', maxItems: 20 });
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7]);
const GENERATED = 200;

let work: string;
let inbox: string;

/**
 * The fixtures plus generated articles, and every case where one article's fate depends on another's:
 * `twin.md` and `twin.txt` share a slug (the first key wins), `pair.md` is a draft so `pair.txt` publishes,
 * a picture for an article and one for none, rejected files, an undated article.
 */
async function makeInbox(dir: string): Promise<void> {
  cpSync(FIXTURES, dir, { recursive: true });
  await generateCorpus(dir, GENERATED, 11, { startDay: '2025-01-01', days: 40 });
  writeFileSync(join(dir, 'averley-river-cleanup.png'), PNG);
  writeFileSync(join(dir, 'lonely.png'), PNG);
  writeFileSync(
    join(dir, 'twin.md'),
    '---\ntitle: Twin In Markdown\ndate: 2025-02-01\n---\n\nThe first twin.\n',
  );
  writeFileSync(join(dir, 'twin.txt'), 'Twin In Text\n\nThe second twin.\n');
  writeFileSync(join(dir, 'pair.md'), '---\ntitle: Not Yet\ndraft: true\n---\n\nUnfinished.\n');
  writeFileSync(join(dir, 'pair.txt'), 'The Published Pair\n\nPublished, since pair.md is a draft.\n');
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, 'broken.txt'), Buffer.from([0x54, 0x69, 0x0a, 0xff, 0xfe, 0x0a]));
  writeFileSync(join(dir, 'notes.pdf'), '%PDF-1.4');
  const undated = join(dir, 'undated-note.txt');
  writeFileSync(undated, 'Hall Closed\n\nThe village hall is closed this week.\n');
  const mtime = new Date('2025-03-01T10:11:12Z');
  utimesSync(undated, mtime, mtime);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => p.split('\\').join('/'))
    .sort();
}

function expectSameSite(actual: string, expected: string): void {
  const files = listFiles(expected);
  expect(listFiles(actual)).toEqual(files);
  for (const path of files) {
    expect(readFileSync(join(actual, path)), path).toEqual(readFileSync(join(expected, path)));
  }
}

/** The report without what depends on the run: how long phases took, how many threads there were. */
function outcomeOf(report: BuildReport) {
  const { timings: _timings, threads: _threads, ...rest } = report;
  return rest;
}

function build(out: string, threads: number, options: { inboxDir?: string; strict?: boolean } = {}) {
  return buildSite({
    inboxDir: options.inboxDir ?? inbox,
    outDir: out,
    site: SITE,
    threads,
    strict: options.strict,
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dropfeed-writer-'));
  inbox = join(work, 'inbox');
  mkdirSync(inbox);
  await makeInbox(inbox);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('writing the pages on a second thread', () => {
  it('writes the same site and the same report as one thread, first build and rebuild', async () => {
    const one = join(work, 'one');
    const two = join(work, 'two');
    const single = await build(one, 1);
    const threaded = await build(two, 2);
    expect([single.threads, threaded.threads]).toEqual([1, 2]);
    expect(outcomeOf(threaded)).toEqual(outcomeOf(single));
    expectSameSite(two, one);
    expect(single.published).toBe(GENERATED + 7);
    expect(single.rejected.map((n) => [n.key, n.reason])).toEqual([
      ['broken.txt', expect.stringMatching(/UTF-8/)],
      ['empty.txt', 'the file is empty'],
      ['twin.txt', "not published: twin.md already publishes under the slug 'twin'"],
    ]);
    expect(single.drafts.map((n) => n.key)).toEqual(['pair.md']);
    expect(single.ignored.map((n) => n.key)).toEqual(['notes.pdf', 'lonely.png']);
    expect(readFileSync(join(two, 'articles/pair/index.html'), 'utf8')).toContain('The Published Pair');
    expect(readFileSync(join(two, 'media/averley-river-cleanup.png'))).toEqual(PNG);

    // A rebuild compares with what is there: nothing rewritten, then only what the edits changed.
    const again = await build(two, 2);
    expect(again.written).toEqual([]);
    expect(again.unchanged).toBe(single.written.length);
    const edits = join(work, 'inbox-edited');
    cpSync(inbox, edits, { recursive: true, preserveTimestamps: true });
    const edited = join(edits, 'story-000007.txt');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace(/\n\n([^\n]+)/, '\n\nEdited: $1'));
    rmSync(join(edits, 'twin.md'));
    const singleEdit = await build(one, 1, { inboxDir: edits });
    const threadedEdit = await build(two, 2, { inboxDir: edits });
    expect(outcomeOf(threadedEdit)).toEqual(outcomeOf(singleEdit));
    expect(singleEdit.written).toEqual(
      expect.arrayContaining(['articles/story-000007/index.html', 'articles/twin/index.html']),
    );
    expectSameSite(two, one);
    expect(readFileSync(join(two, 'articles/twin/index.html'), 'utf8')).toContain('Twin In Text');
  });

  it('compares with what a folder holds even without a manifest: only an empty folder is written blind', async () => {
    const out = join(work, 'no-manifest');
    mkdirSync(out);
    const first = await build(out, 2);
    rmSync(join(out, MANIFEST_FILE));
    const second = await build(out, 2);
    expect(second.written).toEqual([]);
    expect(second.unchanged).toBe(first.written.length);
  });

  it('fails the build with the reason when a page cannot be written, as one thread does', async () => {
    const failures = await Promise.all(
      [1, 2].map(async (threads) => {
        const out = join(work, `blocked-${threads}`);
        mkdirSync(out);
        writeFileSync(join(out, 'articles'), 'a file where the pages folder should be');
        return build(out, threads).then(
          () => 'built',
          (error: Error) => error.message,
        );
      }),
    );
    // Which page fails first may differ (either thread can write a page): the reason may not.
    expect(failures[0]).toMatch(/^ENOTDIR: not a directory, mkdir '.*\/blocked-1\/articles\/[a-z0-9-]+'$/);
    expect(failures[1]).toMatch(/^ENOTDIR: not a directory, mkdir '.*\/blocked-2\/articles\/[a-z0-9-]+'$/);
  });

  it('--strict still writes nothing when a file is rejected, and everything when none is', async () => {
    const out = join(work, 'strict');
    const refused = await build(out, 2, { strict: true });
    expect(refused.aborted).toBe(true);
    expect(listFiles(out)).toEqual([]);
    const clean = join(work, 'inbox-clean');
    cpSync(inbox, clean, { recursive: true, preserveTimestamps: true });
    for (const bad of ['empty.txt', 'broken.txt', 'twin.txt']) rmSync(join(clean, bad));
    const built = await build(out, 2, { inboxDir: clean, strict: true });
    expect(built.aborted).toBe(false);
    expect(built.threads).toBe(2);
    expect(listFiles(join(out, 'articles'))).toHaveLength(GENERATED + 7);
  });

  it('runs as a real command with --threads 2: the same site and the same messages as one thread', () => {
    const dropfeed = (threads: string, out: string) =>
      spawnSync(
        process.execPath,
        [join(REPO, 'bin/dropfeed.js'), 'build', 'inbox', '--out', out, '--threads', threads, '--timings'],
        { cwd: work, encoding: 'utf8' },
      );
    const one = dropfeed('1', 'cli-one');
    const two = dropfeed('2', 'cli-two');
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stderr).toMatch(/^inbox\/twin\.txt: not published: twin\.md already publishes/m);
    expect(one.stdout).toMatch(/; 1 thread\(s\)\n$/);
    expect(two.stdout).toMatch(/; 2 thread\(s\)\n$/);
    expectSameSite(join(work, 'cli-two'), join(work, 'cli-one'));

    const bad = dropfeed('0', 'cli-bad');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--threads must be a whole number of at least 1, got '0'/);
  });
});

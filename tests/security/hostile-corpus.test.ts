/**
 * Hostile input end to end: every file of the corpus (tests/fixtures/hostile) either parses into an article
 * or is rejected with a clear reason, promptly; and nothing rendered from the accepted ones (pages, feeds,
 * the HTML inside feeds) carries script or a dangerous URL, judged by parsing the output (html-safety.ts),
 * both through the renderers directly and through a real `dropfeed build` of the corpus folder.
 *
 * Timing is measured and printed, never asserted (a benchmark's job); the test timeout is the "did not hang"
 * bound.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../shared/article/model.ts';
import { slugForKey } from '../../shared/article/slug.ts';
import { stripForbiddenChars } from '../../shared/html/safe-html.ts';
import type { FeedEntry, SiteConfig } from '../../shared/render/model.ts';
import { publishTimes } from '../../shared/render/publish-time.ts';
import { renderArticleFile, renderFeedFiles, renderSiteFiles } from '../../shared/render/site.ts';
import type { HostileCase } from '../fixtures/hostile/corpus.ts';
import { FIELD_PAYLOADS, hostileCorpus } from '../fixtures/hostile/corpus.ts';
import type { BoundedOutcome } from './bounded-parse.ts';
import { createBoundedParser } from './bounded-parse.ts';
import { checkSiteDir, checkSiteFiles } from './html-safety.ts';

/** "Did not hang": far above any healthy parse (the slowest healthy file takes about a second here). */
const DEADLINE_MS = 10_000;
const MAX_HEAP_MB = 1024;

const SITE: SiteConfig = {
  baseUrl: 'https://news.example.org',
  title: 'Hostile corpus',
  description: 'Every payload we could think of',
  language: 'en',
  maxItems: 1000,
  imageUrl: null,
  author: null,
};

interface Parsed {
  readonly hostile: HostileCase;
  readonly outcome: BoundedOutcome;
}
type AcceptedParse = Parsed & { readonly outcome: { kind: 'accepted'; article: Article } };

const corpus = hostileCorpus();
const parsed = new Map<HostileCase, Parsed>();

beforeAll(async () => {
  const parser = createBoundedParser({ deadlineMs: DEADLINE_MS, maxHeapMb: MAX_HEAP_MB });
  try {
    for (const hostile of corpus)
      parsed.set(hostile, { hostile, outcome: await parser.parse(hostile.name, hostile.bytes) });
  } finally {
    await parser.close();
  }
  const all = [...parsed.values()];
  const slowest = [...all].sort((a, b) => b.outcome.ms - a.outcome.ms)[0];
  console.info(
    `hostile corpus: ${all.length} files, ${accepted().length} accepted, ` +
      `${all.filter((p) => p.outcome.kind === 'rejected').length} rejected, ` +
      `${all.filter((p) => p.outcome.kind === 'hung' || p.outcome.kind === 'crashed').length} hung or crashed; ` +
      `slowest ${slowest?.outcome.ms.toFixed(0)} ms (${slowest?.hostile.name})`,
  );
}, 40 * DEADLINE_MS);

const accepted = () => [...parsed.values()].filter((p): p is AcceptedParse => p.outcome.kind === 'accepted');

function entryFor(key: string, article: Article): FeedEntry {
  const { published } = publishTimes(key, article, '2025-06-01T12:00:00Z');
  return { key, slug: slugForKey(key), published, updated: published, article, image: null };
}

describe('every hostile file gets a clear answer, promptly', () => {
  it.each(corpus.map((c) => [c.name, c] as const))('%s', (_name, hostile) => {
    const outcome = parsed.get(hostile)?.outcome;
    expect(outcome).toBeDefined();
    if (!outcome) return;
    // Termination and memory first: a parse that hangs or kills its worker is a denial of service.
    expect(outcome.kind === 'hung' ? `still parsing after ${DEADLINE_MS} ms` : outcome.kind).not.toMatch(
      /still parsing/,
    );
    expect(outcome.kind === 'crashed' ? `worker died: ${outcome.error}` : outcome.kind).not.toMatch(
      /worker died/,
    );
    if (outcome.kind === 'rejected') {
      // A rejection must say what is wrong, and a parser crash is never a correct answer.
      expect(outcome.reason.trim().length).toBeGreaterThan(5);
      expect(outcome.code).not.toBe('internal-error');
    }
    if (hostile.expect === 'accept')
      expect(outcome.kind === 'rejected' ? outcome.reason : outcome.kind).toBe('accepted');
    if (hostile.expect === 'reject') {
      expect(outcome.kind).toBe('rejected');
      if (outcome.kind === 'rejected') expect(hostile.codes).toContain(outcome.code);
    }
  });
});

describe('nothing rendered from an accepted hostile file is executable', () => {
  it.each(corpus.map((c) => [c.name, c] as const))('%s alone: its page and its feeds', (_name, hostile) => {
    const outcome = parsed.get(hostile)?.outcome;
    if (outcome?.kind !== 'accepted') return;
    const entry = entryFor(hostile.name, outcome.article);
    const files = [renderArticleFile(entry, SITE), ...renderFeedFiles([entry], SITE)];
    expect(checkSiteFiles(files).hazards).toEqual([]);
  });

  it('all accepted files together: the whole site', () => {
    const entries = accepted().map((p) => entryFor(p.hostile.name, p.outcome.article));
    const result = checkSiteFiles(renderSiteFiles(entries, SITE));
    expect(result.files).toBe(entries.length + 6);
    expect(result.hazards).toEqual([]);
  });

  it('keeps every payload visible as text: escaped, not dropped (text articles)', () => {
    for (const { id, text } of FIELD_PAYLOADS) {
      const outcome = accepted().find((p) => p.hostile.name === `field-${id}-text.txt`);
      expect(outcome, id).toBeDefined();
      if (!outcome) continue;
      const page = renderArticleFile(entryFor(outcome.hostile.name, outcome.outcome.article), SITE);
      const shown = textContent(parse(String(page.body)));
      for (const field of [`Title ${text}`, `Second paragraph with ${text}`]) {
        expect(shown.includes(stripForbiddenChars(field).replace(/\s+/g, ' ')), `${id}: ${field}`).toBe(true);
      }
    }
  });

  it('gives every hostile file name a plain slug, distinct per key (NFC and NFD included)', () => {
    const slugs = corpus.map((c) => slugForKey(c.name));
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(new Set(slugs).size).toBe(corpus.length);
  });
});

describe('dropfeed build of the corpus folder', () => {
  let inbox: string;
  let out: string;
  beforeAll(async () => {
    inbox = await mkdtemp(join(tmpdir(), 'hostile-inbox-'));
    out = await mkdtemp(join(tmpdir(), 'hostile-site-'));
    // Files that hung the parser are already failures above; building them would only hang this test too.
    for (const c of buildable()) await writeFile(join(inbox, c.name), c.bytes);
  });
  afterAll(async () => {
    await rm(inbox, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it('builds, publishes every file the parser accepts, and the output is clean', {
    timeout: 60_000,
  }, async () => {
    const { run } = await import('../../cli/build.ts');
    const quiet = silence();
    let code: number;
    try {
      code = await run([inbox, '--out', out, '--base-url', SITE.baseUrl, '--max-items', '1000']);
    } finally {
      quiet.restore();
    }
    expect(code, quiet.stderr()).toBe(0);
    const result = await checkSiteDir(out);
    expect(result.hazards).toEqual([]);
    const pages = accepted().filter((p) => buildable().includes(p.hostile)).length;
    const built = await readdir(join(out, 'articles'));
    expect(built.length).toBe(pages);
    // Besides the pages: the index, three feeds, two assets (and whatever bookkeeping the build keeps).
    expect(result.files).toBeGreaterThanOrEqual(pages + 6);
  });
});

function buildable(): HostileCase[] {
  return corpus.filter(
    (c) => !c.keyOnly && ['accepted', 'rejected'].includes(parsed.get(c)?.outcome.kind ?? ''),
  );
}

function textContent(root: unknown): string {
  const parts: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as { nodeName?: string; value?: string; childNodes?: unknown[] };
    if (node.nodeName === '#text' && typeof node.value === 'string') parts.push(node.value);
    if (node.childNodes) for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]);
  }
  return parts.join('').replace(/\s+/g, ' ');
}

/** The build prints a line per rejected file; keep the test log readable, but keep the text for failures. */
function silence() {
  const originals = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  let captured = '';
  const capture = (chunk: string | Uint8Array) => {
    captured += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  return {
    stderr: () => captured.slice(-4000),
    restore() {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

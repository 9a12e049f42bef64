/**
 * A varied inbox for the conformance suites: the sample articles, the examples, the edge cases (accepted,
 * rejected, drafts), generated wire articles in a folder, the real antiwar.com sample when ../shared has it
 * (never copied into the repo), plus files written here for what the others lack: a Markdown body with
 * relative links and pictures, a key with spaces and a picture beside it, text that looks like markup,
 * undated articles sharing one upload second, and two dated articles whose keys land on the same second.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCorpus } from '../../bench/gen-corpus.ts';
import { dayOffsetSeconds } from '../../shared/render/publish-time.ts';
import { markdownArticle, pngBytes, textArticle } from '../factories/articles.ts';

const REPO = new URL('../../', import.meta.url).pathname;
export const SAMPLES_DIR = join(REPO, 'tests/fixtures/articles/samples');
export const EDGE_DIR = join(REPO, 'tests/fixtures/articles/edge');
export const EXAMPLES_DIR = join(REPO, 'examples');
/** Read at test time only: the team brief forbids committing it. */
export const ANTIWAR_SAMPLE = join(REPO, '../shared/samples/antiwar-trump-putin-call.txt');

/** One upload second shared by the undated articles, so their publishing times tie. */
export const UNDATED_MTIME = new Date('2025-03-03T10:20:30.400Z');
export const UNDATED_KEYS = ['undated/notice-a.txt', 'undated/notice-b.txt', 'undated/notice-c.txt'];
export const SPACED_KEY = 'Town Hall Notes.md';
export const SPACED_PICTURE = 'Town Hall Notes.png';
export const MARKUP_TITLE_KEY = 'q-and-a-rates.txt';
export const MARKUP_TITLE = 'Q&A: Rates, <Budgets> & the “&amp;” Clause';

export interface CorpusOptions {
  /** How many generated wire articles (in `wire/`). */
  readonly generated?: number;
  /** Include the rejected and draft edge files (the pipeline suite wants them; the reader suite does not care). */
  readonly edge?: boolean;
}

function copyArticles(from: string, to: string, filter: (name: string) => boolean = () => true): string[] {
  const copied: string[] = [];
  for (const name of readdirSync(from)) {
    if (name.endsWith('.expected.json') || !filter(name)) continue;
    copyFileSync(join(from, name), join(to, name));
    copied.push(name);
  }
  return copied;
}

/** Two keys `tie-N.txt` whose per-key offsets are equal, found by search: same date, same published second. */
export function collidingKeys(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const key = `same-second/tie-${i}.txt`;
    const offset = dayOffsetSeconds(key);
    const other = seen.get(offset);
    if (other !== undefined) return [other, key];
    seen.set(offset, key);
  }
}

/** Writes the corpus into `dir` (created) and returns every key written. */
export async function writeVariedCorpus(dir: string, options: CorpusOptions = {}): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const keys = [...copyArticles(SAMPLES_DIR, dir), ...copyArticles(EXAMPLES_DIR, dir)];
  if (options.edge ?? true) keys.push(...copyArticles(EDGE_DIR, dir));
  if (existsSync(ANTIWAR_SAMPLE)) {
    copyFileSync(ANTIWAR_SAMPLE, join(dir, 'antiwar-trump-putin-call.txt'));
    keys.push('antiwar-trump-putin-call.txt');
  }
  const generated = await generateCorpus(join(dir, 'wire'), options.generated ?? 40, 11);
  keys.push(...generated.map((k) => (k.startsWith('wire/') ? k : `wire/${k}`)));

  const write = (key: string, body: string | Uint8Array) => {
    const path = join(dir, key);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, body);
    keys.push(key);
    return path;
  };
  write(
    SPACED_KEY,
    markdownArticle({
      title: 'Town Hall Notes: Agenda, Map and Minutes',
      date: '2025-06-12',
      body: [
        'The [agenda](agenda/) and the [minutes](../minutes.html?year=2025&month=6) are online;',
        'see the [site home](/) or jump to [the vote](#vote).',
        '',
        '![Map of the ward](maps/ward.png "Ward map")',
        '',
        '## The vote {#vote}',
        '',
        'Councillors voted 7–2. Mail [the clerk](mailto:clerk@example.org) or read [the report](https://example.org/report).',
      ].join('\n'),
    }),
  );
  write(
    'markdown-kitchen-sink.md',
    [
      '---',
      'title: "Budget Day: Every Figure, Table and Quote"',
      'date: 2025-06-14',
      'author: Sam Reyes',
      'tags: [budget, council]',
      'summary: "What the council will spend, line by line."',
      '---',
      '',
      '# Overview',
      '',
      'Spending rises by **4%**, _mostly_ on roads.  ',
      'A hard break, then `inline <code>` and a [footnote link][ref].',
      '',
      '> “We kept the libraries open,” said the treasurer.',
      '',
      '1. Roads',
      '2. Schools',
      '   - primary',
      '   - secondary',
      '',
      '| Line | 2024 | 2025 |',
      '|:-----|-----:|:----:|',
      '| Roads | 1.2m | 1.3m |',
      '| Parks & gardens | 0.4m | 0.4m |',
      '',
      '```js',
      'if (a < b && c > d) { alert("<script>") }',
      '```',
      '',
      '---',
      '',
      '<script>alert(1)</script> <iframe src="x"></iframe> <b onclick="x()">raw</b>',
      '',
      '[ref]: https://example.org/budget "The budget"',
      '',
    ].join('\n'),
  );
  write(SPACED_PICTURE, pngBytes(3));
  // A JPEG beside a sample: the build copies pictures without decoding them, so any bytes will do.
  write('koenji-night-market-onigiri.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]));
  write(
    MARKUP_TITLE_KEY,
    textArticle({
      title: MARKUP_TITLE,
      date: '2025-06-10',
      dek: 'Fish & chips, AT&T and R&D &#38; more: <not a tag> stays text.',
      author: 'Jo Bloggs',
    }),
  );
  for (const key of UNDATED_KEYS) {
    const path = write(
      key,
      textArticle({ title: `Parish Notice ${key.slice(-5, -4).toUpperCase()}`, date: null }),
    );
    utimesSync(path, UNDATED_MTIME, UNDATED_MTIME);
  }
  for (const key of collidingKeys()) {
    write(key, textArticle({ title: `Same Second ${key.replace(/\D/g, '')}`, date: '2025-05-20' }));
  }
  return keys.sort();
}

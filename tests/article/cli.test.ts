import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot } from './support.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI as a user would, in a child process. */
function dropfeed(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', ['bin/dropfeed.js', ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const samplesDir = path.join(fixturesDir, 'samples');
const sampleFiles = readdirSync(samplesDir)
  .filter((name) => !name.endsWith('.json'))
  .map((name) => path.join('tests/fixtures/articles/samples', name));
const edge = (name: string) => path.join('tests/fixtures/articles/edge', name);

const ENTRY_KEYS = ['article', 'error', 'file', 'ok', 'warnings'];
const ARTICLE_KEYS = [
  'attribution',
  'author',
  'captions',
  'date',
  'dek',
  'leadImage',
  'outlet',
  'paragraphs',
  'slug',
  'summary',
  'title',
];

describe('dropfeed parse', () => {
  it('prints one JSON array with one entry per file and exits 0 when all are accepted', async () => {
    const run = await dropfeed('parse', '--json', ...sampleFiles);
    expect(run.code).toBe(0);
    const entries = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(entries.map((entry) => entry.file)).toEqual(sampleFiles);
    for (const entry of entries) {
      expect(Object.keys(entry).sort()).toEqual(ENTRY_KEYS);
      expect(entry).toMatchObject({ ok: true, error: null, warnings: [] });
      const article = entry.article as Record<string, unknown>;
      expect(Object.keys(article).sort()).toEqual(ARTICLE_KEYS);
      expect(article.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Array.isArray(article.paragraphs)).toBe(true);
      expect(Array.isArray(article.captions)).toBe(true);
    }
    const millbrook = entries.find((entry) => String(entry.file).includes('millbrook'));
    expect(millbrook?.article).toMatchObject({
      slug: 'millbrook-bike-lanes-vote',
      author: 'Priya Natarajan',
      outlet: 'Millbrookdaily.net',
      attribution: 'Millbrookdaily.net',
      leadImage: {
        caption: 'Cyclists ride along Harrow Street during the morning commute in February.',
        credit: 'Millbrook Transit Authority',
      },
      captions: [
        {
          text: 'Residents line up to speak before the vote at City Hall on Monday night',
          credit: 'Millbrook City Council photo',
        },
      ],
    });
  });

  it('reports drafts, bad files, missing files and directories as entries, and exits 1', async () => {
    const files = [edge('no-date.txt'), edge('draft.md'), edge('nul-byte.txt'), 'no/such/file.txt', 'tests'];
    const run = await dropfeed('parse', '--json', ...files);
    expect(run.code).toBe(1);
    const entries = JSON.parse(run.stdout) as {
      file: string;
      ok: boolean;
      error: string | null;
      warnings: string[];
    }[];
    expect(entries.map((entry) => [entry.file, entry.ok])).toEqual(files.map((file, i) => [file, i === 0]));
    expect(entries[0]?.warnings.join(' ')).toMatch(/no date line/);
    expect(entries[1]?.error).toMatch(/draft/);
    expect(entries[2]?.error).toMatch(/^nul-byte: /);
    expect(entries[3]?.error).toMatch(/no such file/);
    expect(entries[4]?.error).toMatch(/directory/);
    for (const entry of entries.slice(1)) expect(entry).toMatchObject({ article: null, warnings: [] });
  });

  it('applies --max-bytes', async () => {
    const run = await dropfeed('parse', '--json', '--max-bytes', '100', sampleFiles[0] ?? '');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)[0].error).toMatch(/^too-large: .*100-byte limit/);
  });

  it('prints each block with its role, and names rejected files, without --json', async () => {
    const millbrook = sampleFiles.find((file) => file.includes('millbrook')) ?? '';
    const run = await dropfeed('parse', millbrook, edge('impossible-date.txt'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${millbrook}: accepted (text)`);
    expect(run.stdout).toMatch(/^ {2}lead image +Cyclists ride/m);
    expect(run.stdout).toMatch(/^ {2}caption +Residents line up/m);
    expect(run.stdout).toMatch(/^ {2}attribution +This article originally appeared at Millbrookdaily.net./m);
    expect(run.stdout).toContain(`${edge('impossible-date.txt')}: REJECTED (impossible-date)`);
  });

  it.each([[[]], [['--json']], [['--frobnicate', 'a.txt']], [['--max-bytes', 'lots', 'a.txt']]])(
    'exits 2 on a usage error: %j',
    async (args) => {
      const run = await dropfeed('parse', ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^dropfeed parse: .+\nusage: dropfeed parse/);
      expect(run.stdout).toBe('');
    },
  );
});

import type { parse } from 'yaml';
import { isCalendarDay } from './date-line.ts';
import { ArticleRejection } from './model.ts';

/** The front matter keys the Markdown format defines, read and checked. */
export interface FrontMatter {
  readonly title: string;
  readonly date: string | null;
  readonly author: string | null;
  readonly summary: string | null;
  readonly image: string | null;
  readonly tags: readonly string[];
  readonly warnings: readonly string[];
}

type YamlParse = typeof parse;

const KNOWN_KEYS = new Set(['title', 'date', 'author', 'summary', 'image', 'tags', 'draft']);
// Front matter between `---` lines at the very top; `...` may close it, as in YAML itself.
const FENCED = /^---\n(?:([\s\S]*?)\n)?(?:---|\.\.\.)(?:\n|$)/;
// A document of a few keys never needs many aliases; a low cap stops "billion laughs" expansion cold.
const MAX_ALIASES = 20;

/** Splits the YAML front matter from the Markdown body. Throws `ArticleRejection` for what cannot publish. */
export function splitFrontMatter(text: string): { yaml: string | null; body: string } {
  if (!text.startsWith('---\n') && text !== '---') return { yaml: null, body: text };
  const match = FENCED.exec(text);
  if (!match) {
    throw new ArticleRejection('malformed-front-matter', "the front matter has no closing '---' line");
  }
  return { yaml: match[1] ?? '', body: text.slice(match[0].length) };
}

/** `parseYaml` is the yaml package's `parse`, loaded only for Markdown articles (see `loadMarkdownDeps`). */
export function readFrontMatter(yaml: string | null, parseYaml: YamlParse): FrontMatter {
  if (yaml === null) {
    throw new ArticleRejection(
      'missing-title',
      "a Markdown article needs YAML front matter with a title (a '---' block at the top)",
    );
  }
  const data = readMapping(yaml, parseYaml);
  if (data.draft === true || (typeof data.draft === 'string' && /^(?:true|yes)$/i.test(data.draft))) {
    throw new ArticleRejection('draft', 'the front matter says draft: true; drafts are not published');
  }
  const warnings: string[] = [];
  const unknown = Object.keys(data).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) warnings.push(`ignored unknown front matter key(s): ${unknown.join(', ')}`);
  const date = readDate(data.date);
  if (date === null)
    warnings.push('no date in the front matter: the article will be dated by its first upload time');
  return {
    title: readTitle(data.title),
    date,
    author: readText('author', data.author, warnings),
    summary: readText('summary', data.summary, warnings),
    image: readText('image', data.image, warnings),
    tags: readTags(data.tags, warnings),
    warnings,
  };
}

function readMapping(yaml: string, parseYaml: YamlParse): Record<string, unknown> {
  let data: unknown;
  try {
    data = parseYaml(yaml, { maxAliasCount: MAX_ALIASES, uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    // The YAML parser's first line names the problem and its line and column; the rest is a source excerpt.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.replace(/:$/, '');
    throw new ArticleRejection('malformed-front-matter', `the front matter is not valid YAML: ${reason}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ArticleRejection(
      'malformed-front-matter',
      'the front matter must be a mapping of keys to values',
    );
  }
  return data as Record<string, unknown>;
}

function readTitle(value: unknown): string {
  const title = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
  if (title === '') throw new ArticleRejection('missing-title', 'the front matter has no title');
  return title;
}

/** A YAML date or a string; the day as written (`2025-09-20T23:30-05:00` is the 20th). */
function readDate(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  const written = String(value).trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(written);
  if (!match || !isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new ArticleRejection(
      'impossible-date',
      `the front matter date '${written}' is not a real calendar day in the form YYYY-MM-DD`,
    );
  }
  return written.slice(0, 10);
}

function readText(key: string, value: unknown, warnings: string[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const text = String(value).trim();
    return text === '' ? null : text;
  }
  warnings.push(`ignored front matter '${key}': it should be text`);
  return null;
}

/** A list, or a comma-separated string (`tags: local, food`). */
function readTags(value: unknown, warnings: string[]): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (items === null) {
    warnings.push("ignored front matter 'tags': it should be a list");
    return [];
  }
  return items
    .filter((tag) => typeof tag === 'string' || typeof tag === 'number')
    .map((tag) => String(tag).trim())
    .filter((tag) => tag !== '');
}

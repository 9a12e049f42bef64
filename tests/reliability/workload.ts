/**
 * A seeded editorial workload: uploads of new articles (text and Markdown), edits, deletes, re-uploads of
 * deleted keys and identical re-uploads, with a model of what the inbox holds after each step. Every
 * article is dated (spread over months), so its published time is a function of its key and date, never of
 * the moment it was uploaded: two pipelines fed the same workload at different times must agree.
 */
import { dayBefore, markdownArticle, textArticle } from '../factories/articles.ts';
import type { Prng } from './prng.ts';

export type Op =
  | { readonly kind: 'put'; readonly key: string; readonly body: string }
  | { readonly kind: 'delete'; readonly key: string };

export interface Workload {
  readonly batches: readonly (readonly Op[])[];
  /** Keys present in the inbox at the end. */
  readonly live: ReadonlySet<string>;
  readonly counts: Readonly<Record<'create' | 'edit' | 'delete' | 'recreate' | 'touch', number>>;
}

interface KeyState {
  version: number;
  body: string;
  live: boolean;
  day: number;
}

export function articleBody(key: string, version: number, day: number): string {
  const title = `Article ${key} version ${version}`;
  const date = dayBefore(day);
  const paragraphs = [
    `${title}: the first paragraph, long enough to read.`,
    `A second paragraph for ${key}, edit ${version}.`,
  ];
  return key.endsWith('.md')
    ? markdownArticle({ title, date, body: paragraphs.join('\n\n') })
    : textArticle({ title, date, paragraphs });
}

/**
 * `count` operations in batches of `batchSize`. Deletes favour the newest articles half of the time, so
 * the feed window empties and is refilled from the month partitions.
 */
export function generateWorkload(
  prng: Prng,
  count: number,
  options: { batchSize: number; prefix?: string },
): Workload {
  const prefix = options.prefix ?? 'story';
  const keys = new Map<string, KeyState>();
  const counts = { create: 0, edit: 0, delete: 0, recreate: 0, touch: 0 };
  const ops: Op[] = [];
  const liveKeys = () => [...keys].filter(([, s]) => s.live).map(([k]) => k);
  const deadKeys = () => [...keys].filter(([, s]) => !s.live).map(([k]) => k);
  const newest = () =>
    [...keys]
      .filter(([, s]) => s.live)
      .sort(([, a], [, b]) => a.day - b.day)
      .map(([k]) => k);

  for (let i = 0; i < count; i++) {
    const roll = prng.next();
    const live = liveKeys();
    const dead = deadKeys();
    if (roll < 0.4 || live.length < 3) {
      const n = keys.size + 1;
      const key = `${prefix}-${n.toString().padStart(4, '0')}${n % 3 === 0 ? '.md' : '.txt'}`;
      const day = prng.int(120);
      const state = { version: 1, body: articleBody(key, 1, day), live: true, day };
      keys.set(key, state);
      ops.push({ kind: 'put', key, body: state.body });
      counts.create++;
    } else if (roll < 0.7) {
      const key = prng.pick(live);
      const state = keys.get(key) as KeyState;
      state.version++;
      state.body = articleBody(key, state.version, state.day);
      ops.push({ kind: 'put', key, body: state.body });
      counts.edit++;
    } else if (roll < 0.9) {
      const key = prng.next() < 0.5 ? (newest()[0] as string) : prng.pick(live);
      (keys.get(key) as KeyState).live = false;
      ops.push({ kind: 'delete', key });
      counts.delete++;
    } else if (roll < 0.95 && dead.length > 0) {
      const key = prng.pick(dead);
      const state = keys.get(key) as KeyState;
      state.live = true;
      state.version++;
      state.body = articleBody(key, state.version, state.day);
      ops.push({ kind: 'put', key, body: state.body });
      counts.recreate++;
    } else {
      const key = prng.pick(live);
      ops.push({ kind: 'put', key, body: (keys.get(key) as KeyState).body });
      counts.touch++;
    }
  }
  const batches: Op[][] = [];
  for (let i = 0; i < ops.length; i += options.batchSize) batches.push(ops.slice(i, i + options.batchSize));
  return { batches, live: new Set(liveKeys()), counts };
}

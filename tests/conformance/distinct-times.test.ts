/**
 * `distinctTimes`: the feeds never show two entries with one timestamp ("Two entries with the same value
 * for atom:updated"), and the tie-break is a pure function of the set of entries, so the Lambda and
 * `dropfeed build` agree whatever order the articles arrived in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedEntry } from '../../shared/render/model.ts';
import { compareEntries, distinctTimes, sortEntries } from '../../shared/render/publish-time.ts';
import { entry } from '../render/factories.ts';

/** Entries drawn from few instants, so ties are the rule; some edited (updated later than published). */
const tiedEntries = fc
  .uniqueArray(
    fc.record({
      key: fc.stringMatching(/^[a-z]{1,6}\.txt$/),
      minute: fc.integer({ min: 0, max: 3 }),
      editedMinutes: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    }),
    { selector: (r) => r.key, minLength: 1, maxLength: 30 },
  )
  .map((records) =>
    records.map(({ key, minute, editedMinutes }) => {
      const base = entry({ key, article: { date: null }, firstSeen: `2025-03-03T10:0${minute}:30.000Z` });
      return editedMinutes === null
        ? base
        : { ...base, updated: `2025-03-03T10:0${Math.max(minute, editedMinutes)}:30Z` };
    }),
  );

const timesByKey = (list: readonly FeedEntry[]) =>
  Object.fromEntries(list.map((e) => [e.key, [e.published, e.updated]]));

describe('distinctTimes', () => {
  it('gives every entry its own published and its own updated time, never before published', () => {
    fc.assert(
      fc.property(tiedEntries, (list) => {
        const out = distinctTimes(sortEntries(list));
        expect(new Set(out.map((e) => e.published)).size).toBe(out.length);
        expect(new Set(out.map((e) => e.updated)).size).toBe(out.length);
        for (const e of out) expect(e.updated >= e.published).toBe(true);
      }),
    );
  });

  it('keeps the feed order and moves times only forward, by whole seconds', () => {
    fc.assert(
      fc.property(tiedEntries, (list) => {
        const sorted = sortEntries(list);
        const out = distinctTimes(sorted);
        expect(out.map((e) => e.key)).toEqual(sorted.map((e) => e.key));
        expect([...out].sort(compareEntries).map((e) => e.key)).toEqual(sorted.map((e) => e.key));
        out.forEach((e, i) => {
          const before = sorted[i] as FeedEntry;
          expect(e.published >= before.published).toBe(true);
          expect(e.published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        });
      }),
    );
  });

  it('depends only on the set of entries (any arrival order), and applying it twice changes nothing', () => {
    fc.assert(
      fc.property(tiedEntries, fc.integer(), (list, seed) => {
        const once = distinctTimes(sortEntries(list));
        const shuffled = [...list].sort(
          (a, b) => ((a.key.charCodeAt(0) * seed) % 7) - ((b.key.charCodeAt(0) * seed) % 7),
        );
        expect(timesByKey(distinctTimes(shuffled))).toEqual(timesByKey(once));
        expect(distinctTimes(once)).toEqual(once);
      }),
    );
  });

  it('leaves entries without a tie untouched (the same objects)', () => {
    const a = entry({ key: 'a.txt', article: { date: null }, firstSeen: '2025-03-03T10:00:00Z' });
    const b = entry({ key: 'b.txt', article: { date: null }, firstSeen: '2025-03-03T10:00:01Z' });
    const out = distinctTimes([b, a]);
    expect(out[0]).toBe(b);
    expect(out[1]).toBe(a);
  });

  it('breaks a tie by key: the smaller key, first in feed order, becomes the newer by one second', () => {
    const tied = ['c.txt', 'a.txt', 'b.txt'].map((key) =>
      entry({ key, article: { date: null }, firstSeen: '2025-03-03T10:20:30.400Z' }),
    );
    const out = distinctTimes(sortEntries(tied));
    expect(out.map((e) => [e.key, e.published, e.updated])).toEqual([
      ['a.txt', '2025-03-03T10:20:32Z', '2025-03-03T10:20:32Z'],
      ['b.txt', '2025-03-03T10:20:31Z', '2025-03-03T10:20:31Z'],
      ['c.txt', '2025-03-03T10:20:30Z', '2025-03-03T10:20:30Z'],
    ]);
  });
});

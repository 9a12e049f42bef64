/**
 * The window's rules, as a pure function: a batch applied in parts (some of its changes failed and come
 * again later) must leave the window it leaves when applied whole, so that a redelivery does not make the
 * pipeline's state depend on which requests happened to fail.
 */
import { describe, expect, it } from 'vitest';
import type { WindowDoc } from '../../shared/pipeline/state.ts';
import { applyToWindow, emptyWindow, type WindowChange } from '../../shared/pipeline/window.ts';
import type { FeedEntry } from '../../shared/render/model.ts';
import { entry } from '../render/factories.ts';

/** An entry published at `day` 09:00 (newest first: a later day sorts first). */
const at = (key: string, day: number): FeedEntry => ({
  ...entry({ key }),
  published: `2025-07-${String(day).padStart(2, '0')}T09:00:00Z`,
});
const keys = (window: WindowDoc) => window.entries.map((e) => e.key);
const publish = (e: FeedEntry): WindowChange => ({ key: e.key, after: e });
const remove = (e: FeedEntry): WindowChange => ({ key: e.key, after: null });

const [a, b, c, d] = [at('a.txt', 20), at('b.txt', 15), at('c.txt', 10), at('d.txt', 5)] as const;
const between = at('x.txt', 12);

/** A window that vouches for everything down to `c`; `d` (older) is published but outside it. */
function windowDownToC(): WindowDoc {
  return applyToWindow(emptyWindow(), [a, b, c, d].map(publish), 3);
}

describe('the feed window', () => {
  it('starts complete, and a trim makes it vouch only down to its last entry', () => {
    const window = windowDownToC();
    expect(keys(window)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(window.complete).toBe(false);
    expect(window.boundary).toEqual({ published: c.published, key: 'c.txt' });
  });

  it('keeps an edited entry that was its last one', () => {
    const edited = { ...c, updated: '2025-07-30T08:00:00Z' };
    const window = applyToWindow(windowDownToC(), [publish(edited)], 3);
    expect(keys(window)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(window.entries[2]?.updated).toBe('2025-07-30T08:00:00Z');
  });

  it('still vouches down to an entry that went: what sorts before it joins later as it would have at once', () => {
    const whole = applyToWindow(windowDownToC(), [remove(c), publish(between)], 3);
    const removedFirst = applyToWindow(windowDownToC(), [remove(c)], 3);
    expect(keys(removedFirst)).toEqual(['a.txt', 'b.txt']);
    const thenJoined = applyToWindow(removedFirst, [publish(between)], 3);
    expect(keys(thenJoined)).toEqual(['a.txt', 'b.txt', 'x.txt']);
    expect(thenJoined).toEqual(whole);
  });

  it('is not trimmed by a batch applied in part, so the rest of it leaves what the whole batch leaves', () => {
    const batch = [publish(between), remove(b)];
    const whole = applyToWindow(windowDownToC(), batch, 3);
    expect(keys(whole)).toEqual(['a.txt', 'x.txt', 'c.txt']);

    // The publish went through, the delete failed and comes again with the next invocation.
    const part = applyToWindow(windowDownToC(), [publish(between)], 3, { trim: false });
    expect(keys(part)).toEqual(['a.txt', 'b.txt', 'x.txt', 'c.txt']);
    expect(applyToWindow(part, [remove(b)], 3)).toEqual(whole);

    // Trimmed at once, `c` would have been lost to the window for good (until a refill).
    const trimmed = applyToWindow(windowDownToC(), [publish(between)], 3);
    expect(keys(applyToWindow(trimmed, [remove(b)], 3))).toEqual(['a.txt', 'x.txt']);
  });

  it('is trimmed all the same once a window left untrimmed reaches twice its capacity', () => {
    const many = Array.from({ length: 7 }, (_, i) => at(`n${i}.txt`, 21 + i));
    const window = applyToWindow(windowDownToC(), many.map(publish), 3, { trim: false });
    expect(window.entries).toHaveLength(3);
    expect(keys(window)).toEqual(['n6.txt', 'n5.txt', 'n4.txt']);
    expect(window.boundary).toEqual({ published: many[4]?.published, key: 'n4.txt' });
  });
});

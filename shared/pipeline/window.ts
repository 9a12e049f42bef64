import type { FeedEntry } from '../render/model.ts';
import type { WindowDoc } from './state.ts';
import { compareNewestFirst } from './state.ts';

/**
 * The window: the newest published entries in full, so feeds and the index page re-render from one
 * document. Invariant: `entries` is the top of ALL published entries in feed order, with no gap; every
 * published entry outside it sorts after its last one. It holds up to `capacity` (maxItems + slack)
 * entries; it is refilled from the month partitions only when deletions bring it below maxItems, so a
 * run of deletions costs one refill, not one each.
 */
export const WINDOW_SLACK = 10;

export function emptyWindow(): WindowDoc {
  return { v: 1, complete: true, entries: [], outputs: {}, siteHash: '' };
}

export interface WindowChange {
  readonly key: string;
  /** The entry as now published, or null when the key is no longer published. */
  readonly after: FeedEntry | null;
}

/** Applies changes (idempotent: applying them twice gives the same window). */
export function applyToWindow(
  window: WindowDoc,
  changes: readonly WindowChange[],
  capacity: number,
): WindowDoc {
  const touched = new Set(changes.map((c) => c.key));
  const kept = window.entries.filter((e) => !touched.has(e.key));
  const last = kept[kept.length - 1];
  // An entry may join only if nothing outside the window could sort before it.
  const joining = changes
    .map((c) => c.after)
    .filter((e): e is FeedEntry => e !== null)
    .filter((e) => window.complete || (last !== undefined && compareNewestFirst(e, last) < 0));
  const entries = [...kept, ...joining].sort(compareNewestFirst);
  const overflow = entries.length > capacity;
  return {
    ...window,
    complete: window.complete && !overflow,
    entries: overflow ? entries.slice(0, capacity) : entries,
  };
}

export function needsRefill(window: WindowDoc, maxItems: number): boolean {
  return !window.complete && window.entries.length < maxItems;
}

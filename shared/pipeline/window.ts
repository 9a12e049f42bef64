import type { FeedEntry } from '../render/model.ts';
import type { SortKey, WindowDoc } from './state.ts';
import { compareNewestFirst } from './state.ts';

/**
 * The window: the newest published entries in full, so feeds and the index page re-render from one
 * document. Invariant: `entries` holds every published entry up to its `boundary` in feed order, with no
 * gap (all of them while `complete`); every published entry outside it sorts after the boundary. It holds
 * up to `capacity` (maxItems + slack) entries; it is refilled from the month partitions only when deletions
 * bring it below maxItems, so a run of deletions costs one refill, not one each.
 */
export const WINDOW_SLACK = 10;

export function emptyWindow(): WindowDoc {
  return { v: 1, complete: true, entries: [], boundary: null, outputs: {}, siteHash: '' };
}

export interface WindowChange {
  readonly key: string;
  /** The entry as now published, or null when the key is no longer published. */
  readonly after: FeedEntry | null;
}

export function sortKeyOf(entry: SortKey): SortKey {
  return { published: entry.published, key: entry.key };
}

/** Up to where an incomplete window vouches for every published entry; undefined when complete or empty. */
export function boundaryOf(window: WindowDoc): SortKey | undefined {
  if (window.complete) return undefined;
  if (window.boundary) return window.boundary;
  const last = window.entries[window.entries.length - 1];
  return last ? sortKeyOf(last) : undefined;
}

/**
 * Applies changes (idempotent: applying them twice gives the same window). `trim: false` leaves a window
 * over capacity as it is (up to twice the capacity): a batch some of whose changes failed is applied in
 * part now and in part when they come again, and a trim now would drop entries that a delete still to
 * come would have kept, so the window would end unlike one that took the whole batch at once.
 */
export function applyToWindow(
  window: WindowDoc,
  changes: readonly WindowChange[],
  capacity: number,
  { trim = true }: { trim?: boolean } = {},
): WindowDoc {
  const touched = new Set(changes.map((c) => c.key));
  const kept = window.entries.filter((e) => !touched.has(e.key));
  // An entry may join only if nothing outside the window could sort before it.
  const boundary = boundaryOf(window);
  const joining = changes
    .map((c) => c.after)
    .filter((e): e is FeedEntry => e !== null)
    .filter((e) => window.complete || (boundary !== undefined && compareNewestFirst(e, boundary) <= 0));
  const entries = [...kept, ...joining].sort(compareNewestFirst);
  const overflow = entries.length > (trim ? capacity : 2 * capacity);
  const result = overflow ? entries.slice(0, capacity) : entries;
  const complete = window.complete && !overflow;
  const last = result[result.length - 1];
  return {
    ...window,
    complete,
    entries: result,
    boundary: complete ? null : overflow && last ? sortKeyOf(last) : (boundary ?? null),
  };
}

export function needsRefill(window: WindowDoc, maxItems: number): boolean {
  return !window.complete && window.entries.length < maxItems;
}

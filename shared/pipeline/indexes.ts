import type { Logger } from '../log.ts';
import type { FeedEntry, SiteConfig } from '../render/model.ts';
import { renderAssetFiles, renderFeedFiles } from '../render/site.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { readJson, updateJson } from './json-doc.ts';
import { writeIfChanged } from './outputs.ts';
import { withRetries } from './retry.ts';
import type { ArticleRecord, LightEntry, MonthDoc, MonthsIndex, WindowDoc } from './state.ts';
import {
  compareNewestFirst,
  lightEntry,
  MONTHS_INDEX_KEY,
  monthKey,
  monthOf,
  recordKey,
  WINDOW_KEY,
} from './state.ts';
import { applyToWindow, boundaryOf, emptyWindow, needsRefill, sortKeyOf, WINDOW_SLACK } from './window.ts';

/** How one key's published state moves: to `after`, from wherever its record says it may be now. */
export interface IndexDelta {
  readonly key: string;
  /** Months whose partition may list the key now (its record's footprint): the key is taken out of each. */
  readonly months: readonly string[];
  readonly after: FeedEntry | null;
  /**
   * An earlier invocation stopped part-way through a change to this key, so the feed files may not be what
   * the window document says (they are written before it): render them, and write every one of them.
   */
  readonly uncertain: boolean;
}

export interface IndexContext {
  readonly state: ObjectStore;
  readonly site: ObjectStore;
  readonly siteConfig: SiteConfig;
  readonly siteHash: string;
  readonly log: Logger;
}

/**
 * Brings the month partitions, the month index, the window and the feeds up to date with a batch of
 * deltas. Months first: a window refill reads them. Each document is a compare-and-swap update.
 * Cost: one GET + at most one PUT per touched month, the index and the window, plus the feed files whose
 * bytes changed — independent of the archive size.
 */
export async function updateIndexes(
  ctx: IndexContext,
  deltas: readonly IndexDelta[],
  options: { trim?: boolean } = {},
): Promise<void> {
  if (deltas.length === 0) return;
  const counts = await updateMonths(ctx.state, deltas);
  await updateMonthsIndex(ctx.state, counts);
  await updateWindow(ctx, deltas, options);
}

async function updateMonths(state: ObjectStore, deltas: readonly IndexDelta[]): Promise<Map<string, number>> {
  const keys = new Set(deltas.map((d) => d.key));
  const months = new Set<string>();
  for (const d of deltas) {
    for (const month of d.months) months.add(month);
    if (d.after) months.add(monthOf(d.after.published));
  }
  const counts = new Map<string, number>();
  for (const month of [...months].sort()) {
    const doc = await withRetries(() =>
      updateJson<MonthDoc>(state, monthKey(month), (current) => {
        const entries = (current?.entries ?? []).filter((e) => !keys.has(e.key));
        for (const d of deltas)
          if (d.after && monthOf(d.after.published) === month) entries.push(lightEntry(d.after));
        if (current === null && entries.length === 0) return null;
        return { v: 1, month, entries: entries.sort(compareNewestFirst) };
      }),
    );
    counts.set(month, doc?.entries.length ?? 0);
  }
  return counts;
}

async function updateMonthsIndex(state: ObjectStore, counts: ReadonlyMap<string, number>): Promise<void> {
  await withRetries(() =>
    updateJson<MonthsIndex>(state, MONTHS_INDEX_KEY, (current) => {
      const merged = new Map((current?.months ?? []).map((m) => [m.month, m.count]));
      for (const [month, count] of counts) merged.set(month, count);
      const months = [...merged]
        .filter(([, count]) => count > 0)
        .map(([month, count]) => ({ month, count }))
        .sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0));
      if (current === null && months.length === 0) return null;
      return { v: 1, months };
    }),
  );
}

async function updateWindow(
  ctx: IndexContext,
  deltas: readonly IndexDelta[],
  options: { trim?: boolean },
): Promise<void> {
  const { maxItems } = ctx.siteConfig;
  const capacity = maxItems + WINDOW_SLACK;
  const uncertain = deltas.some((d) => d.uncertain);
  await withRetries(() =>
    updateJson<WindowDoc>(ctx.state, WINDOW_KEY, async (current) => {
      const previous = current ?? emptyWindow();
      let next = applyToWindow(previous, deltas, capacity, options);
      if (needsRefill(next, maxItems)) next = await refillWindow(ctx, next, capacity, deltas);
      return renderWindow(ctx, previous, next, { distrustFeeds: uncertain });
    }),
  );
}

/**
 * Renders the feeds, the index page and the assets from the window's newest `maxItems` and writes the files
 * whose bytes differ from `previous.outputs`. Skipped when neither those entries nor the site configuration
 * changed, unless forced (a rebuild passes the site's real ETags as `previous.outputs` and forces).
 * `distrustFeeds`: an interrupted change may have written feed files (they go before the window document)
 * that `previous.outputs` does not describe; they are all written (the assets never depend on entries).
 */
export async function renderWindow(
  ctx: IndexContext,
  previous: WindowDoc,
  next: WindowDoc,
  options: { force?: boolean; distrustFeeds?: boolean } = {},
): Promise<WindowDoc> {
  const { maxItems } = ctx.siteConfig;
  const top = next.entries.slice(0, maxItems);
  const unchanged =
    !options.force &&
    !options.distrustFeeds &&
    previous.siteHash === ctx.siteHash &&
    Object.keys(previous.outputs).length > 0 &&
    JSON.stringify(previous.entries.slice(0, maxItems)) === JSON.stringify(top);
  if (unchanged) return { ...next, outputs: previous.outputs, siteHash: previous.siteHash };
  const feeds = renderFeedFiles(top, ctx.siteConfig).map((file) => ({ file, entryDependent: true }));
  const assets = renderAssetFiles(ctx.siteConfig).map((file) => ({ file, entryDependent: false }));
  const outputs: Record<string, string> = {};
  await Promise.all(
    [...feeds, ...assets].map(async ({ file, entryDependent }) => {
      const written = entryDependent && options.distrustFeeds ? undefined : previous.outputs[file.path];
      outputs[file.path] = await withRetries(() => writeIfChanged(ctx.site, file, written));
    }),
  );
  return { ...next, outputs: sortedRecord(outputs), siteHash: ctx.siteHash };
}

/**
 * Tops the window back up to capacity from the month partitions, newest month first, reading only as
 * many months as it takes, then the records of the entries it adds (entries changed in this batch come
 * from the batch itself; a record marked and not yet committed already carries the entry it publishes).
 */
async function refillWindow(
  ctx: IndexContext,
  window: WindowDoc,
  capacity: number,
  deltas: readonly IndexDelta[],
): Promise<WindowDoc> {
  const need = capacity - window.entries.length;
  // Everything published up to the boundary is in the window already.
  const from = boundaryOf(window);
  const index = (await readJson<MonthsIndex>(ctx.state, MONTHS_INDEX_KEY)).value;
  const months = (index?.months ?? []).filter(
    (m) => from === undefined || m.month <= monthOf(from.published),
  );
  const found: LightEntry[] = [];
  let readAll = true;
  for (const [i, { month }] of months.entries()) {
    const doc = (await readJson<MonthDoc>(ctx.state, monthKey(month))).value;
    for (const entry of doc?.entries ?? []) {
      if (from === undefined || compareNewestFirst(entry, from) > 0) found.push(entry);
    }
    if (found.length >= need && i < months.length - 1) {
      readAll = false;
      break;
    }
  }
  found.sort(compareNewestFirst);
  const taken = found.slice(0, need);
  const fromBatch = new Map(deltas.map((d) => [d.key, d.after]));
  const added: FeedEntry[] = [];
  for (const light of taken) {
    const entry = fromBatch.has(light.key)
      ? fromBatch.get(light.key)
      : (await readJson<ArticleRecord>(ctx.state, recordKey(light.key))).value?.entry;
    if (entry) added.push(entry);
    else ctx.log.warn('month entry without a published record; skipped in the window', { key: light.key });
  }
  const complete = readAll && found.length <= need;
  const reached = taken[taken.length - 1];
  return {
    ...window,
    complete,
    entries: [...window.entries, ...added].sort(compareNewestFirst),
    // Up to the last month entry looked at: those skipped are not published.
    boundary: complete ? null : reached ? sortKeyOf(reached) : (from ?? null),
  };
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

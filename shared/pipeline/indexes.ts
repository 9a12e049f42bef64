import type { Logger } from '../log.ts';
import type { FeedEntry, SiteConfig } from '../render/model.ts';
import { renderAssetFiles, renderFeedFiles } from '../render/site.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { readJson, updateJson } from './json-doc.ts';
import { writeIfChanged } from './outputs.ts';
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
import { applyToWindow, emptyWindow, needsRefill, WINDOW_SLACK } from './window.ts';

/** How one key's published state moves: from `before` (what the record says) to `after`. */
export interface IndexDelta {
  readonly key: string;
  readonly before: LightEntry | null;
  readonly after: FeedEntry | null;
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
export async function updateIndexes(ctx: IndexContext, deltas: readonly IndexDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const counts = await updateMonths(ctx.state, deltas);
  await updateMonthsIndex(ctx.state, counts);
  await updateWindow(ctx, deltas);
}

async function updateMonths(state: ObjectStore, deltas: readonly IndexDelta[]): Promise<Map<string, number>> {
  const keys = new Set(deltas.map((d) => d.key));
  const months = new Set<string>();
  for (const d of deltas) {
    if (d.before) months.add(monthOf(d.before.published));
    if (d.after) months.add(monthOf(d.after.published));
  }
  const counts = new Map<string, number>();
  for (const month of [...months].sort()) {
    const doc = await updateJson<MonthDoc>(state, monthKey(month), (current) => {
      const entries = (current?.entries ?? []).filter((e) => !keys.has(e.key));
      for (const d of deltas)
        if (d.after && monthOf(d.after.published) === month) entries.push(lightEntry(d.after));
      if (current === null && entries.length === 0) return null;
      return { v: 1, month, entries: entries.sort(compareNewestFirst) };
    });
    counts.set(month, doc?.entries.length ?? 0);
  }
  return counts;
}

async function updateMonthsIndex(state: ObjectStore, counts: ReadonlyMap<string, number>): Promise<void> {
  await updateJson<MonthsIndex>(state, MONTHS_INDEX_KEY, (current) => {
    const merged = new Map((current?.months ?? []).map((m) => [m.month, m.count]));
    for (const [month, count] of counts) merged.set(month, count);
    const months = [...merged]
      .filter(([, count]) => count > 0)
      .map(([month, count]) => ({ month, count }))
      .sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0));
    if (current === null && months.length === 0) return null;
    return { v: 1, months };
  });
}

async function updateWindow(ctx: IndexContext, deltas: readonly IndexDelta[]): Promise<void> {
  const { maxItems } = ctx.siteConfig;
  const capacity = maxItems + WINDOW_SLACK;
  await updateJson<WindowDoc>(ctx.state, WINDOW_KEY, async (current) => {
    const previous = current ?? emptyWindow();
    let next = applyToWindow(previous, deltas, capacity);
    if (needsRefill(next, maxItems)) next = await refillWindow(ctx, next, capacity, deltas);
    return renderWindow(ctx, previous, next);
  });
}

/**
 * Renders the feeds, the index page and the assets from the window's newest `maxItems` and writes the files
 * whose bytes differ from `previous.outputs`. Skipped when neither those entries nor the site configuration
 * changed, unless forced (a rebuild passes the site's real ETags as `previous.outputs` and forces).
 */
export async function renderWindow(
  ctx: IndexContext,
  previous: WindowDoc,
  next: WindowDoc,
  options: { force?: boolean } = {},
): Promise<WindowDoc> {
  const { maxItems } = ctx.siteConfig;
  const top = next.entries.slice(0, maxItems);
  const unchanged =
    !options.force &&
    previous.siteHash === ctx.siteHash &&
    Object.keys(previous.outputs).length > 0 &&
    JSON.stringify(previous.entries.slice(0, maxItems)) === JSON.stringify(top);
  if (unchanged) return { ...next, outputs: previous.outputs, siteHash: previous.siteHash };
  const files = [...renderFeedFiles(top, ctx.siteConfig), ...renderAssetFiles(ctx.siteConfig)];
  const outputs: Record<string, string> = {};
  await Promise.all(
    files.map(async (file) => {
      outputs[file.path] = await writeIfChanged(ctx.site, file, previous.outputs[file.path]);
    }),
  );
  return { ...next, outputs: sortedRecord(outputs), siteHash: ctx.siteHash };
}

/**
 * Tops the window back up to capacity from the month partitions, newest month first, reading only as
 * many months as it takes, then the records of the entries it adds (entries changed in this batch come
 * from the batch itself: their records are committed only after the indexes).
 */
async function refillWindow(
  ctx: IndexContext,
  window: WindowDoc,
  capacity: number,
  deltas: readonly IndexDelta[],
): Promise<WindowDoc> {
  const need = capacity - window.entries.length;
  const last = window.entries[window.entries.length - 1];
  const index = (await readJson<MonthsIndex>(ctx.state, MONTHS_INDEX_KEY)).value;
  const months = (index?.months ?? []).filter(
    (m) => last === undefined || m.month <= monthOf(last.published),
  );
  const found: LightEntry[] = [];
  let readAll = true;
  for (const [i, { month }] of months.entries()) {
    const doc = (await readJson<MonthDoc>(ctx.state, monthKey(month))).value;
    for (const entry of doc?.entries ?? []) {
      if (last === undefined || compareNewestFirst(entry, last) > 0) found.push(entry);
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
  return {
    ...window,
    complete: readAll && found.length <= need,
    entries: [...window.entries, ...added].sort(compareNewestFirst),
  };
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

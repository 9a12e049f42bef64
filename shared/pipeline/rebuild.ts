import { baseName, isArticleKey, isImageKey } from '../article/slug.ts';
import type { FeedEntry } from '../render/model.ts';
import { isPreconditionFailed, PreconditionFailed } from '../store/object-store.ts';
import type { ArticleAction, StepContext } from './article-step.ts';
import { prepareArticle } from './article-step.ts';
import { extensionOf, IMAGE_TYPES } from './images.ts';
import type { IndexContext } from './indexes.ts';
import { renderWindow } from './indexes.ts';
import { readJson, serialise, updateJson, writeJsonIfUnchanged } from './json-doc.ts';
import { unquoteEtag } from './outputs.ts';
import type { ArticleRecord, LightEntry, MonthDoc, MonthsIndex, SiblingsDoc, WindowDoc } from './state.ts';
import {
  compareNewestFirst,
  lightEntry,
  MONTHS_INDEX_KEY,
  monthKey,
  monthOf,
  recordKey,
  siblingsKey,
  WINDOW_KEY,
} from './state.ts';
import { emptyWindow, sortKeyOf, WINDOW_SLACK } from './window.ts';

export interface RebuildSummary {
  /** Inbox keys seen, by kind. */
  readonly articles: number;
  readonly images: number;
  readonly ignored: number;
  /** Articles per outcome (published, updated, unchanged, rejected, draft, removed, …). */
  readonly actions: Readonly<Partial<Record<ArticleAction, number>>>;
  /** Entries in the feeds' archive after the rebuild. */
  readonly published: number;
  /** Site pages and pictures deleted because no article owns them any more. */
  readonly orphansDeleted: number;
  /** Whole passes run (more than one when a concurrent writer changed the indexes meanwhile). */
  readonly attempts: number;
}

const REBUILD_ATTEMPTS = 3;
const CONCURRENCY = 8;

/**
 * Re-derives everything from the inbox: lists it (the one operation that does), reconciles every article
 * through the same step as an event (published times come from the existing records, unchanged outputs are
 * not rewritten, damaged ones are), removes what has no inbox object behind it, and rewrites the month
 * partitions and the window wholesale. The indexes are written conditionally on the ETags they had when the
 * pass began: if another writer changed them meanwhile the pass starts over, so nothing is silently lost.
 */
export async function rebuild(ctx: StepContext & IndexContext): Promise<RebuildSummary> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await rebuildOnce(ctx)), attempts: attempt };
    } catch (error) {
      if (!isPreconditionFailed(error) || attempt >= REBUILD_ATTEMPTS) throw error;
      ctx.log.warn('rebuild raced another writer; starting over', { attempt, key: error.key });
    }
  }
}

async function rebuildOnce(ctx: StepContext & IndexContext): Promise<Omit<RebuildSummary, 'attempts'>> {
  const { maxItems } = ctx.siteConfig;
  const capacity = maxItems + WINDOW_SLACK;
  // The read set: what the indexes were when this pass began.
  const startWindow = await readJson<WindowDoc>(ctx.state, WINDOW_KEY);
  const startIndex = await readJson<MonthsIndex>(ctx.state, MONTHS_INDEX_KEY);
  const startMonths = new Map<string, string>();
  for await (const info of ctx.state.list('months/')) startMonths.set(info.key, info.etag);
  // What the site really holds (path → md5), so missing or damaged files are rewritten and nothing else.
  const siteEtags = new Map<string, string>();
  for await (const info of ctx.site.list('')) siteEtags.set(info.key, unquoteEtag(info.etag));

  const articleKeys: string[] = [];
  const bases = new Map<string, { articles: string[]; images: { key: string; etag: string }[] }>();
  const sibling = (key: string) => {
    const base = baseName(key);
    const slot = bases.get(base) ?? { articles: [], images: [] };
    bases.set(base, slot);
    return slot;
  };
  let images = 0;
  let ignored = 0;
  for await (const info of ctx.inbox.list('')) {
    if (isArticleKey(info.key)) {
      articleKeys.push(info.key);
      sibling(info.key).articles.push(info.key);
    } else if (isImageKey(info.key)) {
      images++;
      if (IMAGE_TYPES[extensionOf(info.key)])
        sibling(info.key).images.push({ key: info.key, etag: info.etag });
    } else {
      ignored++;
      ctx.log.info('ignored: neither an article nor an image', { key: info.key });
    }
  }

  await syncSiblings(ctx, bases);

  // Records whose key has left the inbox are reconciled too: the step finds no object and removes them.
  const inInbox = new Set(articleKeys.map((key) => recordKey(key)));
  const orphanRecords: string[] = [];
  for await (const info of ctx.state.list('articles/'))
    if (!inInbox.has(info.key)) orphanRecords.push(info.key);
  const departed: string[] = [];
  for (const key of orphanRecords) {
    const record = (await readJson<ArticleRecord>(ctx.state, key)).value;
    if (record) departed.push(record.key);
    else await ctx.state.delete(key);
  }

  const actions: Partial<Record<ArticleAction, number>> = {};
  const light: LightEntry[] = [];
  let newest: FeedEntry[] = [];
  const livePaths = new Set<string>();
  let failure: unknown = null;
  // Keys sharing a base name (`x.txt`, `x.md`) one after the other in code-unit order, as the Lambda
  // reconciles them: which one owns a shared slug depends on what the others claim, so never in parallel.
  const groups = new Map<string, string[]>();
  for (const key of [...articleKeys, ...departed].sort()) {
    const base = baseName(key);
    groups.set(base, [...(groups.get(base) ?? []), key]);
  }
  const queue = [...groups.values()];
  let next = 0;
  const reconcile = async (key: string) => {
    const step = await prepareArticle(ctx, key, undefined, { siteEtags })
      .then(async (prepared) => {
        // The indexes are rewritten below from what every step publishes; records commit right away.
        await prepared.finish();
        return prepared;
      })
      .catch((error: unknown) => {
        failure ??= error;
        return null;
      });
    if (!step) return;
    actions[step.action] = (actions[step.action] ?? 0) + 1;
    if (!step.entry) return;
    light.push(lightEntry(step.entry));
    livePaths.add(`articles/${step.entry.slug}/`);
    if (step.entry.image) livePaths.add(step.entry.image.path);
    newest.push(step.entry);
    if (newest.length > capacity * 2) newest = newest.sort(compareNewestFirst).slice(0, capacity);
  };
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      while (next < queue.length && failure === null) {
        const group = queue[next++] as string[];
        for (const key of group) {
          if (failure !== null) break;
          await reconcile(key);
        }
      }
    }),
  );
  if (failure !== null) throw failure;

  // Reports of files that have left the inbox (their records, if any, were removed above).
  const inboxKeys = new Set(articleKeys);
  for await (const info of ctx.state.list('reports/')) {
    const key = info.key.slice('reports/'.length, -'.json'.length);
    if (!inboxKeys.has(key)) await ctx.state.delete(info.key);
  }

  // Pages and pictures no published article owns (deleted articles, renamed slugs, old picture types).
  let orphansDeleted = 0;
  for (const path of siteEtags.keys()) {
    if (!path.startsWith('articles/') && !path.startsWith('media/')) continue;
    const page = /^articles\/[^/]+\//.exec(path)?.[0];
    if (livePaths.has(path) || (page !== undefined && livePaths.has(page))) continue;
    await ctx.site.delete(path);
    orphansDeleted++;
  }

  await writeMonths(ctx, light, startMonths, startIndex.etag);
  newest.sort(compareNewestFirst);
  const previous = startWindow.value ?? emptyWindow();
  const complete = newest.length <= capacity;
  const entries = newest.slice(0, capacity);
  const last = entries[entries.length - 1];
  const rebuilt: WindowDoc = {
    ...previous,
    complete,
    entries,
    boundary: complete || !last ? null : sortKeyOf(last),
  };
  const onSite: Record<string, string> = {};
  for (const path of Object.keys(previous.outputs)) {
    const etag = siteEtags.get(path);
    if (etag !== undefined) onSite[path] = etag;
  }
  const window = await renderWindow(ctx, { ...previous, outputs: onSite }, rebuilt, { force: true });
  if (startWindow.text === null || serialise(window) !== startWindow.text) {
    await writeJsonIfUnchanged(ctx.state, WINDOW_KEY, window, startWindow.etag);
  }

  return { articles: articleKeys.length, images, ignored, actions, published: light.length, orphansDeleted };
}

/** Sets every siblings document to what the listing shows and drops those of base names now absent. */
async function syncSiblings(
  ctx: StepContext,
  bases: ReadonlyMap<string, { articles: string[]; images: { key: string; etag: string }[] }>,
): Promise<void> {
  const live = new Set<string>();
  for (const [base, { articles, images }] of bases) {
    live.add(siblingsKey(base));
    const doc: SiblingsDoc = {
      v: 1,
      base,
      articles: [...articles].sort(),
      images: [...images].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    };
    await updateJson<SiblingsDoc>(ctx.state, siblingsKey(base), () => doc);
  }
  for await (const info of ctx.state.list('siblings/'))
    if (!live.has(info.key)) await ctx.state.delete(info.key);
}

/** Rewrites the month partitions and their index from the full set, each conditional on its starting ETag. */
async function writeMonths(
  ctx: StepContext,
  light: readonly LightEntry[],
  startMonths: ReadonlyMap<string, string>,
  startIndexEtag: string | null,
): Promise<void> {
  const byMonth = new Map<string, LightEntry[]>();
  for (const entry of light) {
    const month = monthOf(entry.published);
    const entries = byMonth.get(month);
    if (entries) entries.push(entry);
    else byMonth.set(month, [entry]);
  }
  const seen = new Set<string>();
  for (const [month, entries] of byMonth) {
    const key = monthKey(month);
    seen.add(key);
    const doc: MonthDoc = { v: 1, month, entries: entries.sort(compareNewestFirst) };
    await writeIfDifferent(ctx, key, doc, startMonths.get(key) ?? null);
  }
  for (const [key, etag] of startMonths) {
    if (key === MONTHS_INDEX_KEY || seen.has(key)) continue;
    const month = key.slice('months/'.length, -'.json'.length);
    await writeIfDifferent(ctx, key, { v: 1, month, entries: [] } satisfies MonthDoc, etag);
  }
  const index: MonthsIndex = {
    v: 1,
    months: [...byMonth]
      .map(([month, entries]) => ({ month, count: entries.length }))
      .sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0)),
  };
  await writeIfDifferent(ctx, MONTHS_INDEX_KEY, index, startIndexEtag);
}

async function writeIfDifferent(ctx: StepContext, key: string, value: unknown, startEtag: string | null) {
  const current = await ctx.state.get(key);
  if (current && new TextDecoder().decode(current.body) === serialise(value)) {
    // Unchanged, but only if nobody wrote it since the pass began.
    if (current.etag !== startEtag) throw new PreconditionFailed(key, 412);
    return;
  }
  await writeJsonIfUnchanged(ctx.state, key, value, startEtag);
}

import { DEFAULT_MAX_ARTICLE_BYTES } from '../article/model.ts';
import { baseName, isArticleKey, isImageKey } from '../article/slug.ts';
import type { ObjectChange } from '../events/object-change.ts';
import { compareSequencers } from '../events/object-change.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import type { SiteConfig } from '../render/model.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { ArticleAction, PreparedArticle, StepContext } from './article-step.ts';
import { prepareArticle } from './article-step.ts';
import { recordImage } from './images.ts';
import type { IndexContext, IndexDelta } from './indexes.ts';
import { updateIndexes } from './indexes.ts';
import { type RebuildSummary, rebuild } from './rebuild.ts';
import { withRetries } from './retry.ts';
import { sha256Hex } from './state.ts';

export type { RebuildSummary } from './rebuild.ts';

export interface PipelineDeps {
  /** Where editors drop files; the source of truth. Only ever read. */
  readonly inbox: ObjectStore;
  /** The published site. */
  readonly site: ObjectStore;
  /** The pipeline's private records and indexes, and the rejection reports. */
  readonly state: ObjectStore;
  readonly siteConfig: SiteConfig;
  readonly maxArticleBytes?: number;
  /** The clock, for report times only: published times come from the objects. */
  readonly now?: () => Date;
  readonly log?: Logger;
}

export type ChangeAction = ArticleAction | 'image' | 'ignored';

export type ChangeOutcome =
  | { readonly key: string; readonly status: 'ok'; readonly action: ChangeAction }
  | { readonly key: string; readonly status: 'failed'; readonly error: Error };

export interface Pipeline {
  /** One outcome per change, in order; a failed change never stops the others. */
  handleChanges(changes: readonly ObjectChange[]): Promise<ChangeOutcome[]>;
  /** Re-derives the whole site from the inbox (the only operation that lists it). */
  rebuild(): Promise<RebuildSummary>;
}

/** The change indices waiting on one article key, and the newest sequencer announced for it. */
interface Slot {
  readonly owners: Set<number>;
  sequencer: string | undefined;
  /** False when any change lacks a sequencer (an image's article, a peer): then nothing is skipped as stale. */
  allSequenced: boolean;
}

/** How many articles are read and parsed at once. */
const CONCURRENCY = 8;

/**
 * Attempts of each step within one invocation (see `withRetries`). An article's preparation makes a
 * handful of requests, any of which may fail; the index update retries each of its documents itself.
 */
const PREPARE_ATTEMPTS = 3;

export function createPipeline(deps: PipelineDeps): Pipeline {
  const log = deps.log ?? silentLogger;
  const ctx: StepContext & IndexContext = {
    inbox: deps.inbox,
    site: deps.site,
    state: deps.state,
    siteConfig: deps.siteConfig,
    maxArticleBytes: deps.maxArticleBytes ?? DEFAULT_MAX_ARTICLE_BYTES,
    now: deps.now ?? (() => new Date()),
    log,
    siteHash: sha256Hex(JSON.stringify(deps.siteConfig)),
  };
  return {
    handleChanges: (changes) => handleChanges(ctx, changes),
    rebuild: () => rebuild(ctx),
  };
}

/**
 * Applies a batch: every change is reduced to "reconcile key K with the inbox", so duplicates, reordering
 * and replays collapse (one reconcile per key), then the indexes and feeds are updated once for the batch.
 */
async function handleChanges(
  ctx: StepContext & IndexContext,
  changes: readonly ObjectChange[],
): Promise<ChangeOutcome[]> {
  const outcomes: (ChangeOutcome | undefined)[] = changes.map(() => undefined);
  const fail = (indices: Iterable<number>, key: string, error: unknown) => {
    for (const i of indices)
      outcomes[i] = { key: changes[i]?.key ?? key, status: 'failed', error: asError(error) };
  };

  // Key → the change indices that depend on reconciling it, and the newest sequencer announced for it.
  const articles = new Map<string, Slot>();
  const wantArticle = (key: string, owner: number, sequencer: string | undefined) => {
    const slot = articles.get(key) ?? { owners: new Set<number>(), sequencer: undefined, allSequenced: true };
    slot.owners.add(owner);
    if (sequencer === undefined) slot.allSequenced = false;
    else if (slot.sequencer === undefined || compareSequencers(sequencer, slot.sequencer) > 0)
      slot.sequencer = sequencer;
    articles.set(key, slot);
  };

  const images = new Map<string, number[]>();
  changes.forEach((change, i) => {
    if (isArticleKey(change.key)) wantArticle(change.key, i, change.sequencer);
    else if (isImageKey(change.key)) images.set(change.key, [...(images.get(change.key) ?? []), i]);
    else {
      ctx.log.info('ignored: neither an article nor an image', { key: change.key });
      outcomes[i] = { key: change.key, status: 'ok', action: 'ignored' };
    }
  });

  // Images first: an image only changes the articles beside it, which are then reconciled like any other.
  for (const [key, owners] of images) {
    try {
      const siblings = await withRetries(async () => {
        const info = await ctx.inbox.head(key);
        return recordImage(ctx.state, baseName(key), key, info?.etag ?? null);
      });
      for (const owner of owners) {
        outcomes[owner] = { key, status: 'ok', action: 'image' };
        for (const article of siblings) wantArticle(article, owner, undefined);
      }
    } catch (error) {
      ctx.log.error('image change failed', { key, error });
      fail(owners, key, error);
    }
  }

  const prepared: { article: PreparedArticle; owners: Set<number> }[] = [];
  // Keys sharing a base name (`x.txt`, `x.md`, `x.jpg`) are reconciled one after the other, in code-unit
  // order: each sees the others' registration, so the same key owns a shared slug whatever the timing.
  const prepareAll = (slots: [string, Slot][]) => {
    const groups = new Map<string, [string, Slot][]>();
    for (const item of [...slots].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const base = baseName(item[0]);
      groups.set(base, [...(groups.get(base) ?? []), item]);
    }
    return forEachLimited([...groups.values()], CONCURRENCY, async (group) => {
      for (const [key, slot] of group) {
        try {
          const sequencer = slot.allSequenced ? slot.sequencer : undefined;
          const article = await withRetries(() => prepareArticle(ctx, key, sequencer), PREPARE_ATTEMPTS);
          prepared.push({ article, owners: slot.owners });
        } catch (error) {
          ctx.log.error('article change failed', { key, error });
          fail(slot.owners, key, error);
        }
      }
    });
  };
  await prepareAll([...articles]);
  // A key that appeared or went may hand its slug to (or take it from) a key of the same name in another
  // format: reconcile those too, in this batch, so the feeds never show two items at one address.
  const peers = new Map<string, Slot>();
  for (const { article, owners } of prepared) {
    for (const peer of article.peersToRecheck) {
      if (articles.has(peer)) continue;
      const slot = peers.get(peer) ?? {
        owners: new Set<number>(),
        sequencer: undefined,
        allSequenced: false,
      };
      for (const owner of owners) slot.owners.add(owner);
      peers.set(peer, slot);
    }
  }
  await prepareAll([...peers]);

  const withDelta = prepared.filter(({ article }) => article.delta);
  // The window is trimmed only by a batch that went through whole (see `applyToWindow`).
  const whole = outcomes.every((outcome) => outcome?.status !== 'failed');
  try {
    await withRetries(() =>
      updateIndexes(
        ctx,
        withDelta.map(({ article }) => article.delta as IndexDelta),
        { trim: whole },
      ),
    );
  } catch (error) {
    ctx.log.error('index update failed; retrying change by change', { error });
    // One entry the feeds cannot carry must not hold back the rest of the batch (FIFO would retry them
    // together until all of them reach the dead-letter queue): apply the deltas one at a time.
    for (const { article, owners } of withDelta) {
      try {
        await withRetries(() => updateIndexes(ctx, [article.delta as IndexDelta], { trim: false }));
      } catch (single) {
        ctx.log.error('index update failed', { key: article.key, error: single });
        fail(owners, article.key, single);
        prepared.splice(
          prepared.findIndex((p) => p.article === article),
          1,
        );
      }
    }
  }

  await forEachLimited(prepared, CONCURRENCY, async ({ article, owners }) => {
    try {
      await withRetries(() => article.finish());
      ctx.log.info('article reconciled', { key: article.key, action: article.action });
      for (const owner of owners) {
        if (outcomes[owner]?.status === 'failed') continue;
        // An image change succeeded only if the articles beside it did.
        if (outcomes[owner] === undefined)
          outcomes[owner] = { key: article.key, status: 'ok', action: article.action };
      }
    } catch (error) {
      ctx.log.error('article commit failed', { key: article.key, error });
      fail(owners, article.key, error);
    }
  });

  return outcomes.map(
    (outcome, i) =>
      outcome ?? {
        key: changes[i]?.key ?? '',
        status: 'failed',
        error: new Error('change was not processed'),
      },
  );
}

export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

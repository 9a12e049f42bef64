import type { Article } from '../article/model.ts';
import { parseArticle } from '../article/parse.ts';
import { baseName, slugForKey } from '../article/slug.ts';
import { compareSequencers } from '../events/object-change.ts';
import type { Logger } from '../log.ts';
import type { FeedEntry, PublishedImage, SiteConfig, SiteFile } from '../render/model.ts';
import { publishTimes, toTimestamp } from '../render/publish-time.ts';
import { renderArticleFile } from '../render/site.ts';
import type { ObjectStore, StoredObject } from '../store/object-store.ts';
import { toBytes } from '../store/object-store.ts';
import type { LoadedImage } from './images.ts';
import { chooseImage, copyImage, loadImage, recordArticleSibling } from './images.ts';
import type { IndexDelta } from './indexes.ts';
import type { Versioned } from './json-doc.ts';
import {
  readJson,
  STATE_CACHE_CONTROL,
  STATE_CONTENT_TYPE,
  serialise,
  writeJsonIfUnchanged,
} from './json-doc.ts';
import { writeIfChanged } from './outputs.ts';
import type { ArticleRecord, Footprint, RejectionReport, ReportCode, SiblingsDoc } from './state.ts';
import {
  footprintBeyond,
  footprintOf,
  isPending,
  md5Hex,
  recordKey,
  reportKey,
  sha256Hex,
  siblingsKey,
} from './state.ts';

export interface StepContext {
  readonly inbox: ObjectStore;
  readonly site: ObjectStore;
  readonly state: ObjectStore;
  readonly siteConfig: SiteConfig;
  readonly maxArticleBytes: number;
  readonly now: () => Date;
  readonly log: Logger;
}

export type ArticleAction =
  | 'stale'
  | 'unchanged'
  | 'published'
  | 'updated'
  | 'rejected'
  | 'rejected-kept-last-good'
  | 'draft'
  | 'slug-conflict'
  | 'removed'
  | 'absent';

/**
 * One article key, reconciled with its inbox object in two halves around the shared index update:
 * `prepareArticle` reads and writes what belongs to this key alone and must exist before the feeds point at
 * it (the page, the picture); `finish` removes what the feeds no longer point at and commits the record.
 * Before its first write anywhere, a change marks the record with what it is about to publish (see
 * `ArticleRecord.pending`); the commit comes last. So a crash anywhere in between leaves a record naming
 * everything the key may have published, and whichever reconcile comes next redoes or undoes all of it.
 */
export interface PreparedArticle {
  readonly key: string;
  readonly action: ArticleAction;
  /** Null when the month partitions, the window and the feeds are unaffected. */
  readonly delta: IndexDelta | null;
  /** What is published for the key once this step is finished. */
  readonly entry: FeedEntry | null;
  /**
   * Other present keys that want the same slug (`x.txt` beside `x.md`). When this key appeared or went,
   * or started or stopped claiming the slug, they must be reconciled too: the first key in code-unit order
   * that claims the slug owns it.
   */
  readonly peersToRecheck: readonly string[];
  finish(): Promise<void>;
}

export interface PrepareOptions {
  /**
   * The site bucket's listing (path → md5) for a rebuild: pages and pictures are checked against what is
   * really there rather than what the record says was written, so a damaged site heals.
   */
  readonly siteEtags?: ReadonlyMap<string, string>;
}

const nothingToFinish = async () => {};

export async function prepareArticle(
  ctx: StepContext,
  key: string,
  sequencer?: string,
  options: PrepareOptions = {},
): Promise<PreparedArticle> {
  const { siteEtags } = options;
  const base = baseName(key);
  // Three reads that depend on nothing but the key, issued together: on S3 each is a round trip of tens of
  // milliseconds, and an upload's steps are otherwise one after the other. (A stale event, rare, reads the
  // object for nothing.)
  const [recordDoc, object, siblingsDoc] = await Promise.all([
    readJson<ArticleRecord>(ctx.state, recordKey(key)),
    ctx.inbox.get(key, { maxBytes: ctx.maxArticleBytes }),
    readJson<SiblingsDoc>(ctx.state, siblingsKey(base)),
  ]);
  const record = recordDoc.value;
  // Events of one key are ordered by their sequencer: one older than already applied says nothing new.
  if (sequencer && record?.sequencer && compareSequencers(sequencer, record.sequencer) < 0) {
    return {
      key,
      action: 'stale',
      delta: null,
      entry: record.entry,
      peersToRecheck: [],
      finish: nothingToFinish,
    };
  }
  // The event is only a hint: the object itself says what is true now (a late "created" after a delete
  // finds nothing; a replay finds the version already applied).
  const present = object !== null;

  const slug = slugForKey(key);
  const siblingsBefore = siblingsDoc.value;
  const wasRegistered = siblingsBefore?.articles.includes(key) ?? false;
  // Registered before anything is published, so an image arriving meanwhile finds this article.
  if (wasRegistered !== present) await recordArticleSibling(ctx.state, base, key, present, siblingsDoc);
  const peers = (siblingsBefore?.articles ?? []).filter((k) => k !== key && slugForKey(k) === slug);
  const registrationChanged = wasRegistered !== present;
  const peersToRecheck = registrationChanged ? peers : [];

  const journal = recordJournal(ctx.state, key, recordDoc);
  // Everything the key may have on the site and in the months, however far an earlier change got.
  const footprint = footprintOf(record);
  // An earlier change was interrupted: nothing its record says was written can be taken for granted.
  const recovering = isPending(record);
  const claimingPeers = await peersClaimingSlug(ctx, peers);
  if (!object) return prepareRemoval(ctx, key, record, journal, footprint, claimingPeers, peersToRecheck);

  // The record of the key's last version, for what carries over (first seen, `updated`, the last good
  // version). A tombstone's key was removed: what is there now is a new article.
  const last = record?.status === 'removed' ? null : record;
  const newestSequencer =
    sequencer && (!record?.sequencer || compareSequencers(sequencer, record.sequencer) > 0)
      ? sequencer
      : (record?.sequencer ?? null);
  const image = chooseImage(siblingsBefore);
  const contentHash = object.size > object.body.byteLength ? `etag:${object.etag}` : sha256Hex(object.body);
  // The slug goes to the first key, in code-unit order, that claims it: one whose latest version publishes
  // (or lost only the slug), or that still has its last good version up. A draft or a file that does not
  // parse claims nothing, so it never keeps the article beside it off the site (as in `dropfeed build`).
  const ownerOfSlug = (selfClaims: boolean) => [...(selfClaims ? [key] : []), ...claimingPeers].sort()[0];
  const claimedBefore = claimsSlug(record);
  const recordedOwner = ownerOfSlug(claimedBefore);

  const sameImage =
    (last?.imageKey ?? null) === (image?.key ?? null) && (last?.imageEtag ?? null) === (image?.etag ?? null);
  const siteIntact =
    !siteEtags ||
    !last?.entry ||
    (last.pagePath !== null &&
      siteEtags.get(last.pagePath) === last.pageHash &&
      (!last.entry.image || siteEtags.has(last.entry.image.path)));
  const conflictAsRecorded =
    !claimedBefore || (recordedOwner !== key) === (record?.rejection?.code === 'slug-conflict');
  if (
    record &&
    !recovering &&
    siteIntact &&
    conflictAsRecorded &&
    record.contentHash === contentHash &&
    record.slug === slug &&
    (record.entry === null || sameImage)
  ) {
    return {
      key,
      action: 'unchanged',
      delta: null,
      entry: record.entry,
      peersToRecheck,
      finish: nothingToFinish,
    };
  }

  const common = {
    v: 1 as const,
    key,
    slug,
    sequencer: newestSequencer,
    etag: object.etag,
    versionId: object.versionId ?? null,
    contentHash,
    // LastModified of the first version seen: the publishing time of an undated article, for good.
    firstSeen: last?.firstSeen ?? toTimestamp(object.lastModified),
  };

  const parsed = await parse(ctx, key, object);
  // A version that does not parse still claims the slug while its last good version stays published.
  const keepsLastGood = !parsed.ok && parsed.code !== 'draft' && last?.entry != null;
  const slugOwner = ownerOfSlug(parsed.ok || keepsLastGood);
  const verdict: Verdict =
    parsed.ok && slugOwner !== key
      ? {
          ok: false,
          code: 'slug-conflict',
          reason: `'${slugOwner}' is published under the same slug '${slug}'; rename one of the two files`,
        }
      : parsed;
  // A key that starts or stops claiming the slug may hand it to (or take it from) the keys beside it.
  const recheck = registrationChanged || claimedBefore !== (parsed.ok || keepsLastGood) ? peers : [];

  if (!verdict.ok) {
    const { code, reason } = verdict;
    const previous = last?.entry ?? null;
    const takenOff = code === 'draft' || code === 'slug-conflict';
    // A draft or a slug conflict takes the article off the site; other rejections keep the last good version.
    let kept = takenOff ? null : previous;
    // ...which an interrupted change may not have finished publishing (or a rebuild found damaged): again.
    let page: SiteFile | null = null;
    let picture: LoadedImage | null = null;
    if (kept && last && (recovering || !siteIntact)) {
      ({ entry: kept, picture } = await keptPicture(ctx, last, kept));
      page = renderArticleFile(kept, ctx.siteConfig);
    }
    const time = toTimestamp(ctx.now());
    const report: RejectionReport = {
      key,
      code,
      reason,
      time,
      published: kept ? 'last-good-version-kept' : previous ? 'unpublished' : 'not-published',
    };
    const next: ArticleRecord = {
      ...common,
      status: code === 'draft' ? 'draft' : 'rejected',
      entry: kept,
      imageKey: kept?.image ? (last?.imageKey ?? null) : null,
      imageEtag: kept?.image ? (last?.imageEtag ?? null) : null,
      pagePath: kept ? (page?.path ?? last?.pagePath ?? null) : null,
      pageHash: kept ? (page ? md5Hex(toBytes(page.body)) : (last?.pageHash ?? null)) : null,
      rejection: { code, reason, time },
      pending: null,
    };
    const leftovers = footprintBeyond(footprint, footprintOf(next));
    const after = page ? kept : null;
    const uncertain = feedsInDoubt(record, kept);
    // The page path of a slug conflict is its owner's, who has just written its own page there; a key
    // taken off leaves its paths to another key claiming the same slug, which takes them over.
    const stalePaths = code === 'slug-conflict' || (!kept && claimingPeers.length > 0) ? [] : leftovers.paths;
    ctx.log.warn('article not published', { key, code, reason, published: report.published });
    // Marked even when nothing else changes: the report is written before the commit.
    await journal.mark({ ...next, pending: { ...leftovers, feeds: uncertain } });
    if (picture) await copyImage(ctx.site, picture);
    if (page) await writeIfChanged(ctx.site, page, siteEtags?.get(page.path));
    return {
      key,
      action: takenOff ? code : kept ? 'rejected-kept-last-good' : 'rejected',
      delta:
        after || (!kept && footprint.months.length > 0)
          ? { key, months: footprint.months, after, uncertain }
          : null,
      entry: kept,
      peersToRecheck: recheck,
      async finish() {
        await ctx.state.put(reportKey(key), serialise(report), {
          contentType: STATE_CONTENT_TYPE,
          cacheControl: STATE_CACHE_CONTROL,
        });
        await deletePaths(ctx, stalePaths);
        await journal.commit(next);
      },
    };
  }

  const article: Article = verdict.article;
  const previous = last?.entry ?? null;
  const { published } = publishTimes(key, article, common.firstSeen);
  // `updated` moves only when the text changes; a first version is updated when published.
  const uploaded = toTimestamp(object.lastModified);
  const updated = !previous
    ? published
    : last?.contentHash !== contentHash
      ? laterOf(uploaded, published)
      : previous.updated;

  let picture: { image: PublishedImage; etag: string; key: string } | null = null;
  let pictureToCopy: LoadedImage | null = null;
  if (image) {
    const reusable =
      !recovering &&
      previous?.image &&
      sameImage &&
      previous.slug === slug &&
      (!siteEtags || siteEtags.has(previous.image.path));
    if (reusable && previous.image && last?.imageEtag) {
      picture = { image: previous.image, etag: last.imageEtag, key: image.key };
    } else {
      pictureToCopy = await loadImage(ctx.inbox, slug, image.key);
      picture = pictureToCopy;
    }
  }

  const entry: FeedEntry = { key, slug, published, updated, article, image: picture?.image ?? null };
  const page = renderArticleFile(entry, ctx.siteConfig);
  const pageHash = md5Hex(toBytes(page.body));
  const samePage = previous !== null && last?.pagePath === page.path;
  const lastWritten = siteEtags ? siteEtags.get(page.path) : samePage && !recovering ? last?.pageHash : null;
  const next: ArticleRecord = {
    ...common,
    status: 'published',
    entry,
    imageKey: picture?.key ?? null,
    imageEtag: picture?.etag ?? null,
    pagePath: page.path,
    pageHash,
    rejection: null,
    pending: null,
  };
  const leftovers = footprintBeyond(footprint, footprintOf(next));
  const uncertain = feedsInDoubt(record, entry);
  const entryChanged = recovering || JSON.stringify(previous) !== JSON.stringify(entry);
  const writesPage = pageHash !== lastWritten;
  if (entryChanged || writesPage || pictureToCopy || leftovers.paths.length > 0)
    await journal.mark({ ...next, pending: { ...leftovers, feeds: uncertain } });
  if (pictureToCopy) await copyImage(ctx.site, pictureToCopy);
  if (writesPage) await writeIfChanged(ctx.site, page, lastWritten);
  return {
    key,
    action: previous ? 'updated' : 'published',
    delta: entryChanged ? { key, months: footprint.months, after: entry, uncertain } : null,
    entry,
    peersToRecheck: recheck,
    async finish() {
      if (record?.rejection) await ctx.state.delete(reportKey(key));
      await deletePaths(ctx, leftovers.paths);
      await journal.commit(next);
    },
  };
}

type Verdict =
  | { readonly ok: true; readonly article: Article }
  | { readonly ok: false; readonly code: ReportCode; readonly reason: string };

/** Whether a key holds on to its slug: something of it is published, or its latest version lost only the slug. */
function claimsSlug(record: ArticleRecord | null): boolean {
  if (!record || record.status === 'removed') return false;
  return record.entry !== null || record.rejection?.code === 'slug-conflict';
}

/** The keys beside this one, wanting its slug, that claim it (reads their records only when there are any). */
async function peersClaimingSlug(ctx: StepContext, peers: readonly string[]): Promise<string[]> {
  if (peers.length === 0) return [];
  const records = await Promise.all(peers.map((peer) => readJson<ArticleRecord>(ctx.state, recordKey(peer))));
  return peers.filter((_, i) => claimsSlug(records[i]?.value ?? null));
}

async function parse(ctx: StepContext, key: string, object: StoredObject): Promise<Verdict> {
  if (object.size > ctx.maxArticleBytes) {
    return {
      ok: false,
      code: 'too-large',
      reason: `the file is ${object.size} bytes, more than the ${ctx.maxArticleBytes}-byte limit`,
    };
  }
  const result = await parseArticle(key, object.body, { maxBytes: ctx.maxArticleBytes });
  return result.ok
    ? { ok: true, article: result.article }
    : { ok: false, code: result.rejection.code, reason: result.rejection.reason };
}

/**
 * The inbox object is gone: take everything the record names off the site and the indexes, drop its
 * report and its record. The record first becomes a tombstone naming all of it, so that if this stops
 * part-way, the next reconcile (a redelivery, or a new upload of the same key) knows what it left behind.
 */
async function prepareRemoval(
  ctx: StepContext,
  key: string,
  record: ArticleRecord | null,
  journal: RecordJournal,
  footprint: Footprint,
  claimingPeers: readonly string[],
  peersToRecheck: readonly string[],
): Promise<PreparedArticle> {
  if (!record) {
    return {
      key,
      action: 'absent',
      delta: null,
      entry: null,
      peersToRecheck,
      // A report may outlive a crash that lost its record; deleting a missing key has no effect.
      finish: () => ctx.state.delete(reportKey(key)),
    };
  }
  const uncertain = feedsInDoubt(record, null);
  await journal.mark({
    ...record,
    status: 'removed',
    entry: null,
    imageKey: null,
    imageEtag: null,
    pagePath: null,
    pageHash: null,
    pending: { ...footprint, feeds: uncertain },
  });
  return {
    key,
    action: 'removed',
    delta: footprint.months.length > 0 ? { key, months: footprint.months, after: null, uncertain } : null,
    entry: null,
    peersToRecheck,
    async finish() {
      // Another key claiming the same slug takes the page and picture paths over.
      if (claimingPeers.length === 0) await deletePaths(ctx, footprint.paths);
      if (record.rejection) await ctx.state.delete(reportKey(key));
      await journal.remove();
    },
  };
}

/**
 * Whether the feed files may show something the window does not describe once the key is brought to
 * `target`. Only an interrupted change can leave them so (feeds are written before the window document),
 * and only one to another target than this: redoing the same change renders the same files, and any file
 * that then compares equal to the window's hash has the same bytes either way. Carried in the marker until a
 * commit, so a second interruption does not forget a first one.
 */
function feedsInDoubt(record: ArticleRecord | null, target: FeedEntry | null): boolean {
  const pending = record?.pending ?? null;
  if (pending === null) return false;
  return pending.feeds || JSON.stringify(record?.entry ?? null) !== JSON.stringify(target);
}

/**
 * The picture of a kept last good version, read again to be written again; when the inbox image is no
 * longer the one that version was built with, the version is kept without a picture rather than with
 * the wrong one.
 */
async function keptPicture(
  ctx: StepContext,
  last: ArticleRecord,
  kept: FeedEntry,
): Promise<{ entry: FeedEntry; picture: LoadedImage | null }> {
  if (!kept.image) return { entry: kept, picture: null };
  const loaded = last.imageKey ? await loadImage(ctx.inbox, kept.slug, last.imageKey) : null;
  if (loaded && loaded.etag === last.imageEtag && loaded.image.path === kept.image.path)
    return { entry: kept, picture: loaded };
  return { entry: { ...kept, image: null }, picture: null };
}

async function deletePaths(ctx: StepContext, paths: readonly string[]): Promise<void> {
  for (const path of paths) await ctx.site.delete(path);
}

interface RecordJournal {
  /** Writes the record of a change about to start (`pending` set), before its first write anywhere else. */
  mark(next: ArticleRecord): Promise<void>;
  /** Writes the record of a change done (`pending` cleared). */
  commit(next: ArticleRecord): Promise<void>;
  remove(): Promise<void>;
}

/**
 * The writes of one key's record, each conditional on the version before it (the one read, then the
 * marker), so that a concurrent reconcile of the same key fails and retries rather than being overwritten.
 * A write identical to the record as it stands is skipped.
 */
function recordJournal(state: ObjectStore, key: string, doc: Versioned<ArticleRecord>): RecordJournal {
  let etag = doc.etag;
  let text = doc.text;
  const write = async (next: ArticleRecord) => {
    const body = serialise(next);
    if (body === text) return;
    ({ etag } = await writeJsonIfUnchanged(state, recordKey(key), next, etag));
    text = body;
  };
  return {
    mark: write,
    commit: (next) => write({ ...next, pending: null }),
    remove: () => state.delete(recordKey(key)),
  };
}

/** The later of two `YYYY-MM-DDTHH:MM:SSZ` timestamps (they sort as text). */
function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

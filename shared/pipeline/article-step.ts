import type { Article } from '../article/model.ts';
import { parseArticle } from '../article/parse.ts';
import { baseName, slugForKey } from '../article/slug.ts';
import { compareSequencers } from '../events/object-change.ts';
import type { Logger } from '../log.ts';
import type { FeedEntry, PublishedImage, SiteConfig } from '../render/model.ts';
import { publishTimes, toTimestamp } from '../render/publish-time.ts';
import { renderArticleFile } from '../render/site.ts';
import type { ObjectStore, StoredObject } from '../store/object-store.ts';
import { chooseImage, publishImage, recordArticleSibling } from './images.ts';
import type { IndexDelta } from './indexes.ts';
import {
  readJson,
  STATE_CACHE_CONTROL,
  STATE_CONTENT_TYPE,
  serialise,
  writeJsonIfUnchanged,
} from './json-doc.ts';
import { writeIfChanged } from './outputs.ts';
import type { ArticleRecord, RejectionReport, ReportCode, SiblingsDoc } from './state.ts';
import { lightEntry, recordKey, reportKey, sha256Hex, siblingsKey } from './state.ts';

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
 * The record is written last, so a crash anywhere before leaves the old record and a retry redoes it all.
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
   * they must be reconciled too: the first key in code-unit order owns the slug.
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
  const recordDoc = await readJson<ArticleRecord>(ctx.state, recordKey(key));
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
  const object = await ctx.inbox.get(key, { maxBytes: ctx.maxArticleBytes });
  const present = object !== null;

  const base = baseName(key);
  const slug = slugForKey(key);
  const siblingsBefore = (await readJson<SiblingsDoc>(ctx.state, siblingsKey(base))).value;
  const wasRegistered = siblingsBefore?.articles.includes(key) ?? false;
  // Registered before anything is published, so an image arriving meanwhile finds this article.
  if (wasRegistered !== present) await recordArticleSibling(ctx.state, base, key, present);
  const peers = (siblingsBefore?.articles ?? []).filter((k) => k !== key && slugForKey(k) === slug);
  const peersToRecheck = wasRegistered !== present ? peers : [];

  if (!object) return prepareRemoval(ctx, key, record, peers, peersToRecheck);

  const newestSequencer =
    sequencer && (!record?.sequencer || compareSequencers(sequencer, record.sequencer) > 0)
      ? sequencer
      : (record?.sequencer ?? null);
  const image = chooseImage(siblingsBefore);
  const contentHash = object.size > object.body.byteLength ? `etag:${object.etag}` : sha256Hex(object.body);
  const slugOwner = [key, ...peers].sort()[0];

  const sameImage =
    (record?.imageKey ?? null) === (image?.key ?? null) &&
    (record?.imageEtag ?? null) === (image?.etag ?? null);
  const siteIntact =
    !siteEtags ||
    !record?.entry ||
    (record.pagePath !== null &&
      siteEtags.get(record.pagePath) === record.pageHash &&
      (!record.entry.image || siteEtags.has(record.entry.image.path)));
  const conflictAsRecorded = (slugOwner !== key) === (record?.rejection?.code === 'slug-conflict');
  if (
    record &&
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
    firstSeen: record?.firstSeen ?? toTimestamp(object.lastModified),
  };
  const commit = (next: ArticleRecord) =>
    writeJsonIfUnchanged(ctx.state, recordKey(key), next, recordDoc.etag);

  const verdict =
    slugOwner !== key
      ? ({
          ok: false,
          code: 'slug-conflict',
          reason: `'${slugOwner}' is published under the same slug '${slug}'; rename one of the two files`,
        } as const)
      : parse(ctx, key, object);

  if (!verdict.ok) {
    const { code, reason } = verdict;
    const previous = record?.entry ?? null;
    // A draft or a slug conflict takes the article off the site; other rejections keep the last good version.
    const kept = code === 'draft' || code === 'slug-conflict' ? null : previous;
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
      imageKey: kept ? (record?.imageKey ?? null) : null,
      imageEtag: kept ? (record?.imageEtag ?? null) : null,
      pagePath: kept ? (record?.pagePath ?? null) : null,
      pageHash: kept ? (record?.pageHash ?? null) : null,
      rejection: { code, reason, time },
    };
    ctx.log.warn('article not published', { key, code, reason, published: report.published });
    return {
      key,
      action:
        code === 'draft' || code === 'slug-conflict' ? code : kept ? 'rejected-kept-last-good' : 'rejected',
      delta: previous && !kept ? { key, before: lightEntry(previous), after: null } : null,
      entry: kept,
      peersToRecheck,
      async finish() {
        await ctx.state.put(reportKey(key), serialise(report), {
          contentType: STATE_CONTENT_TYPE,
          cacheControl: STATE_CACHE_CONTROL,
        });
        // The page path is shared with the slug's owner, which has just written its own page there.
        if (previous && !kept && code !== 'slug-conflict')
          await unpublish(ctx, previous, record?.pagePath, peers);
        await commit(next);
      },
    };
  }

  const article: Article = verdict.article;
  const previous = record?.entry ?? null;
  const { published } = publishTimes(key, article, common.firstSeen);
  // `updated` moves only when the text changes; a first version is updated when published.
  const uploaded = toTimestamp(object.lastModified);
  const updated = !previous
    ? published
    : record?.contentHash !== contentHash
      ? laterOf(uploaded, published)
      : previous.updated;

  let picture: { image: PublishedImage; etag: string; key: string } | null = null;
  if (image) {
    const reusable =
      previous?.image &&
      sameImage &&
      previous.slug === slug &&
      (!siteEtags || siteEtags.has(previous.image.path));
    if (reusable && previous.image && record?.imageEtag) {
      picture = { image: previous.image, etag: record.imageEtag, key: image.key };
    } else {
      const copied = await publishImage(ctx.inbox, ctx.site, slug, image.key);
      if (copied) picture = { ...copied, key: image.key };
    }
  }

  const entry: FeedEntry = { key, slug, published, updated, article, image: picture?.image ?? null };
  const page = renderArticleFile(entry, ctx.siteConfig);
  const samePage = previous !== null && record?.pagePath === page.path;
  const lastWritten = siteEtags ? siteEtags.get(page.path) : samePage ? record?.pageHash : null;
  const pageHash = await writeIfChanged(ctx.site, page, lastWritten);
  const next: ArticleRecord = {
    ...common,
    status: 'published',
    entry,
    imageKey: picture?.key ?? null,
    imageEtag: picture?.etag ?? null,
    pagePath: page.path,
    pageHash,
    rejection: null,
  };
  const entryChanged = JSON.stringify(previous) !== JSON.stringify(entry);
  return {
    key,
    action: previous ? 'updated' : 'published',
    delta: entryChanged ? { key, before: previous ? lightEntry(previous) : null, after: entry } : null,
    entry,
    peersToRecheck,
    async finish() {
      if (record?.rejection) await ctx.state.delete(reportKey(key));
      if (previous?.image && previous.image.path !== entry.image?.path)
        await ctx.site.delete(previous.image.path);
      if (record?.pagePath && record.pagePath !== page.path) await ctx.site.delete(record.pagePath);
      await commit(next);
    },
  };
}

type Verdict =
  | { readonly ok: true; readonly article: Article }
  | { readonly ok: false; readonly code: ReportCode; readonly reason: string };

function parse(ctx: StepContext, key: string, object: StoredObject): Verdict {
  if (object.size > ctx.maxArticleBytes) {
    return {
      ok: false,
      code: 'too-large',
      reason: `the file is ${object.size} bytes, more than the ${ctx.maxArticleBytes}-byte limit`,
    };
  }
  const result = parseArticle(key, object.body, { maxBytes: ctx.maxArticleBytes });
  return result.ok
    ? { ok: true, article: result.article }
    : { ok: false, code: result.rejection.code, reason: result.rejection.reason };
}

/** The inbox object is gone: take its article off the site, drop its report and its record. */
function prepareRemoval(
  ctx: StepContext,
  key: string,
  record: ArticleRecord | null,
  peers: readonly string[],
  peersToRecheck: readonly string[],
): PreparedArticle {
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
  const previous = record.entry;
  return {
    key,
    action: 'removed',
    delta: previous ? { key, before: lightEntry(previous), after: null } : null,
    entry: null,
    peersToRecheck,
    async finish() {
      if (previous) await unpublish(ctx, previous, record.pagePath, peers);
      if (record.rejection) await ctx.state.delete(reportKey(key));
      await ctx.state.delete(recordKey(key));
    },
  };
}

/** Deletes the page and picture, unless another key wants the same slug (it takes over that path). */
async function unpublish(
  ctx: StepContext,
  entry: FeedEntry,
  pagePath: string | null | undefined,
  peers: readonly string[],
): Promise<void> {
  if (peers.length > 0) return;
  await ctx.site.delete(pagePath ?? renderArticleFile(entry, ctx.siteConfig).path);
  if (entry.image) await ctx.site.delete(entry.image.path);
}

/** The later of two `YYYY-MM-DDTHH:MM:SSZ` timestamps (they sort as text). */
function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

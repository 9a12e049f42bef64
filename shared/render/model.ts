import type { Article } from '../article/model.ts';

/** Site-wide settings every renderer needs; comes from CLI flags, a config file, or the Lambda's environment. */
export interface SiteConfig {
  /** Absolute URL of the site root, without a trailing slash, e.g. `https://news.example.org`. */
  readonly baseUrl: string;
  readonly title: string;
  readonly description: string;
  /** BCP 47 language tag. */
  readonly language: string;
  /** How many of the newest articles the feeds and the index page carry. */
  readonly maxItems: number;
  /** Absolute URL of a channel image/logo, when configured. */
  readonly imageUrl?: string | null;
  /** Feed-level author when articles name none. */
  readonly author?: string | null;
}

/** A published lead picture, copied to the site under `path` (site-relative, no leading slash). */
export interface PublishedImage {
  readonly path: string;
  readonly type: string;
  readonly length: number;
}

/**
 * One article as published: the neutral item model every renderer reads. `published` and `updated` are
 * full UTC timestamps (`YYYY-MM-DDTHH:MM:SSZ`), chosen once by `publishTimes` and stable afterwards.
 */
export interface FeedEntry {
  /** Inbox object key: the article's identity. */
  readonly key: string;
  /** Unique, stable slug (see `slugForKey`); the page lives at `articles/<slug>/`. */
  readonly slug: string;
  readonly published: string;
  readonly updated: string;
  readonly article: Article;
  readonly image: PublishedImage | null;
}

/** One file of the published site. */
export interface SiteFile {
  /** Site-relative path, no leading slash, e.g. `feed.xml`, `articles/foo/index.html`. */
  readonly path: string;
  readonly body: string | Uint8Array;
  /** Always with `charset=utf-8` for text. */
  readonly contentType: string;
  readonly cacheControl: string;
}

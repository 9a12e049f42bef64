import type { ParseOptions } from '../article/model.ts';
import type { FeedEntry, SiteConfig } from '../render/model.ts';
import { renderArticlePage } from '../render/pages.ts';
import { compareEntries } from '../render/publish-time.ts';
import { articlePath } from '../render/urls.ts';
import { ArticlePublisher, type MediaCopy, type Notice, readArticle } from './load-inbox.ts';
import type { PageFile } from './page-writer.ts';
import type { InboxFile } from './scan-folder.ts';

export interface ArticleBuildContext {
  readonly imagesByBase: ReadonlyMap<string, readonly InboxFile[]>;
  readonly site: SiteConfig;
  readonly parse: ParseOptions;
}

/** Where rendered pages go: written here (`ChangedFileWriter`) or on another thread (`PageWriterThread`). */
export interface PageSink {
  write(file: PageFile): void;
}

/** A published article as the rest of the build needs it once its page is written: no article body. */
export interface PublishedPage {
  readonly key: string;
  readonly slug: string;
  readonly published: string;
  readonly media: MediaCopy | null;
}

export interface ArticlesOutcome {
  readonly rejected: Notice[];
  readonly drafts: Notice[];
  readonly warnings: Notice[];
  /** In key order. */
  readonly pages: PublishedPage[];
  /** The newest `site.maxItems` of them, in feed order: all the feeds and the index page need. */
  readonly newest: FeedEntry[];
}

/**
 * Reads, parses and publishes the articles one by one, in key order, handing each page to the sink as soon
 * as it is rendered, so a page never waits for the whole inbox and 10,000 articles never sit in memory
 * together. With `holdPages`, pages are kept until `writeHeldPages` (`--strict` writes nothing if a file
 * is rejected).
 */
export class ArticleBuilder {
  private readonly publisher: ArticlePublisher;
  private readonly newest: NewestEntries;
  private readonly pages: PublishedPage[] = [];
  private readonly held: FeedEntry[] = [];

  constructor(
    private readonly context: ArticleBuildContext,
    private readonly sink: PageSink,
    private readonly holdPages = false,
  ) {
    this.publisher = new ArticlePublisher(context.imagesByBase);
    this.newest = new NewestEntries(context.site.maxItems);
  }

  get rejectedCount(): number {
    return this.publisher.rejected.length;
  }

  async add(file: InboxFile): Promise<void> {
    const published = this.publisher.add(file, await readArticle(file, this.context.parse));
    if (!published) return;
    const { entry, media } = published;
    this.pages.push({ key: entry.key, slug: entry.slug, published: entry.published, media });
    this.newest.add(entry);
    if (this.holdPages) this.held.push(entry);
    else this.writePage(entry);
  }

  writeHeldPages(): void {
    for (const entry of this.held.splice(0)) this.writePage(entry);
  }

  outcome(): ArticlesOutcome {
    const { rejected, drafts, warnings } = this.publisher;
    return { rejected, drafts, warnings, pages: this.pages, newest: this.newest.entries };
  }

  private writePage(entry: FeedEntry): void {
    this.sink.write({ path: articlePath(entry.slug), body: renderArticlePage(entry, this.context.site) });
  }
}

/** The newest `limit` entries seen so far, in feed order; older ones are let go as soon as they drop out. */
class NewestEntries {
  readonly entries: FeedEntry[] = [];

  constructor(private readonly limit: number) {}

  add(entry: FeedEntry): void {
    const { entries, limit } = this;
    const last = entries.at(-1);
    if (entries.length >= limit && (last === undefined || compareEntries(entry, last) > 0)) return;
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareEntries(entries[middle] as FeedEntry, entry) <= 0) low = middle + 1;
      else high = middle;
    }
    entries.splice(low, 0, entry);
    if (entries.length > limit) entries.pop();
  }
}

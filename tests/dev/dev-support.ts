import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { slugForKey } from '../../shared/article/slug.ts';
import { embeddedS3Client } from '../../shared/dev/embedded-s3.ts';

/** A plain-text article in the inbox format (ARTICLE-FORMAT.md): date line, title, one paragraph. */
export function textArticle(
  title: string,
  paragraph = `${title}: the body of the story.`,
  date = '2026-03-02',
): string {
  return ` date ${date}\n\n${title}\n\n${paragraph}\n`;
}

/** The SDK client an editor's tool would use against the dev endpoint. */
export function editorClient(endpoint: string): S3Client {
  return embeddedS3Client(endpoint);
}

export async function upload(
  client: S3Client,
  key: string,
  body: string | Uint8Array,
  contentType = 'text/plain',
): Promise<void> {
  await client.send(
    new PutObjectCommand({ Bucket: 'inbox', Key: key, Body: body, ContentType: contentType }),
  );
}

export async function remove(client: S3Client, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: 'inbox', Key: key }));
}

/** Item id and link of an article: `${siteUrl}/articles/<slug>/`. */
export function articleUrl(siteUrl: string, key: string): string {
  return `${siteUrl}/articles/${slugForKey(key)}/`;
}

export interface FeedsSnapshot {
  readonly rss: string;
  readonly atom: string;
  readonly json: { items: { id: string; url?: string; title?: string }[] };
}

export async function readFeeds(siteUrl: string): Promise<FeedsSnapshot> {
  const [rss, atom, json] = await Promise.all(
    ['feed.xml', 'atom.xml', 'feed.json'].map(async (path) => {
      const response = await fetch(`${siteUrl}/${path}`);
      if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
      return response.text();
    }),
  );
  return { rss: rss ?? '', atom: atom ?? '', json: JSON.parse(json ?? '{}') };
}

/** True when all three feeds carry the article at `url` (RSS guid/link, Atom id, JSON Feed id). */
export function inAllFeeds(feeds: FeedsSnapshot, url: string): boolean {
  return (
    feeds.rss.includes(`>${url}<`) &&
    feeds.atom.includes(`>${url}<`) &&
    feeds.json.items.some((item) => item.id === url)
  );
}

export function inAnyFeed(feeds: FeedsSnapshot, url: string): boolean {
  return (
    feeds.rss.includes(url) || feeds.atom.includes(url) || feeds.json.items.some((item) => item.id === url)
  );
}

/** Waits until all three feeds carry the article at `url`. */
export function untilInAllFeeds(siteUrl: string, url: string, what: string): Promise<true> {
  return eventually(async () => inAllFeeds(await readFeeds(siteUrl), url), what);
}

/** Waits until no feed mentions the article at `url` any more. */
export function untilInNoFeed(siteUrl: string, url: string, what: string): Promise<true> {
  return eventually(async () => !inAnyFeed(await readFeeds(siteUrl), url), what);
}

/**
 * Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs` with the
 * last error or value: the pipeline is asynchronous, the deadline keeps a broken one from hanging the run.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : String(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

import type { PublishedImage } from '../render/model.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { Versioned } from './json-doc.ts';
import { DEFAULT_CAS_ATTEMPTS, updateJson } from './json-doc.ts';
import type { SiblingsDoc } from './state.ts';
import { siblingsKey } from './state.ts';

/** Lead pictures the site will serve, by lower-case extension. Vector formats are left out: an SVG can script. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
};

export const MEDIA_CACHE_CONTROL = 'public, max-age=86400';

export function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** The image an article shows when several share its base name: the first key in code-unit order. */
export function chooseImage(doc: SiblingsDoc | null): { key: string; etag: string } | null {
  return doc?.images.find((image) => IMAGE_TYPES[extensionOf(image.key)] !== undefined) ?? null;
}

export function mediaPath(slug: string, imageKey: string): string {
  return `media/${slug}.${extensionOf(imageKey)}`;
}

/** An inbox image read for publishing as an article's lead picture. */
export interface LoadedImage {
  readonly key: string;
  readonly etag: string;
  readonly image: PublishedImage;
  readonly body: Uint8Array;
}

/**
 * Reads the inbox image an article is to show; null when it has gone meanwhile. Reading and copying are
 * two steps so the article's record can name the picture before the copy is written.
 */
export async function loadImage(
  inbox: ObjectStore,
  slug: string,
  imageKey: string,
): Promise<LoadedImage | null> {
  const object = await inbox.get(imageKey);
  const type = IMAGE_TYPES[extensionOf(imageKey)];
  if (!object || !type) return null;
  const path = mediaPath(slug, imageKey);
  return {
    key: imageKey,
    etag: object.etag,
    image: { path, type, length: object.body.byteLength },
    body: object.body,
  };
}

/** Writes a loaded image to the site as the article's lead picture. */
export async function copyImage(site: ObjectStore, loaded: LoadedImage): Promise<void> {
  await site.put(loaded.image.path, loaded.body, {
    contentType: loaded.image.type,
    cacheControl: MEDIA_CACHE_CONTROL,
  });
}

/** Records that `imageKey` exists (with this ETag) or is gone; returns the article keys sharing its base. */
export async function recordImage(
  state: ObjectStore,
  base: string,
  imageKey: string,
  etag: string | null,
): Promise<readonly string[]> {
  const doc = await updateJson<SiblingsDoc>(state, siblingsKey(base), (current) => {
    if (current === null && etag === null) return null;
    const images = (current?.images ?? []).filter((i) => i.key !== imageKey);
    if (etag !== null) images.push({ key: imageKey, etag });
    images.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { v: 1, base, articles: current?.articles ?? [], images };
  });
  return doc?.articles ?? [];
}

/**
 * Adds or removes an article key among its base name's siblings, so a later image finds it. `alreadyRead`:
 * the siblings document as the caller has just read it (the write is conditional on it all the same).
 */
export async function recordArticleSibling(
  state: ObjectStore,
  base: string,
  articleKey: string,
  present: boolean,
  alreadyRead?: Versioned<SiblingsDoc>,
) {
  const mutate = (current: SiblingsDoc | null): SiblingsDoc | null => {
    if (current === null && !present) return null;
    const articles = (current?.articles ?? []).filter((k) => k !== articleKey);
    if (present) articles.push(articleKey);
    articles.sort();
    return { v: 1, base, articles, images: current?.images ?? [] };
  };
  await updateJson<SiblingsDoc>(state, siblingsKey(base), mutate, DEFAULT_CAS_ATTEMPTS, alreadyRead);
}

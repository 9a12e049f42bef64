import type { SiteFile } from '../render/model.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { toBytes } from '../store/object-store.ts';
import { md5Hex } from './state.ts';

/**
 * Writes a site file unless its bytes are those last written (known by md5, which is also S3's ETag for a
 * single-part PUT, so a listing of the site bucket can be compared the same way). Returns the file's md5.
 */
export async function writeIfChanged(
  site: ObjectStore,
  file: SiteFile,
  previousMd5: string | null | undefined,
) {
  const bytes = toBytes(file.body);
  const md5 = md5Hex(bytes);
  if (md5 !== previousMd5) {
    await site.put(file.path, bytes, { contentType: file.contentType, cacheControl: file.cacheControl });
  }
  return md5;
}

/** S3 quotes ETags: `"abc…"` → `abc…`. */
export function unquoteEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

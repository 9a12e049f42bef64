/**
 * Reads and writes objects in s3rver's on-disk layout, bypassing HTTP. Used ONLY to seed large archives:
 * uploading 100,000 articles one request at a time (and letting s3rver's ListObjectsV2, which re-walks the
 * whole bucket directory for every 1,000-key page, enumerate them) would dominate the bench's run time and
 * measure s3rver, not dropfeed. The layout, from s3rver 3.7.1's FilesystemStore:
 *
 *   <directory>/<bucket>/<key dirs...>/<name>._S3rver_object          the bytes (mtime = LastModified)
 *   <directory>/<bucket>/<key dirs...>/<name>._S3rver_object.md5      hex MD5 (the ETag without quotes)
 *   <directory>/<bucket>/<key dirs...>/<name>._S3rver_metadata.json   content-type, cache-control, ...
 *
 * Objects written here are then served by the running s3rver exactly as if they had been PUT.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type {
  GetOptions,
  ObjectInfo,
  ObjectStore,
  PutOptions,
  StoredObject,
} from '../shared/store/object-store.ts';
import { PreconditionFailed, toBytes } from '../shared/store/object-store.ts';

const OBJECT_SUFFIX = '._S3rver_object';

function resourcePath(directory: string, bucket: string, key: string, resource: string): string {
  const parts = key.split('/');
  const name = parts.pop() ?? '';
  return join(directory, bucket, ...parts, `${name}._S3rver_${resource}`);
}

/** s3rver serves Last-Modified to the second (toUTCString); so does this store, so both agree. */
function toSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export interface DiskObject {
  readonly key: string;
  readonly body: string | Uint8Array;
  readonly contentType?: string;
  readonly cacheControl?: string;
  /** When set, becomes the object's LastModified. */
  readonly lastModified?: Date;
}

export interface DiskStore extends ObjectStore {
  /** Writes one object as s3rver stores it after a PutObject, with an optional LastModified. */
  write(object: DiskObject): Promise<ObjectInfo>;
}

/**
 * An `ObjectStore` over s3rver's disk layout, so the pipeline's own `rebuild()` can derive a large archive's
 * state and site without HTTP. Seeding is its only writer while it runs, so what it wrote is remembered
 * (ETag, size, time, headers) instead of being read back: file opens are what seeding spends its time on.
 * Conditional writes are honoured (one writer: there is no race to lose).
 */
export function s3rverDiskStore(directory: string, bucket: string): DiskStore {
  const known = new Map<string, ObjectInfo | null>();
  const madeDirs = new Set<string>();

  async function readInfo(key: string): Promise<ObjectInfo | null> {
    const objectPath = resourcePath(directory, bucket, key, 'object');
    try {
      const [s, md5, meta] = await Promise.all([
        stat(objectPath),
        readFile(`${objectPath}.md5`, 'utf8'),
        readFile(resourcePath(directory, bucket, key, 'metadata.json'), 'utf8').then(
          (text) => JSON.parse(text) as Record<string, string>,
        ),
      ]);
      return withHeaders(
        { key, etag: JSON.stringify(md5), lastModified: toSecond(s.mtime), size: s.size },
        meta['content-type'],
        meta['cache-control'],
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async function info(key: string): Promise<ObjectInfo | null> {
    if (known.has(key)) return known.get(key) ?? null;
    const found = await readInfo(key);
    known.set(key, found);
    return found;
  }

  async function write(object: DiskObject): Promise<ObjectInfo> {
    const bytes = toBytes(object.body);
    const objectPath = resourcePath(directory, bucket, object.key, 'object');
    const md5 = createHash('md5').update(bytes).digest('hex');
    const metadata: Record<string, string> = { 'content-type': object.contentType ?? 'binary/octet-stream' };
    if (object.cacheControl) metadata['cache-control'] = object.cacheControl;
    const dir = dirname(objectPath);
    if (!madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      madeDirs.add(dir);
    }
    await Promise.all([
      writeFile(objectPath, bytes),
      writeFile(`${objectPath}.md5`, md5),
      writeFile(resourcePath(directory, bucket, object.key, 'metadata.json'), JSON.stringify(metadata)),
    ]);
    const lastModified = toSecond(object.lastModified ?? new Date());
    if (object.lastModified) await utimes(objectPath, lastModified, lastModified);
    const written = withHeaders(
      { key: object.key, etag: JSON.stringify(md5), lastModified, size: bytes.byteLength },
      metadata['content-type'],
      object.cacheControl,
    );
    known.set(object.key, written);
    return written;
  }

  return {
    write,
    head: info,
    async get(key, opts?: GetOptions): Promise<StoredObject | null> {
      const found = await info(key);
      if (!found) return null;
      const whole = new Uint8Array(await readFile(resourcePath(directory, bucket, key, 'object')));
      const body = opts?.maxBytes !== undefined ? whole.subarray(0, opts.maxBytes + 1) : whole;
      return { ...found, body };
    },
    async put(key, body, opts: PutOptions = {}) {
      if (opts.ifNoneMatch || opts.ifMatch) {
        const current = await info(key);
        if ((opts.ifNoneMatch && current) || (opts.ifMatch && current?.etag !== opts.ifMatch)) {
          throw new PreconditionFailed(key, 412);
        }
      }
      const written = await write({
        key,
        body,
        ...(opts.contentType ? { contentType: opts.contentType } : {}),
        ...(opts.cacheControl ? { cacheControl: opts.cacheControl } : {}),
      });
      return { etag: written.etag };
    },
    async delete(key) {
      await Promise.all(
        ['object', 'object.md5', 'metadata.json'].map((r) =>
          rm(resourcePath(directory, bucket, key, r), { force: true }),
        ),
      );
      known.set(key, null);
    },
    async *list(prefix, startAfter) {
      const keys = (await listKeysOnDisk(join(directory, bucket), ''))
        .filter((k) => k.startsWith(prefix) && (startAfter === undefined || k > startAfter))
        .sort();
      for (const key of keys) {
        const found = await info(key);
        if (found) yield found;
      }
    },
  };
}

function withHeaders(base: ObjectInfo, contentType?: string, cacheControl?: string): ObjectInfo {
  return {
    ...base,
    ...(contentType ? { contentType } : {}),
    ...(cacheControl ? { cacheControl } : {}),
  };
}

async function listKeysOnDisk(root: string, under: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, under), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const keys: string[] = [];
  for (const entry of entries) {
    const rel = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) keys.push(...(await listKeysOnDisk(root, rel)));
    else if (entry.name.endsWith(OBJECT_SUFFIX)) keys.push(rel.slice(0, -OBJECT_SUFFIX.length));
  }
  return keys;
}

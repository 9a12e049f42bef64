import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectStore, PutOptions, StoredObject } from './object-store.ts';
import { PreconditionFailed, toBytes } from './object-store.ts';

export interface S3ClientOptions {
  /** e.g. `http://127.0.0.1:4568` for a local S3-compatible server; unset on AWS. */
  readonly endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`): needed by local servers, harmless on AWS. */
  readonly forcePathStyle?: boolean;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The one place an S3 client is configured. Checksums are computed and validated only when an operation
 * requires them: with the SDK's default (always), stream uploads are sent with aws-chunked framing that
 * s3rver stores verbatim, corrupting the object; on AWS this costs nothing, as our bodies are small buffers.
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  return new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The S3 adapter: the only module of the product that talks to `@aws-sdk/client-s3`. */
export function createS3Store(client: S3Client, bucket: string): ObjectStore {
  return {
    async get(key, opts = {}) {
      const range = opts.maxBytes !== undefined ? `bytes=0-${opts.maxBytes}` : undefined;
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
        const total = out.ContentRange ? Number(out.ContentRange.split('/')[1]) : Number.NaN;
        // An empty object has no byte to return. (s3rver answers `bytes 0-0/0` with a length of 1 and no
        // body, so reading would hang; S3 itself answers 416, handled below.)
        if (total === 0) (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        const body = out.Body && total !== 0 ? await out.Body.transformToByteArray() : new Uint8Array();
        return withOptional<StoredObject>(
          {
            key,
            body,
            size: Number.isFinite(total) ? total : body.byteLength,
            etag: out.ETag ?? '',
            lastModified: out.LastModified ?? new Date(0),
          },
          { versionId: out.VersionId, contentType: out.ContentType, cacheControl: out.CacheControl },
        );
      } catch (error) {
        if (isNotFound(error)) return null;
        // A range cannot be satisfied by an empty object (416): read it whole, it is empty.
        if (range !== undefined && httpStatus(error) === 416) return this.get(key);
        throw error;
      }
    },

    async head(key) {
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return withOptional<ObjectInfo>(
          {
            key,
            etag: out.ETag ?? '',
            lastModified: out.LastModified ?? new Date(0),
            size: out.ContentLength ?? 0,
          },
          { versionId: out.VersionId, contentType: out.ContentType, cacheControl: out.CacheControl },
        );
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async put(key, body, opts: PutOptions = {}) {
      try {
        const out = await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: toBytes(body),
            ContentType: opts.contentType,
            CacheControl: opts.cacheControl,
            IfMatch: opts.ifMatch,
            IfNoneMatch: opts.ifNoneMatch,
          }),
        );
        return { etag: out.ETag ?? '' };
      } catch (error) {
        const status = httpStatus(error);
        if (status === 412 || status === 409) throw new PreconditionFailed(key, status);
        throw error;
      }
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async *list(prefix, startAfter) {
      let continuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            StartAfter: startAfter,
            ContinuationToken: continuationToken,
          }),
        );
        for (const item of page.Contents ?? []) {
          if (item.Key === undefined) continue;
          yield {
            key: item.Key,
            etag: item.ETag ?? '',
            lastModified: item.LastModified ?? new Date(0),
            size: item.Size ?? 0,
          };
        }
        continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (continuationToken);
    },
  };
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || httpStatus(error) === 404;
}

/** Copies only the optional fields S3 actually returned, so records compare equal across adapters. */
function withOptional<T>(base: Omit<T, 'versionId' | 'contentType' | 'cacheControl'>, extra: object): T {
  const out: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) out[name] = value;
  return out as T;
}

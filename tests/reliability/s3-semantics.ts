/**
 * S3 guarantees s3rver lacks, restored in front of it so that races in these tests are the product's and
 * never the emulator's:
 *
 * - Atomic objects. S3 serves either the old or the new object, never a mix. s3rver truncates the object
 *   file and writes it in place, then its metadata: a GET during a PUT can read an empty or half-written
 *   body, or new bytes with the old ETag. (Seen here: a JSON document read as "Unexpected end of input".)
 * - Read-after-write. s3rver acknowledges a PUT before the bytes are on disk, so a GET right after it can
 *   read an empty object. (Seen here: an empty feed.xml read back just after it was written.)
 * - Conditional writes (`If-Match` / `If-None-Match: *` on PutObject), which s3rver accepts and ignores
 *   (FIELD-NOTES). Without them two pipelines racing would overwrite each other's indexes.
 *
 * An SDK middleware inside the deserialiser: every Get / Head / Put / Delete of one key, from any client that
 * carries it, holds a per-key lock shared by the whole test process (every client of the embedded server
 * lives here); a conditional PUT checks the current ETag with a HEAD under that lock, and a failed condition
 * answers with S3's real 412 `PreconditionFailed` error document, which the SDK deserialises and the S3
 * adapter maps to `PreconditionFailed`, as on AWS. Requests for different keys are not serialised.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';

const locks = new Map<string, Promise<void>>();
const MIDDLEWARE_NAME = 'dropfeedS3Semantics';
const PER_KEY_COMMANDS = new Set([
  'GetObjectCommand',
  'HeadObjectCommand',
  'PutObjectCommand',
  'DeleteObjectCommand',
]);

/** Installs both on `client`; `head` is a client WITHOUT this middleware, used for the ETag look-up. */
export function enforceS3Semantics(client: S3Client, head: S3Client, endpoint: string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (!PER_KEY_COMMANDS.has(command)) return next(args);
      const input = args.input as { Bucket?: string; Key?: string; IfMatch?: string; IfNoneMatch?: string };
      const lockId = `${endpoint} ${input.Bucket} ${input.Key}`;
      const previous = locks.get(lockId) ?? Promise.resolve();
      let release = () => {};
      const mine = new Promise<void>((resolve) => {
        release = resolve;
      });
      const chained = previous.then(() => mine);
      locks.set(lockId, chained);
      await previous;
      try {
        if (
          command === 'PutObjectCommand' &&
          (input.IfMatch !== undefined || input.IfNoneMatch !== undefined)
        ) {
          const current = await currentEtag(head, input.Bucket ?? '', input.Key ?? '');
          const holds =
            input.IfNoneMatch !== undefined
              ? current === null
              : current !== null && unquote(current) === unquote(input.IfMatch ?? '');
          if (!holds)
            return {
              response: preconditionFailed(input.IfNoneMatch !== undefined ? 'If-None-Match' : 'If-Match'),
            };
        }
        const result = await next(args);
        // A GET's body streams after the headers: hold the lock until it is all read, so no PUT lands mid-body.
        if (command === 'GetObjectCommand') await bufferBody(result.response as { body?: unknown });
        // s3rver answers a PUT before its file write has reached the disk (`writeStream.end()` is not
        // awaited): hold the lock until the object reads back whole, as S3's read-after-write promises.
        if (command === 'PutObjectCommand')
          await untilReadable(head, input.Bucket ?? '', input.Key ?? '', responseEtag(result.response));
        return result;
      } finally {
        release();
        if (locks.get(lockId) === chained) locks.delete(lockId);
      }
    },
    { step: 'deserialize', name: MIDDLEWARE_NAME, priority: 'low', override: true },
  );
}

function responseEtag(response: unknown): string | null {
  const headers = response as { statusCode?: number; headers?: Record<string, string> } | undefined;
  if (headers?.statusCode !== 200) return null;
  return headers.headers?.etag ?? null;
}

/** Polls until the object's bytes hash to the ETag the PUT returned (s3rver's ETag is the body's MD5). */
async function untilReadable(
  head: S3Client,
  bucket: string,
  key: string,
  etag: string | null,
): Promise<void> {
  if (etag === null) return;
  const wanted = unquote(etag);
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const out = await head.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      if (createHash('md5').update(body).digest('hex') === wanted) return;
    } catch {
      // not there yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`s3rver never served the ${key} it acknowledged (ETag ${etag})`);
}

async function bufferBody(response: { body?: unknown }): Promise<void> {
  const body = response.body;
  if (!body || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') return;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  // The SDK's GetObject output expects a Node stream; hand it one over the buffered bytes.
  response.body = Readable.from([Buffer.concat(chunks)]);
}

async function currentEtag(head: S3Client, bucket: string, key: string): Promise<string | null> {
  try {
    return (await head.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag ?? null;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
    throw error;
  }
}

const unquote = (etag: string) => etag.replace(/^"|"$/g, '');

function preconditionFailed(condition: string) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>${condition}</Condition><RequestId>CONDITIONAL0001</RequestId></Error>`;
  return {
    statusCode: 412,
    reason: 'Precondition Failed',
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'CONDITIONAL0001' },
    body: new TextEncoder().encode(body),
  };
}

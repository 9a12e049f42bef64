import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createHandler } from '../../functions/ingest-handler.ts';
import { REBUILD_MESSAGE } from '../events/decode.ts';
import { createLogger } from '../log.ts';
import { createS3Store } from '../store/s3-store.ts';
import { fingerprint, readDevState, rebuildReason, writeDevState } from './dev-state.ts';
import { embeddedS3Client, S3RVER_CREDENTIALS, startEmbeddedS3 } from './embedded-s3.ts';
import { DEV_REGION, toEventBridgeEvent } from './eventbridge-event.ts';
import { createFifoQueue, type DeadLetter } from './fifo-queue.ts';
import { startFolderMirror } from './folder-mirror.ts';
import { type HandlerLogMode, handlerLogWriter } from './handler-log.ts';
import { LEGACY_OPENSSL_FLAG, legacyOpenSslAvailable } from './legacy-openssl.ts';
import type { ObjectEvent } from './object-event.ts';
import { toS3Notification } from './s3-notification.ts';
import { EXAMPLES_DIR, isEmpty, uploadSamples } from './samples.ts';
import { createSequencer } from './sequencer.ts';
import { startSiteServer } from './site-server.ts';

/**
 * `dropfeed dev`: the AWS pipeline on one machine. An embedded S3 server (s3rver) holds the inbox, site and
 * state buckets; its object events become the EventBridge-over-SQS-FIFO records AWS would deliver and go,
 * one batch at a time, through the real Lambda handler (`createHandler`, what `functions/ingest.ts`
 * exports); the site bucket is served over HTTP with the headers the pipeline stored.
 */
export interface DevOptions {
  /** Where the buckets live between runs. */
  readonly dataDir: string;
  /** 0 picks a free port. @default 4569 */
  readonly s3Port?: number;
  /** 0 picks a free port. @default 8080 */
  readonly httpPort?: number;
  /** Mirror this folder into the inbox. */
  readonly watchDir?: string;
  readonly watchIntervalMs?: number;
  /** Upload `samplesDir` into an empty inbox at the first start with this `dataDir`. @default true */
  readonly samples?: boolean;
  readonly samplesDir?: string;
  readonly site?: DevSiteOptions;
  /** @default 75 */
  readonly batchWindowMs?: number;
  /**
   * The envelope inbox changes arrive in: EventBridge events (what the infra routes to the FIFO queue) or
   * classic S3 notifications (form-encoded keys), the other shape the handler accepts. @default 'eventbridge'
   */
  readonly eventShape?: EventShape;
  /** Re-derive the whole site at start even after a clean stop (e.g. after changing dropfeed's code). */
  readonly rebuild?: boolean;
  /** Human-readable lines: what happened, one per line. @default stdout */
  readonly log?: (line: string) => void;
  /** What to do with the handler's own JSON log lines. @default 'pretty' */
  readonly handlerLog?: HandlerLogMode;
}

export type EventShape = 'eventbridge' | 's3-notification';

export interface DevSiteOptions {
  readonly title?: string;
  readonly description?: string;
  readonly language?: string;
  readonly maxItems?: number;
  readonly maxArticleBytes?: number;
}

export interface DevRuntime {
  /** `http://127.0.0.1:<port>` */
  readonly s3Endpoint: string;
  /** `http://localhost:<port>`, also the feeds' base URL. */
  readonly siteUrl: string;
  readonly buckets: DevBuckets;
  /** Keys uploaded from the samples folder at this start (empty on later starts). */
  readonly seededSamples: readonly string[];
  readonly deadLetters: readonly DeadLetter[];
  /** Resolves when every event so far has been through the handler. */
  idle(): Promise<void>;
  /** Stops the watcher, drains the queue, closes the servers. */
  stop(): Promise<void>;
}

export interface DevBuckets {
  readonly inbox: string;
  readonly site: string;
  readonly state: string;
}

export const DEV_BUCKETS: DevBuckets = { inbox: 'inbox', site: 'site', state: 'state' };
/** What the local site is called unless told otherwise (`dropfeed rebuild --endpoint` uses the same). */
export const DEV_SITE_DEFAULTS = {
  title: 'dropfeed (local)',
  description: 'Articles dropped into the local inbox bucket',
  language: 'en',
} as const;
export const DEFAULT_S3_PORT = 4569;
export const DEFAULT_HTTP_PORT = 8080;
/** One message group, as the EventBridge rule's SQS target names it: one writer at a time, in order. */
export const DEV_MESSAGE_GROUP = 'inbox';

export async function startDev(options: DevOptions): Promise<DevRuntime> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (!legacyOpenSslAvailable()) {
    throw new Error(
      `the embedded S3 server needs OpenSSL's legacy provider for bucket listings: run node with ${LEGACY_OPENSSL_FLAG}`,
    );
  }
  process.env.AWS_REQUEST_CHECKSUM_CALCULATION ??= 'WHEN_REQUIRED';
  process.env.AWS_RESPONSE_CHECKSUM_VALIDATION ??= 'WHEN_REQUIRED';
  const dataDir = resolve(options.dataDir);
  const watchDir = options.watchDir === undefined ? undefined : resolve(options.watchDir);
  if (watchDir !== undefined && !(await stat(watchDir).catch(() => null))?.isDirectory()) {
    throw new Error(`--watch ${options.watchDir}: not a directory`);
  }
  await mkdir(join(dataDir, 's3'), { recursive: true });
  const marker = join(dataDir, 'dev.json');
  const previous = await readDevState(marker);

  const cleanup: Array<() => Promise<void> | void> = [];
  const runCleanup = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };

  try {
    // Events can only be forwarded once the handler is loaded, which needs both ports: park them until then.
    let forward: ((event: ObjectEvent) => void) | null = null;
    const early: ObjectEvent[] = [];
    const s3 = await startEmbeddedS3({
      port: options.s3Port ?? DEFAULT_S3_PORT,
      directory: join(dataDir, 's3'),
      buckets: Object.values(DEV_BUCKETS),
      onObjectEvent: (event) => {
        // Writes to the site and state buckets are the pipeline's own output: forwarding them would loop.
        if (event.bucket !== DEV_BUCKETS.inbox) return;
        if (forward) forward(event);
        else early.push(event);
      },
      onServerError: (error) => log(`s3 server error: ${error.message}`),
    });
    cleanup.push(() => s3.close());

    const client = embeddedS3Client(s3.endpoint);
    cleanup.push(() => client.destroy());
    const inbox = createS3Store(client, DEV_BUCKETS.inbox);

    const site = await startSiteServer({
      store: createS3Store(client, DEV_BUCKETS.site),
      port: options.httpPort ?? DEFAULT_HTTP_PORT,
      onError: (error, path) => log(`site server: ${path}: ${error.message}`),
    });
    cleanup.push(() => site.close());

    const env = handlerEnv(s3.endpoint, site.url, options.site ?? {});
    const siteFingerprint = fingerprint({
      SITE_BASE_URL: env.SITE_BASE_URL,
      SITE_TITLE: env.SITE_TITLE,
      SITE_DESCRIPTION: env.SITE_DESCRIPTION,
      SITE_LANGUAGE: env.SITE_LANGUAGE,
      MAX_ITEMS: env.MAX_ITEMS,
      MAX_ARTICLE_BYTES: env.MAX_ARTICLE_BYTES,
    });
    cleanup.push(setEnv(sdkEnv()));
    let started = false;
    let lostWhileStopping = false;
    // Runs once the queue has drained: a later start may then trust the buckets as they are.
    cleanup.push(async () => {
      if (started && !lostWhileStopping) await writeDevState(marker, { running: false, siteFingerprint });
    });
    // Each runtime is a fresh "container" configured by its own `env`, so two runtimes in one process (the
    // tests) never share a configuration, and nothing the caller's shell holds leaks into the site.
    const handler = createHandler(
      env,
      createLogger({ fn: 'ingest' }, { write: handlerLogWriter(options.handlerLog ?? 'pretty', log) }),
    );

    const queue = createFifoQueue({
      consume: (records) => handler({ Records: records }),
      groupId: DEV_MESSAGE_GROUP,
      ...(options.batchWindowMs !== undefined ? { batchWindowMs: options.batchWindowMs } : {}),
      onBatch: ({ records, failedIds, error }) => {
        if (error !== undefined) log(`batch of ${records.length} failed: ${describe(error)}`);
        else if (failedIds.length > 0)
          log(`${failedIds.length} of ${records.length} messages failed; retrying`);
      },
      onDeadLetter: ({ message, reason }) =>
        log(`dead-lettered after ${message.receiveCount} attempts: ${summarise(message.body)} (${reason})`),
    });
    cleanup.push(() => queue.close());

    const sequencer = createSequencer();
    let accepting = true;
    forward = (event) => {
      if (!accepting) {
        lostWhileStopping = true;
        log(`${event.key}: arrived while stopping; the next start's rebuild picks it up`);
        return;
      }
      const message =
        options.eventShape === 's3-notification'
          ? toS3Notification(event, { sequencer: sequencer() })
          : toEventBridgeEvent(event, { sequencer: sequencer() });
      queue.send(JSON.stringify(message));
    };
    for (const event of early.splice(0)) forward(event);
    cleanup.push(() => {
      accepting = false;
    });

    let seededSamples: string[] = [];
    if (previous === null && options.samples !== false && (await isEmpty(inbox))) {
      seededSamples = await uploadSamples(inbox, options.samplesDir ?? EXAMPLES_DIR);
      if (seededSamples.length > 0) {
        log(`uploaded ${seededSamples.length} example articles into s3://${DEV_BUCKETS.inbox}/`);
      }
    } else {
      // The state lives in the buckets; a rebuild catches up with changes a killed run left queued and with
      // changed site options.
      const reason = rebuildReason(previous, siteFingerprint, options.rebuild === true);
      if (reason !== null) {
        log(`rebuilding the site: ${reason}`);
        queue.send(JSON.stringify(REBUILD_MESSAGE));
      }
    }
    await writeDevState(marker, { running: true, siteFingerprint });
    started = true;

    if (watchDir !== undefined) {
      const mirror = startFolderMirror({
        dir: watchDir,
        store: inbox,
        manifestPath: join(
          dataDir,
          'watch',
          `${createHash('sha256').update(watchDir).digest('hex').slice(0, 16)}.json`,
        ),
        ...(options.watchIntervalMs !== undefined ? { intervalMs: options.watchIntervalMs } : {}),
        onChange: ({ key, action }) => log(`watch: ${action === 'upload' ? 'uploaded' : 'deleted'} ${key}`),
        onError: (error) => log(`watch: ${error.message}`),
      });
      cleanup.push(() => mirror.close());
      await mirror.ready;
    }

    let stopping: Promise<void> | null = null;
    return {
      s3Endpoint: s3.endpoint,
      siteUrl: site.url,
      buckets: DEV_BUCKETS,
      seededSamples,
      get deadLetters() {
        return queue.deadLetters;
      },
      idle: () => queue.idle(),
      stop() {
        stopping ??= runCleanup();
        return stopping;
      },
    };
  } catch (error) {
    await runCleanup();
    throw error;
  }
}

/** The function's configuration, as the infra construct sets it on the deployed Lambda. */
function handlerEnv(
  s3Endpoint: string,
  siteUrl: string,
  site: DevSiteOptions,
): Record<string, string | undefined> {
  return {
    INBOX_BUCKET: DEV_BUCKETS.inbox,
    SITE_BUCKET: DEV_BUCKETS.site,
    STATE_BUCKET: DEV_BUCKETS.state,
    SITE_BASE_URL: siteUrl,
    SITE_TITLE: site.title ?? DEV_SITE_DEFAULTS.title,
    SITE_DESCRIPTION: site.description ?? DEV_SITE_DEFAULTS.description,
    SITE_LANGUAGE: site.language ?? DEV_SITE_DEFAULTS.language,
    // Unset unless given, so the function's own defaults apply.
    MAX_ITEMS: site.maxItems === undefined ? undefined : String(site.maxItems),
    MAX_ARTICLE_BYTES: site.maxArticleBytes === undefined ? undefined : String(site.maxArticleBytes),
    S3_ENDPOINT: s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
  };
}

/**
 * What the Lambda runtime puts in a container's environment for the AWS SDK: the region and the
 * credentials, which the SDK's default chain reads from `process.env`.
 */
function sdkEnv(): Record<string, string> {
  return {
    AWS_REGION: DEV_REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  };
}

/** Sets the variables in `process.env`; returns the function that puts them back. */
function setEnv(values: Record<string, string | undefined>): () => void {
  const previous = new Map(Object.keys(values).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function summarise(body: string): string {
  try {
    const event = JSON.parse(body) as { 'detail-type'?: string; detail?: { object?: { key?: string } } };
    if (event.detail?.object?.key) return `${event['detail-type']} ${event.detail.object.key}`;
  } catch {
    // not JSON: show it as it is
  }
  return body.slice(0, 120);
}

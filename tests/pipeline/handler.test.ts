import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/ingest-handler.ts';
import type { SqsBatchResponse, SqsEvent } from '../../shared/events/sqs-event.ts';
import { silentLogger } from '../../shared/log.ts';
import { ConfigError, configFromEnv } from '../../shared/pipeline/config-from-env.ts';
import { createS3Store } from '../../shared/store/s3-store.ts';
import { textArticle } from '../factories/articles.ts';
import { eventBridgeObjectCreated, s3TestEvent } from '../factories/s3-events.ts';
import { sqsEvent, sqsRecord } from '../factories/sqs.ts';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3Server } from '../support/s3-server.ts';

const BUCKETS = { inbox: 'handler-inbox', site: 'handler-site', state: 'handler-state' };

describe('functions/ingest.ts handler, configured by environment like the deployed function', () => {
  let s3: S3TestServer;
  let handler: (event: SqsEvent) => Promise<SqsBatchResponse>;
  const saved = { ...process.env };

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: Object.values(BUCKETS) });
    Object.assign(process.env, {
      INBOX_BUCKET: BUCKETS.inbox,
      SITE_BUCKET: BUCKETS.site,
      STATE_BUCKET: BUCKETS.state,
      SITE_BASE_URL: 'https://news.example.org/',
      SITE_TITLE: 'Example News',
      SITE_DESCRIPTION: 'Test feed',
      SITE_LANGUAGE: 'en-GB',
      MAX_ITEMS: '5',
      MAX_ARTICLE_BYTES: '65536',
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'error',
    });
    ({ handler } = await import('../../functions/ingest.ts'));
  });
  afterAll(async () => {
    process.env = saved;
    await s3.stop();
  });

  it('publishes from an EventBridge event in an SQS record and fails only the poison message', async () => {
    const inbox = createS3Store(s3.client, BUCKETS.inbox);
    await inbox.put('hello world.txt', textArticle({ title: 'Hello', date: '2025-07-04' }));
    const good = sqsRecord(
      eventBridgeObjectCreated({ bucket: BUCKETS.inbox, key: 'hello world.txt', sequencer: '0A' }),
    );
    const test = sqsRecord(s3TestEvent(BUCKETS.inbox));
    const poison = sqsRecord('not json');
    const response = await handler(sqsEvent(good, test, poison));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    const site = createS3Store(s3.client, BUCKETS.site);
    const feed = await site.get('feed.json');
    const json = JSON.parse(new TextDecoder().decode(feed?.body)) as {
      items: { id: string }[];
      language?: string;
    };
    expect(json.items.map((i) => i.id)).toEqual([
      expect.stringMatching(/^https:\/\/news\.example\.org\/articles\/hello-world-[0-9a-f]{6}\/$/),
    ]);
  });

  it('runs a rebuild request', async () => {
    const response = await handler(sqsEvent(sqsRecord({ dropfeed: 'rebuild' })));
    expect(response.batchItemFailures).toEqual([]);
  });
});

describe('configFromEnv', () => {
  const env = {
    INBOX_BUCKET: 'i',
    SITE_BUCKET: 's',
    STATE_BUCKET: 't',
    SITE_BASE_URL: 'https://example.org/',
    SITE_TITLE: 'T',
  };

  it('maps the variables, with defaults and no endpoint on AWS', () => {
    expect(configFromEnv(env)).toEqual({
      inboxBucket: 'i',
      siteBucket: 's',
      stateBucket: 't',
      site: { baseUrl: 'https://example.org', title: 'T', description: 'T', language: 'en', maxItems: 50 },
      maxArticleBytes: undefined,
      s3: { forcePathStyle: false },
    });
  });

  it('names the variable that is missing or malformed', () => {
    expect(() => configFromEnv({ ...env, STATE_BUCKET: '' })).toThrow(/STATE_BUCKET is required/);
    expect(() => configFromEnv({ ...env, MAX_ITEMS: 'ten' })).toThrow(ConfigError);
    expect(() => configFromEnv({ ...env, SITE_BASE_URL: 'example.org' })).toThrow(/SITE_BASE_URL/);
    expect(configFromEnv({ ...env, S3_ENDPOINT: 'http://127.0.0.1:4568' }).s3).toEqual({
      endpoint: 'http://127.0.0.1:4568',
      forcePathStyle: true,
    });
  });

  it('checks the site settings by the CLI’s rules, naming the variable at fault', () => {
    expect(() => configFromEnv({ ...env, SITE_LANGUAGE: 'en"><script>' })).toThrow(
      /^environment variable SITE_LANGUAGE: language /,
    );
    expect(() => configFromEnv({ ...env, MAX_ITEMS: '20000' })).toThrow(/^environment variable MAX_ITEMS: /);
    expect(() => configFromEnv({ ...env, SITE_BASE_URL: 'https://example.org/?a=1' })).toThrow(
      /^environment variable SITE_BASE_URL: .*query/,
    );
    expect(configFromEnv({ ...env, SITE_BASE_URL: 'https://Example.org/news/' }).site.baseUrl).toBe(
      'https://example.org/news',
    );
  });

  it('createHandler takes its configuration from the environment it is given, and refuses a bad one', () => {
    expect(() => createHandler({ ...env, INBOX_BUCKET: ' ' })).toThrow(/INBOX_BUCKET is required/);
    expect(createHandler(env, silentLogger)).toBeTypeOf('function');
  });
});

import { parseArgs } from 'node:util';
import { S3RVER_CREDENTIALS } from '../shared/dev/embedded-s3.ts';
import { formatLogRecord, parseLogRecord } from '../shared/dev/handler-log.ts';
import { relaunchWithLegacyOpenSsl } from '../shared/dev/legacy-openssl.ts';
import { DEFAULT_HTTP_PORT, DEV_SITE_DEFAULTS } from '../shared/dev/start-dev.ts';
import { createLogger } from '../shared/log.ts';
import { configFromEnv } from '../shared/pipeline/config-from-env.ts';
import { pipelineFromConfig } from '../shared/pipeline/from-config.ts';

const USAGE = `usage: dropfeed rebuild [options]

Re-derives the whole site (pages, feeds, indexes) from the articles in the inbox bucket, through the
pipeline's conditional writes: safe while the Lambda (or dropfeed dev) is running. On AWS you may
instead send {"dropfeed":"rebuild"} to the FIFO queue, so the rebuild takes its turn behind the events.

Options default to the environment variables the Lambda reads, then to dropfeed dev's setup:
  --endpoint URL        S3 endpoint (S3_ENDPOINT); with it, path-style URLs and, when no AWS_ACCESS_KEY_ID
                        is set, the embedded server's S3RVER/S3RVER credentials; without it, AWS S3
  --inbox BUCKET        (INBOX_BUCKET, default inbox)
  --site BUCKET         (SITE_BUCKET, default site)
  --state BUCKET        (STATE_BUCKET, default state)
  --base-url URL        the site's public URL (SITE_BASE_URL)
  --title TEXT          (SITE_TITLE)
  --description TEXT    (SITE_DESCRIPTION)
  --language TAG        (SITE_LANGUAGE)
                        with --endpoint, these four default to dropfeed dev's own defaults
  --max-items N         (MAX_ITEMS)
  --max-article-bytes N (MAX_ARTICLE_BYTES)
  --region REGION       (AWS_REGION)
  --json                print the summary as JSON
  -h, --help            this help

Use the same site options as the running pipeline: a rebuild with another base URL or title
rewrites every page with it.`;

/** Flag → the environment variable of the Lambda's configuration it stands for. */
const FLAG_ENV = {
  endpoint: 'S3_ENDPOINT',
  inbox: 'INBOX_BUCKET',
  site: 'SITE_BUCKET',
  state: 'STATE_BUCKET',
  'base-url': 'SITE_BASE_URL',
  title: 'SITE_TITLE',
  description: 'SITE_DESCRIPTION',
  language: 'SITE_LANGUAGE',
  'max-items': 'MAX_ITEMS',
  'max-article-bytes': 'MAX_ARTICLE_BYTES',
  region: 'AWS_REGION',
} as const;

export async function run(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(FLAG_ENV).map((flag) => [flag, { type: 'string' as const }])),
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`dropfeed rebuild: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const env: Record<string, string | undefined> = { ...process.env };
  for (const [flag, name] of Object.entries(FLAG_ENV)) {
    const value = values[flag];
    if (typeof value === 'string') env[name] = value;
  }
  const local = Boolean(env.S3_ENDPOINT?.trim());
  if (local) {
    // s3rver pages its listings with DES: relaunch with OpenSSL's legacy provider when it is missing.
    const relaunched = relaunchWithLegacyOpenSsl();
    if (relaunched !== null) return relaunched;
    // The same site as `dropfeed dev` with its defaults: another title would rewrite every page.
    env.SITE_BASE_URL ??= `http://localhost:${DEFAULT_HTTP_PORT}`;
    env.SITE_TITLE ??= DEV_SITE_DEFAULTS.title;
    env.SITE_DESCRIPTION ??= DEV_SITE_DEFAULTS.description;
    env.SITE_LANGUAGE ??= DEV_SITE_DEFAULTS.language;
    if (!env.AWS_ACCESS_KEY_ID) {
      process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    }
  }
  env.INBOX_BUCKET ??= 'inbox';
  env.SITE_BUCKET ??= 'site';
  env.STATE_BUCKET ??= 'state';
  process.env.AWS_REQUEST_CHECKSUM_CALCULATION ??= 'WHEN_REQUIRED';
  process.env.AWS_RESPONSE_CHECKSUM_VALIDATION ??= 'WHEN_REQUIRED';

  try {
    const config = configFromEnv(env);
    const s3 = env.AWS_REGION ? { ...config.s3, region: env.AWS_REGION } : config.s3;
    // Rejections and warnings go to stderr as short lines, so `--json` leaves stdout to the summary alone.
    const log = createLogger(
      { fn: 'rebuild' },
      { level: 'warn', write: (line) => process.stderr.write(`${humanLine(line, config.stateBucket)}\n`) },
    );
    const pipeline = pipelineFromConfig({ ...config, s3 }, log);
    const started = Date.now();
    const summary = await pipeline.rebuild();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...summary, seconds: Number(seconds) })}\n`);
    } else {
      const actions = Object.entries(summary.actions)
        .map(([action, count]) => `${action} ${count}`)
        .join(', ');
      process.stdout.write(
        `rebuilt s3://${config.siteBucket}/ from s3://${config.inboxBucket}/ in ${seconds} s\n` +
          `  inbox: ${summary.articles} articles, ${summary.images} images, ${summary.ignored} other files\n` +
          `  articles: ${actions || 'none'}\n` +
          `  in the feeds' archive: ${summary.published}; orphaned pages removed: ${summary.orphansDeleted}\n` +
          (summary.attempts > 1
            ? `  passes: ${summary.attempts} (another writer changed the indexes meanwhile)\n`
            : ''),
      );
    }
    return 0;
  } catch (error) {
    process.stderr.write(`dropfeed rebuild: ${(error as Error).message}\n`);
    return 1;
  }
}

function humanLine(line: string, stateBucket: string): string {
  const record = parseLogRecord(line);
  return (record && formatLogRecord(record, stateBucket)) ?? line;
}

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { relaunchWithLegacyOpenSsl } from '../shared/dev/legacy-openssl.ts';
import {
  DEFAULT_HTTP_PORT,
  DEFAULT_S3_PORT,
  DEV_BUCKETS,
  type DevRuntime,
  startDev,
} from '../shared/dev/start-dev.ts';

const USAGE = `usage: dropfeed dev [options]        (npm start)

Runs the ingest Lambda on this machine: an embedded S3 server holds the inbox, site and state
buckets; every change in the inbox goes through the real handler, one batch at a time, exactly as
EventBridge → SQS FIFO delivers it on AWS; the site bucket is served over HTTP.

options:
  --s3-port PORT        S3 endpoint port on 127.0.0.1 (default ${DEFAULT_S3_PORT})
  --http-port PORT      site port on 127.0.0.1; the feeds' base URL is http://localhost:PORT (default ${DEFAULT_HTTP_PORT})
  --data DIR            where the buckets are kept between runs (default .dropfeed)
  --watch DIR           mirror a local folder into the inbox (adds, edits, deletions)
  --no-samples          do not upload examples/ into the inbox at the first start
  --rebuild             re-derive the whole site at start (it happens anyway after an unclean stop
                        or a change of the site options)
  --title TEXT          site title (default "dropfeed (local)")
  --description TEXT    site description
  --language TAG        BCP 47 language of the site (default en)
  --max-items N         articles in the feeds and on the index page
  --max-article-bytes N largest accepted article
  --event-shape SHAPE   eventbridge (default: what the infra delivers) or s3-notification (form-encoded keys)
  --json-logs           print the handler's log lines as the JSON it writes for CloudWatch
  -h, --help            this help`;

export async function run(args: string[]): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (error) {
    process.stderr.write(`dropfeed dev: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let ports: { s3: number; http: number };
  let numbers: { maxItems?: number; maxArticleBytes?: number };
  try {
    ports = {
      s3: integer(values['s3-port'], '--s3-port', DEFAULT_S3_PORT, 0, 65535),
      http: integer(values['http-port'], '--http-port', DEFAULT_HTTP_PORT, 0, 65535),
    };
    numbers = {
      ...(values['max-items'] !== undefined
        ? { maxItems: integer(values['max-items'], '--max-items', 0, 1) }
        : {}),
      ...(values['max-article-bytes'] !== undefined
        ? { maxArticleBytes: integer(values['max-article-bytes'], '--max-article-bytes', 0, 1) }
        : {}),
    };
  } catch (error) {
    process.stderr.write(`dropfeed dev: ${(error as Error).message}\n`);
    return 2;
  }

  const eventShape = values['event-shape'] ?? 'eventbridge';
  if (eventShape !== 'eventbridge' && eventShape !== 's3-notification') {
    process.stderr.write(
      `dropfeed dev: --event-shape must be eventbridge or s3-notification, got '${eventShape}'\n`,
    );
    return 2;
  }

  const relaunched = relaunchWithLegacyOpenSsl();
  if (relaunched !== null) return relaunched;

  const dataDir = resolve(values.data ?? '.dropfeed');
  const log = (line: string) => process.stdout.write(`${timestamp()} ${line}\n`);
  let runtime: DevRuntime;
  try {
    runtime = await startDev({
      dataDir,
      s3Port: ports.s3,
      httpPort: ports.http,
      ...(values.watch !== undefined ? { watchDir: values.watch } : {}),
      samples: !values['no-samples'],
      rebuild: values.rebuild === true,
      site: {
        ...(values.title !== undefined ? { title: values.title } : {}),
        ...(values.description !== undefined ? { description: values.description } : {}),
        ...(values.language !== undefined ? { language: values.language } : {}),
        ...numbers,
      },
      eventShape,
      log,
      handlerLog: values['json-logs'] ? 'json' : 'pretty',
    });
  } catch (error) {
    process.stderr.write(`dropfeed dev: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(banner(runtime, dataDir, values.watch));
  return waitForStop(runtime, log);
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      's3-port': { type: 'string' },
      'http-port': { type: 'string' },
      data: { type: 'string' },
      watch: { type: 'string' },
      'no-samples': { type: 'boolean' },
      rebuild: { type: 'boolean' },
      title: { type: 'string' },
      description: { type: 'string' },
      language: { type: 'string' },
      'max-items': { type: 'string' },
      'max-article-bytes': { type: 'string' },
      'event-shape': { type: 'string' },
      'json-logs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function integer(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return Number(raw);
}

function banner(runtime: DevRuntime, dataDir: string, watch: string | undefined): string {
  const s3 = runtime.s3Endpoint;
  const site = runtime.siteUrl;
  const aws = `AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws --endpoint-url ${s3}`;
  return `
dropfeed dev: the ingest Lambda on an embedded S3 server

  S3 endpoint   ${s3}   (access key S3RVER, secret S3RVER, region us-east-1)
  inbox bucket  s3://${DEV_BUCKETS.inbox}/   (also: s3://${DEV_BUCKETS.site}/ = the site, s3://${DEV_BUCKETS.state}/ = pipeline state)
  data          ${dataDir}${watch !== undefined ? `\n  watching      ${resolve(watch)} → s3://${DEV_BUCKETS.inbox}/` : ''}

Publish an article:
  ${aws} s3 cp my-article.txt s3://${DEV_BUCKETS.inbox}/
Remove it:
  ${aws} s3 rm s3://${DEV_BUCKETS.inbox}/my-article.txt

  site          ${site}/
  RSS           ${site}/feed.xml
  Atom          ${site}/atom.xml
  JSON Feed     ${site}/feed.json
  rejections    s3://${DEV_BUCKETS.state}/reports/…   (${aws} s3 ls s3://${DEV_BUCKETS.state}/reports/ --recursive)

Ctrl-C stops (the buckets stay in ${dataDir}; the next start carries on from them).

`;
}

/** Resolves with exit code 0 once a first Ctrl-C / SIGTERM has drained the queue and closed the servers. */
function waitForStop(runtime: DevRuntime, log: (line: string) => void): Promise<number> {
  return new Promise((resolvePromise) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log(`${signal} again: exiting without waiting`);
        process.exit(130);
      }
      stopping = true;
      log('stopping: finishing queued changes…');
      runtime.stop().then(
        () => {
          const dead = runtime.deadLetters.length;
          log(`stopped${dead > 0 ? ` (${dead} message(s) were dead-lettered; see above)` : ''}`);
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolvePromise(0);
        },
        (error: unknown) => {
          log(`stop failed: ${(error as Error).message}`);
          resolvePromise(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function timestamp(): string {
  return new Date().toTimeString().slice(0, 8);
}

import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpVersion, PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { BucketProps } from 'aws-cdk-lib/aws-s3';
import { BlockPublicAccess, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { QueueProps } from 'aws-cdk-lib/aws-sqs';
import { QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DEFAULT_MAX_ARTICLE_BYTES } from '../shared/article/model.ts';
import { DEFAULT_SITE } from '../shared/render/site-config.ts';
import { LAZY_PACKAGES } from './lazy-packages.mjs';

/**
 * The defaults of every `FeedPipelineProps` setting, kept as data so the construct, its documentation
 * and its tests read the same numbers. The site defaults come from the renderer's own defaults so a
 * deployed site and `dropfeed build` agree when nothing is configured.
 */
export const FEED_PIPELINE_DEFAULTS = {
  siteTitle: DEFAULT_SITE.title,
  siteDescription: DEFAULT_SITE.description,
  language: DEFAULT_SITE.language,
  maxItems: DEFAULT_SITE.maxItems,
  maxArticleBytes: DEFAULT_MAX_ARTICLE_BYTES,
  memorySize: 512,
  timeout: Duration.minutes(2),
  logRetention: RetentionDays.THREE_MONTHS,
  inboxVersionRetentionDays: 90,
  stateVersionRetentionDays: 30,
  accessLogRetentionDays: 90,
  removalPolicy: RemovalPolicy.RETAIN,
  autoDeleteObjects: false,
  priceClass: PriceClass.PRICE_CLASS_100,
  batchSize: 10,
  /** The floor for an SQS event source: AWS rejects 1 (FIELD-NOTES: reserved concurrency 1 throttles and burns receives). */
  maxConcurrency: 2,
  maxReceiveCount: 5,
  /** AWS guidance for SQS event sources: visibility >= 6 x function timeout, so retries of a slow batch do not overlap. */
  visibilityTimeoutFactor: 6,
  /** One group = one writer at a time, in upload order: the pipeline's read-modify-write of the index never races. */
  messageGroupId: 'inbox',
  feedCacheTtl: Duration.minutes(5),
  pageCacheTtl: Duration.hours(1),
  assetCacheTtl: Duration.days(1),
} as const;

/** Private, encrypted, TLS-only, owner-enforced: the starting point of every bucket the construct makes. */
export function secureBucketDefaults(): BucketProps {
  return {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: FEED_PIPELINE_DEFAULTS.removalPolicy,
    autoDeleteObjects: FEED_PIPELINE_DEFAULTS.autoDeleteObjects,
  };
}

/**
 * The log bucket differs from the others in one way: CloudFront standard logging (the kind cdk-nag's CFR3
 * recognises) writes through object ACLs, so ACLs must be enabled. S3 server access logs arrive through a
 * bucket policy, which CDK adds. Logs must stay SSE-S3: S3 server access logging cannot write to a bucket
 * whose default encryption is SSE-KMS.
 */
export function logBucketDefaults(retentionDays: number): BucketProps {
  return {
    ...secureBucketDefaults(),
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [
      {
        id: 'expire-logs',
        expiration: Duration.days(retentionDays),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  };
}

/**
 * Bundled by the esbuild in node_modules (never Docker: offline machines and CI have none).
 * `@aws-sdk/*` stays external because the Node.js 24 runtime ships AWS SDK v3: the bundle stays small and
 * cold starts fast. The price is that the runtime's SDK version is AWS's, not the lockfile's; the handler
 * uses only long-stable S3 calls (Get/Head/Put with If-Match/If-None-Match, Delete, ListObjectsV2).
 */
export function bundlingDefaults(): BundlingOptions {
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    target: 'node24',
    minify: true,
    // Readable stack traces in CloudWatch for a few KB; sources are left out of the map to keep it small.
    sourceMap: true,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: false,
    // The Markdown-only packages ship as files of their own beside the bundle, read on first use.
    externalModules: ['@aws-sdk/*', ...LAZY_PACKAGES],
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) => [
        `node "${join(inputDir, 'infra', 'lazy-packages.mjs')}" "${outputDir}" node24`,
      ],
    },
    // ESM output: bundled CommonJS dependencies (xml-js and sax behind `feed`) still call require() for Node built-ins.
    banner:
      "import { createRequire as __dropfeedCreateRequire } from 'node:module'; const require = __dropfeedCreateRequire(import.meta.url);",
    mainFields: ['module', 'main'],
  };
}

/** The function settings that are not a matter of taste: the runtime the handler is written for, Graviton. */
export function functionDefaults() {
  return {
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: FEED_PIPELINE_DEFAULTS.memorySize,
    timeout: FEED_PIPELINE_DEFAULTS.timeout,
    // Source maps are only useful if Node applies them to stack traces.
    environment: { NODE_OPTIONS: '--enable-source-maps' },
  } as const;
}

/** FIFO, encrypted at rest by SQS, TLS-only, messages kept the maximum 14 days so a stalled pipeline loses nothing. */
export function queueDefaults(): QueueProps {
  return {
    fifo: true,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  };
}

/** CloudFront settings that hold for every distribution the construct makes. */
export function distributionDefaults() {
  return {
    defaultRootObject: 'index.html',
    httpVersion: HttpVersion.HTTP2_AND_3,
    enableIpv6: true,
    priceClass: FEED_PIPELINE_DEFAULTS.priceClass,
  } as const;
}

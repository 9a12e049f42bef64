import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import { RemovalPolicy, Token } from 'aws-cdk-lib';
import type { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { resolveSiteConfig } from '../shared/render/site-config.ts';
import { FEED_PIPELINE_DEFAULTS } from './defaults.ts';
import type { FeedPipelineProps } from './feed-pipeline-props.ts';

/** {@link FeedPipelineProps} with every default filled in and every value checked. */
export interface FeedPipelineSettings {
  readonly site: {
    readonly title: string;
    readonly description: string;
    readonly language: string;
    readonly maxItems: number;
  };
  /** Undefined: the distribution's own domain, known only at deploy time. */
  readonly baseUrl: string | undefined;
  readonly maxArticleBytes: number;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: RetentionDays;
  readonly inboxVersionRetentionDays: number;
  readonly stateVersioned: boolean;
  readonly stateVersionRetentionDays: number;
  readonly accessLogRetentionDays: number;
  readonly removalPolicy: RemovalPolicy;
  readonly autoDeleteObjects: boolean;
  readonly entry: string;
  readonly priceClass: PriceClass;
  readonly rebuildOnDeploy: boolean;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly maxReceiveCount: number;
}

/** Fills the defaults and rejects, at synth time and naming the setting, what would fail at deploy or run time. */
export function resolveFeedPipelineSettings(props: FeedPipelineProps): FeedPipelineSettings {
  const d = FEED_PIPELINE_DEFAULTS;
  const explicitUrl =
    props.baseUrl ?? (props.customDomain ? `https://${props.customDomain.domainName}` : undefined);
  const literalUrl = explicitUrl !== undefined && !Token.isUnresolved(explicitUrl) ? explicitUrl : undefined;
  if (literalUrl !== undefined && !literalUrl.startsWith('https://')) {
    throw new Error(
      `FeedPipeline: baseUrl '${literalUrl}' must start with https:// (the distribution redirects plain HTTP)`,
    );
  }
  // The same checks the function applies to its environment, run here so a typo fails `cdk synth`, not the first upload.
  const site = siteConfigOrThrow({
    title: props.siteTitle ?? d.siteTitle,
    description: props.siteDescription ?? d.siteDescription,
    language: props.language ?? d.language,
    maxItems: props.maxItems ?? d.maxItems,
    baseUrl: literalUrl ?? 'https://placeholder.invalid',
  });
  const certificateArn = props.customDomain?.certificate.certificateArn;
  if (certificateArn && !Token.isUnresolved(certificateArn) && !certificateArn.includes(':us-east-1:')) {
    throw new Error(
      `FeedPipeline: customDomain.certificate must be in us-east-1 for CloudFront, got ${certificateArn}`,
    );
  }
  const removalPolicy = props.removalPolicy ?? d.removalPolicy;
  const autoDeleteObjects = props.autoDeleteObjects ?? d.autoDeleteObjects;
  if (autoDeleteObjects && removalPolicy !== RemovalPolicy.DESTROY) {
    throw new Error('FeedPipeline: autoDeleteObjects requires removalPolicy: RemovalPolicy.DESTROY');
  }
  const timeout = props.timeout ?? d.timeout;
  if (timeout.toSeconds() < 1 || timeout.toSeconds() > 900) {
    throw new Error(
      `FeedPipeline: timeout must be between 1 second and 15 minutes, got ${timeout.toHumanString()}`,
    );
  }
  return {
    site: {
      title: site.title,
      description: site.description,
      language: site.language,
      maxItems: site.maxItems,
    },
    baseUrl: literalUrl !== undefined ? site.baseUrl : explicitUrl,
    maxArticleBytes: integerIn(
      'maxArticleBytes',
      props.maxArticleBytes ?? d.maxArticleBytes,
      1,
      100 * 1024 * 1024,
    ),
    memorySize: integerIn('memorySize', props.memorySize ?? d.memorySize, 128, 10_240),
    timeout,
    logRetention: props.logRetention ?? d.logRetention,
    inboxVersionRetentionDays: integerIn(
      'inboxVersionRetentionDays',
      props.inboxVersionRetentionDays ?? d.inboxVersionRetentionDays,
      1,
      36_500,
    ),
    stateVersioned: props.stateVersioned ?? true,
    stateVersionRetentionDays: integerIn(
      'stateVersionRetentionDays',
      props.stateVersionRetentionDays ?? d.stateVersionRetentionDays,
      1,
      36_500,
    ),
    accessLogRetentionDays: integerIn(
      'accessLogRetentionDays',
      props.accessLogRetentionDays ?? d.accessLogRetentionDays,
      1,
      36_500,
    ),
    removalPolicy,
    autoDeleteObjects,
    entry: props.entry ?? fileURLToPath(new URL('../functions/ingest.ts', import.meta.url)),
    priceClass: props.priceClass ?? d.priceClass,
    rebuildOnDeploy: props.rebuildOnDeploy ?? true,
    // FIFO event sources take at most 10 messages per batch.
    batchSize: integerIn('batchSize', props.batchSize ?? d.batchSize, 1, 10),
    maxConcurrency: integerIn('maxConcurrency', props.maxConcurrency ?? d.maxConcurrency, 2, 1000),
    maxReceiveCount: integerIn('maxReceiveCount', props.maxReceiveCount ?? d.maxReceiveCount, 5, 1000),
  };
}

function siteConfigOrThrow(input: Parameters<typeof resolveSiteConfig>[0]) {
  try {
    return resolveSiteConfig(input);
  } catch (error) {
    throw new Error(`FeedPipeline: ${(error as Error).message}`);
  }
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`FeedPipeline: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

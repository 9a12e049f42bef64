import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';

/** A domain name of your own for the site, with its certificate. */
export interface FeedPipelineCustomDomain {
  /** The host name readers use, e.g. `news.example.org`. Point a CNAME/alias at the distribution after deploy. */
  readonly domainName: string;
  /** An ACM certificate covering `domainName`. CloudFront only accepts certificates from us-east-1. */
  readonly certificate: ICertificate;
}

/** Settings of a {@link FeedPipeline}. Every one is optional; the defaults make a private, logged, alarmed pipeline. */
export interface FeedPipelineProps {
  /**
   * The site and feed title.
   * @default 'dropfeed'
   */
  readonly siteTitle?: string;
  /**
   * The site and feed description.
   * @default 'Articles published with dropfeed'
   */
  readonly siteDescription?: string;
  /**
   * The BCP 47 language tag of the site and feeds.
   * @default 'en'
   */
  readonly language?: string;
  /**
   * Serve the site on your own domain (TLS 1.2_2021 minimum, SNI).
   * @default - no custom domain: the site is served at `https://<id>.cloudfront.net`
   */
  readonly customDomain?: FeedPipelineCustomDomain;
  /**
   * The absolute URL the feeds and pages link to. Set it when the site is reached through a name the
   * construct does not manage (DNS elsewhere, a proxy in front).
   * @default - `https://<customDomain.domainName>`, else `https://<distribution domain>`
   */
  readonly baseUrl?: string;
  /**
   * How many of the newest articles the feeds and the index list.
   * @default 50
   */
  readonly maxItems?: number;
  /**
   * Articles larger than this are rejected with a report instead of parsed.
   * @default 1048576 (1 MiB)
   */
  readonly maxArticleBytes?: number;
  /**
   * Memory of the ingest function, in MB (CPU scales with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Timeout of the ingest function. The queue's visibility timeout is 6 times this.
   * @default Duration.minutes(2)
   */
  readonly timeout?: Duration;
  /**
   * How long the ingest function's logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * Days a replaced or deleted inbox version is kept before S3 expires it (the undo window for editors).
   * @default 90
   */
  readonly inboxVersionRetentionDays?: number;
  /**
   * Version the state bucket, so a bad deploy that corrupts state can be rolled back object by object.
   * @default true
   */
  readonly stateVersioned?: boolean;
  /**
   * Days a noncurrent state version is kept (only when `stateVersioned`).
   * @default 30
   */
  readonly stateVersionRetentionDays?: number;
  /**
   * Days S3 server access logs and CloudFront logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
  /**
   * A customer-managed KMS key for the inbox and state buckets. The site bucket stays SSE-S3 (its content
   * is public through CloudFront) and the log bucket must stay SSE-S3 (S3 access logging requires it).
   * @default - SSE-S3 (S3-managed keys)
   */
  readonly encryptionKey?: IKey;
  /**
   * What happens to the buckets and log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Empty the buckets on stack deletion so they can be destroyed. Only with `RemovalPolicy.DESTROY`.
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
  /**
   * The handler source file (exporting `handler`), bundled with the local esbuild.
   * @default - `functions/ingest.ts` of this repository
   */
  readonly entry?: string;
  /**
   * CloudFront price class (which edge locations serve readers).
   * @default PriceClass.PRICE_CLASS_100 (North America, Europe, Israel)
   */
  readonly priceClass?: PriceClass;
  /**
   * An SNS topic the alarms notify.
   * @default - a topic is created when `alarmEmail` is set; otherwise alarms notify no one (visible in the console)
   */
  readonly alarmTopic?: ITopic;
  /**
   * An e-mail address subscribed to the alarm topic (confirm the subscription mail after deploy).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Send a rebuild request through the queue after each deploy that changes the site settings or the
   * function code, so existing pages pick up new templates and settings.
   * @default true
   */
  readonly rebuildOnDeploy?: boolean;
  /**
   * Messages per Lambda invocation (1-10 for FIFO queues).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Maximum concurrent invocations by the event source (2-1000; AWS rejects 1). With one message group
   * only one batch runs at a time anyway; this caps retries and rebuild overlap.
   * @default 2
   */
  readonly maxConcurrency?: number;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

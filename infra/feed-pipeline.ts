import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type {
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  ResponseHeadersPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { createPipelineAlarms } from './alarms.ts';
import { createPipelineBuckets } from './buckets.ts';
import { bundlingDefaults, FEED_PIPELINE_DEFAULTS, functionDefaults, queueDefaults } from './defaults.ts';
import type { FeedPipelineCustomDomain, FeedPipelineProps } from './feed-pipeline-props.ts';
import { createRebuildOnDeploy, deploymentFingerprint } from './rebuild-on-deploy.ts';
import type { FeedPipelineSettings } from './settings.ts';
import { resolveFeedPipelineSettings } from './settings.ts';
import { createSiteDistribution } from './site-distribution.ts';

export type { FeedPipelineCustomDomain, FeedPipelineProps } from './feed-pipeline-props.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * dropfeed on AWS: editors drop article files into the inbox bucket; S3 announces each change to EventBridge,
 * which queues it on a FIFO queue (one message group, so changes apply one at a time, in order); the ingest
 * function parses, updates state and rewrites the feeds and pages in the site bucket, served by CloudFront.
 */
export class FeedPipeline extends Construct {
  /** Where editors upload articles. Versioned: overwrites and deletes can be undone. */
  public readonly inboxBucket: Bucket;
  /** The generated site (feeds, pages, media). Private: readers reach it only through the distribution. */
  public readonly siteBucket: Bucket;
  /** Per-article state and rejection reports (`reports/<key>.json`). Private. */
  public readonly stateBucket: Bucket;
  /** S3 server access logs (`s3/<bucket>/`) and CloudFront logs (`cloudfront/`). */
  public readonly logBucket: Bucket;
  /** The FIFO queue of inbox changes and rebuild requests. */
  public readonly queue: Queue;
  /** Messages that failed `maxReceiveCount` times. */
  public readonly deadLetterQueue: Queue;
  /** Events EventBridge could not deliver to the queue (standard: EventBridge target DLQs cannot be FIFO). */
  public readonly deliveryDeadLetterQueue: Queue;
  /** Matches the inbox's `Object Created` / `Object Deleted` events. */
  public readonly inboxRule: Rule;
  /** The ingest function. */
  public readonly ingestFunction: NodejsFunction;
  /** The ingest function's log group. */
  public readonly logGroup: LogGroup;
  /** Feeds the queue to the function. */
  public readonly eventSource: SqsEventSource;
  /** Serves the site bucket. */
  public readonly distribution: Distribution;
  /** Maps directory URLs to their `index.html`. */
  public readonly directoryIndexFunction: CloudFrontFunction;
  /** Security (HSTS, CSP without scripts, nosniff, frame, referrer) and CORS headers for pages and files. */
  public readonly pageHeadersPolicy: ResponseHeadersPolicy;
  /** The same for the XML feeds, whose CSP also admits the same-origin XSL stylesheet. */
  public readonly feedHeadersPolicy: ResponseHeadersPolicy;
  /** Feeds and the index page: at most a few minutes stale. */
  public readonly feedCachePolicy: CachePolicy;
  /** Article pages. */
  public readonly pageCachePolicy: CachePolicy;
  /** Stylesheets and media. */
  public readonly assetCachePolicy: CachePolicy;
  /** Any message in the dead-letter queue. */
  public readonly deadLetterAlarm: Alarm;
  /** Any event EventBridge failed to deliver. */
  public readonly deliveryFailureAlarm: Alarm;
  /** Any function error. */
  public readonly functionErrorsAlarm: Alarm;
  /** The oldest queued change waits too long: the pipeline is stalled. */
  public readonly queueAgeAlarm: Alarm;
  /** The topic the alarms notify, if any. */
  public readonly alarmTopic?: ITopic;
  /** Sends the rebuild request on deploy (absent when `rebuildOnDeploy` is false). */
  public readonly rebuildOnDeploy?: AwsCustomResource;
  /** Hash of the function settings and code: the rebuild request's deduplication id. */
  public readonly deploymentFingerprint: string;
  /** The custom domain, if the site has one. */
  public readonly customDomain?: FeedPipelineCustomDomain;
  /** The site's base URL without a trailing slash (a token when it is the distribution's domain). */
  public readonly siteUrl: string;

  constructor(scope: Construct, id: string, props: FeedPipelineProps = {}) {
    super(scope, id);
    const settings = resolveFeedPipelineSettings(props);
    this.customDomain = props.customDomain;

    const buckets = createPipelineBuckets(this, settings, props.encryptionKey);
    this.inboxBucket = buckets.inboxBucket;
    this.siteBucket = buckets.siteBucket;
    this.stateBucket = buckets.stateBucket;
    this.logBucket = buckets.logBucket;

    const site = createSiteDistribution(this, {
      siteBucket: this.siteBucket,
      logBucket: this.logBucket,
      title: settings.site.title,
      priceClass: settings.priceClass,
      customDomain: props.customDomain,
    });
    this.distribution = site.distribution;
    this.directoryIndexFunction = site.directoryIndexFunction;
    this.pageHeadersPolicy = site.pageHeadersPolicy;
    this.feedHeadersPolicy = site.feedHeadersPolicy;
    this.feedCachePolicy = site.feedCachePolicy;
    this.pageCachePolicy = site.pageCachePolicy;
    this.assetCachePolicy = site.assetCachePolicy;
    this.siteUrl = settings.baseUrl ?? `https://${this.distribution.distributionDomainName}`;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', queueDefaults());
    this.queue = new Queue(this, 'Queue', {
      ...queueDefaults(),
      // EventBridge sets no deduplication id; each event has its own id and time, so content-based
      // deduplication only drops true resends. The rebuild request carries an explicit id.
      contentBasedDeduplication: true,
      visibilityTimeout: Duration.seconds(
        settings.timeout.toSeconds() * FEED_PIPELINE_DEFAULTS.visibilityTimeoutFactor,
      ),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
    });
    this.deliveryDeadLetterQueue = new Queue(this, 'DeliveryDeadLetterQueue', {
      ...queueDefaults(),
      fifo: false,
    });
    Validations.of(this.deliveryDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the EventBridge rule target parks undeliverable events here (configured on the rule target, which cdk-nag does not see).',
    });
    this.inboxRule = new Rule(this, 'InboxRule', {
      description: 'dropfeed: inbox object changes, in order, to the ingest queue',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created', 'Object Deleted'],
        detail: { bucket: { name: [this.inboxBucket.bucketName] } },
      },
      targets: [
        new SqsQueue(this.queue, {
          messageGroupId: FEED_PIPELINE_DEFAULTS.messageGroupId,
          deadLetterQueue: this.deliveryDeadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    this.logGroup = new LogGroup(this, 'IngestLogGroup', {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    const environment = this.functionEnvironment(settings);
    this.ingestFunction = new NodejsFunction(this, 'IngestFunction', {
      ...functionDefaults(),
      entry: settings.entry,
      handler: 'handler',
      projectRoot: REPOSITORY_ROOT,
      depsLockFilePath: fileURLToPath(new URL('../package-lock.json', import.meta.url)),
      memorySize: settings.memorySize,
      timeout: settings.timeout,
      description: 'dropfeed: applies inbox changes and rewrites the feeds and pages',
      logGroup: this.logGroup,
      environment,
      bundling: bundlingDefaults(),
    });
    this.grantPipelineAccess(props.encryptionKey);
    this.eventSource = new SqsEventSource(this.queue, {
      batchSize: settings.batchSize,
      maxConcurrency: settings.maxConcurrency,
      reportBatchItemFailures: true,
    });
    this.ingestFunction.addEventSource(this.eventSource);

    this.alarmTopic =
      props.alarmTopic ?? (props.alarmEmail ? this.createAlarmTopic(props.alarmEmail) : undefined);
    const alarms = createPipelineAlarms(this, {
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      deliveryDeadLetterQueue: this.deliveryDeadLetterQueue,
      ingestFunction: this.ingestFunction,
      topic: this.alarmTopic,
    });
    this.deadLetterAlarm = alarms.deadLetterAlarm;
    this.deliveryFailureAlarm = alarms.deliveryFailureAlarm;
    this.functionErrorsAlarm = alarms.functionErrorsAlarm;
    this.queueAgeAlarm = alarms.queueAgeAlarm;

    this.deploymentFingerprint = deploymentFingerprint(this.ingestFunction, environment);
    if (settings.rebuildOnDeploy) {
      this.rebuildOnDeploy = createRebuildOnDeploy(this, {
        queue: this.queue,
        messageGroupId: FEED_PIPELINE_DEFAULTS.messageGroupId,
        ingestFunction: this.ingestFunction,
        fingerprint: this.deploymentFingerprint,
        logRetention: settings.logRetention,
        removalPolicy: settings.removalPolicy,
      });
    }
  }

  /** The variables `shared/pipeline/config-from-env.ts` reads. */
  private functionEnvironment(settings: FeedPipelineSettings): Record<string, string> {
    return {
      ...functionDefaults().environment,
      INBOX_BUCKET: this.inboxBucket.bucketName,
      SITE_BUCKET: this.siteBucket.bucketName,
      STATE_BUCKET: this.stateBucket.bucketName,
      SITE_BASE_URL: this.siteUrl,
      SITE_TITLE: settings.site.title,
      SITE_DESCRIPTION: settings.site.description,
      SITE_LANGUAGE: settings.site.language,
      MAX_ITEMS: String(settings.site.maxItems),
      MAX_ARTICLE_BYTES: String(settings.maxArticleBytes),
    };
  }

  /**
   * Least privilege, stated action by action instead of `grantRead`/`grantReadWrite` (which add `s3:List*`,
   * `s3:GetObject*`, `s3:Abort*`, ...). `s3:ListBucket` on each bucket ARN (no wildcard) makes S3 answer
   * 404 rather than 403 for a missing key, which the pipeline relies on ("no state yet", "deleted since").
   * Conditional writes (If-Match / If-None-Match) need nothing beyond `s3:PutObject`.
   */
  private grantPipelineAccess(encryptionKey: IKey | undefined): void {
    const fn = this.ingestFunction;
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ListForNotFound',
        actions: ['s3:ListBucket'],
        resources: [this.inboxBucket.bucketArn, this.siteBucket.bucketArn, this.stateBucket.bucketArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadInbox',
        actions: ['s3:GetObject'],
        resources: [this.inboxBucket.arnForObjects('*')],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'WriteSiteAndState',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [this.siteBucket.arnForObjects('*'), this.stateBucket.arnForObjects('*')],
      }),
    );
    if (encryptionKey) {
      // With S3 bucket keys S3 asks KMS for a data key on write and a decrypt on read; nothing else
      // (grantEncryptDecrypt would add kms:ReEncrypt* and kms:GenerateDataKey*).
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: 'UseDataKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [encryptionKey.keyArn],
        }),
      );
    }
    this.acknowledgeObjectWildcards();
  }

  /** `bucket/*` is the narrowest scope that holds: object keys come from editors' file names. */
  private acknowledgeObjectWildcards(): void {
    const stack = Stack.of(this);
    const policy = this.ingestFunction.role?.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error('FeedPipeline: the ingest function has no default policy to acknowledge');
    const objectsOf = (bucket: Bucket) =>
      `AwsSolutions-IAM5[Resource::<${stack.resolve(stack.getLogicalId(bucket.node.defaultChild as CfnBucket))}.Arn>/*]`;
    Validations.of(policy).acknowledge(
      {
        id: objectsOf(this.inboxBucket),
        reason:
          'Reads any article the editors upload: keys are chosen by editors, and the inbox holds nothing else.',
      },
      {
        id: objectsOf(this.siteBucket),
        reason:
          'Writes and deletes any page, feed or media file of the generated site; the bucket is dedicated to this output and the paths derive from article keys.',
      },
      {
        id: objectsOf(this.stateBucket),
        reason:
          'Reads, writes and deletes per-article state and reports/<key>.json, keyed by article key; the bucket is dedicated to the pipeline state.',
      },
    );
    Validations.of(this.ingestFunction.role as unknown as IConstruct).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The AWS-managed basic execution role grants only CloudWatch Logs writes; the function logs to its own log group.',
    });
  }

  private createAlarmTopic(email: string): Topic {
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'dropfeed alarms', enforceSSL: true });
    topic.addSubscription(new EmailSubscription(email));
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Carries only alarm state changes (no article data). CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer key would cost more than the alarm names are worth protecting.',
    });
    return topic;
  }
}

import { Duration, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { logBucketDefaults, secureBucketDefaults } from './defaults.ts';
import type { FeedPipelineSettings } from './settings.ts';

export interface PipelineBuckets {
  readonly logBucket: Bucket;
  readonly inboxBucket: Bucket;
  readonly siteBucket: Bucket;
  readonly stateBucket: Bucket;
}

/**
 * The four buckets: inbox (editors' uploads, versioned, announced to EventBridge), site (generated output,
 * private behind CloudFront), state (pipeline records and reports) and the log bucket the other three and
 * CloudFront log to.
 */
export function createPipelineBuckets(
  scope: Construct,
  settings: FeedPipelineSettings,
  encryptionKey: IKey | undefined,
): PipelineBuckets {
  const lifetime = { removalPolicy: settings.removalPolicy, autoDeleteObjects: settings.autoDeleteObjects };

  const logBucket = new Bucket(scope, 'LogBucket', {
    ...logBucketDefaults(settings.accessLogRetentionDays),
    ...lifetime,
  });
  Validations.of(logBucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This is the access-log destination; logging its own access would log the logging, without end.',
  });
  const loggedTo = (prefix: string) => ({
    serverAccessLogsBucket: logBucket,
    serverAccessLogsPrefix: `s3/${prefix}/`,
  });
  const dataEncryption = encryptionKey
    ? { encryption: BucketEncryption.KMS, encryptionKey, bucketKeyEnabled: true }
    : {};
  const abortUploads = { abortIncompleteMultipartUploadAfter: Duration.days(7) };
  const expireOldVersions = (days: number) => ({
    id: 'expire-old-versions',
    noncurrentVersionExpiration: Duration.days(days),
    expiredObjectDeleteMarker: true,
    ...abortUploads,
  });

  const inboxBucket = new Bucket(scope, 'InboxBucket', {
    ...secureBucketDefaults(),
    ...dataEncryption,
    ...lifetime,
    ...loggedTo('inbox'),
    // Overwrites and deletes stay recoverable for the retention window.
    versioned: true,
    lifecycleRules: [expireOldVersions(settings.inboxVersionRetentionDays)],
  });
  enableNativeEventBridgeNotifications(inboxBucket);

  const siteBucket = new Bucket(scope, 'SiteBucket', {
    ...secureBucketDefaults(),
    ...lifetime,
    ...loggedTo('site'),
    lifecycleRules: [{ id: 'abort-multipart', ...abortUploads }],
  });

  const stateBucket = new Bucket(scope, 'StateBucket', {
    ...secureBucketDefaults(),
    ...dataEncryption,
    ...lifetime,
    ...loggedTo('state'),
    versioned: settings.stateVersioned,
    lifecycleRules: [
      settings.stateVersioned
        ? expireOldVersions(settings.stateVersionRetentionDays)
        : { id: 'abort-multipart', ...abortUploads },
    ],
  });

  return { logBucket, inboxBucket, siteBucket, stateBucket };
}

/**
 * CloudFormation's own `EventBridgeConfiguration` rather than the L2 `eventBridgeEnabled`, which installs a
 * custom-resource Lambda (with `s3:PutBucketNotification` on `*`) to make the same API call.
 */
function enableNativeEventBridgeNotifications(bucket: Bucket): void {
  const cfnBucket = bucket.node.defaultChild as CfnBucket;
  cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
}

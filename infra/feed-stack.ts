import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { REBUILD_MESSAGE } from '../shared/events/decode.ts';
import { FEED_PATHS } from '../shared/render/urls.ts';
import { FEED_PIPELINE_DEFAULTS } from './defaults.ts';
import type { FeedPipelineProps } from './feed-pipeline.ts';
import { FeedPipeline } from './feed-pipeline.ts';

export interface FeedStackProps extends StackProps {
  /** Passed to the {@link FeedPipeline}. */
  readonly pipeline?: FeedPipelineProps;
  /**
   * Your domain and the ARN of its us-east-1 ACM certificate, imported into this stack.
   * @default - the pipeline's `customDomain`, if any
   */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
}

/** One {@link FeedPipeline} and the addresses an operator needs after `cdk deploy`. */
export class FeedStack extends Stack {
  public readonly pipeline: FeedPipeline;

  constructor(scope: Construct, id: string, props: FeedStackProps = {}) {
    super(scope, id, props);
    const customDomain = props.customDomain && {
      domainName: props.customDomain.domainName,
      certificate: Certificate.fromCertificateArn(this, 'SiteCertificate', props.customDomain.certificateArn),
    };
    this.pipeline = new FeedPipeline(this, 'FeedPipeline', {
      ...props.pipeline,
      ...(customDomain ? { customDomain } : {}),
    });
    const { siteUrl, inboxBucket, stateBucket, queue, distribution } = this.pipeline;

    new CfnOutput(this, 'SiteUrl', { value: `${siteUrl}/`, description: 'The published site' });
    new CfnOutput(this, 'RssFeedUrl', { value: `${siteUrl}/${FEED_PATHS.rss}`, description: 'RSS 2.0 feed' });
    new CfnOutput(this, 'AtomFeedUrl', {
      value: `${siteUrl}/${FEED_PATHS.atom}`,
      description: 'Atom 1.0 feed',
    });
    new CfnOutput(this, 'JsonFeedUrl', {
      value: `${siteUrl}/${FEED_PATHS.json}`,
      description: 'JSON Feed 1.1',
    });
    new CfnOutput(this, 'InboxBucketName', {
      value: inboxBucket.bucketName,
      description: 'Upload articles here',
    });
    new CfnOutput(this, 'StateBucketName', {
      value: stateBucket.bucketName,
      description: 'Pipeline state; rejection reports at reports/<key>.json',
    });
    new CfnOutput(this, 'ReportsLocation', {
      value: `s3://${stateBucket.bucketName}/reports/`,
      description: 'Why an upload was rejected: one JSON report per inbox key',
    });
    new CfnOutput(this, 'UploadCommand', {
      value: `aws s3 cp article.txt s3://${inboxBucket.bucketName}/`,
      description: 'Publish an article',
    });
    new CfnOutput(this, 'RebuildCommand', {
      value: `aws sqs send-message --queue-url ${queue.queueUrl} --message-group-id ${FEED_PIPELINE_DEFAULTS.messageGroupId} --message-deduplication-id rebuild-$(date +%s) --message-body '${JSON.stringify(REBUILD_MESSAGE)}'`,
      description: 'Re-derive the whole site from the inbox',
    });
    new CfnOutput(this, 'IngestLogGroupName', {
      value: this.pipeline.logGroup.logGroupName,
      description: 'Follow the pipeline: aws logs tail <name> --follow',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.pipeline.deadLetterQueue.queueUrl,
      description: 'Changes that kept failing; after a fix, send a rebuild rather than replaying them',
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: distribution.distributionDomainName,
      description: 'Point your custom domain (CNAME or alias) here',
    });
  }
}

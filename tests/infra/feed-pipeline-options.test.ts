/**
 * FeedPipeline's settings: a fully customised deployment, what the app reads from context, what the
 * deployer is left to decide, how the deploy fingerprint moves, and the settings refused at synth time.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDropfeedApp } from '../../infra/app.ts';
import type { FeedPipelineProps } from '../../infra/feed-pipeline.ts';
import { FeedPipeline } from '../../infra/feed-pipeline.ts';
import { FeedStack } from '../../infra/feed-stack.ts';
import type { Resource } from './synth.ts';
import {
  asArray,
  cdkJsonContext,
  logicalId,
  resource,
  resourcesOf,
  statementsOf,
  synthDropfeedApp,
} from './synth.ts';

const DOMAIN = 'news.example.org';
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const nagFindings = (scope: Stack) =>
  new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.map((v) => v.ruleName)
    .sort();

describe('a fully customised pipeline', () => {
  let stack: Stack;
  let pipeline: FeedPipeline;
  let template: Template;

  beforeAll(() => {
    const app = new App({ context: cdkJsonContext() });
    stack = new Stack(app, 'Custom');
    const encryptionKey = new Key(stack, 'DataKey', { enableKeyRotation: true });
    pipeline = new FeedPipeline(stack, 'Pipeline', {
      siteTitle: 'Custom news',
      customDomain: {
        domainName: DOMAIN,
        certificate: Certificate.fromCertificateArn(stack, 'Cert', CERTIFICATE_ARN),
      },
      alarmEmail: 'ops@example.org',
      encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
      stateVersioned: false,
      memorySize: 1024,
      timeout: Duration.seconds(30),
      maxConcurrency: 5,
      batchSize: 5,
      maxReceiveCount: 8,
    });
    template = Template.fromStack(stack);
  }, 60_000);

  const distributionConfig = () =>
    resource(template, logicalId(pipeline.distribution)).Properties.DistributionConfig as Record<
      string,
      unknown
    >;

  it('serves the custom domain with its certificate, SNI and TLS 1.2_2021', () => {
    expect(distributionConfig().Aliases).toEqual([DOMAIN]);
    expect(distributionConfig().ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE_ARN,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    const variables = (
      resource(template, logicalId(pipeline.ingestFunction)).Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables.SITE_BASE_URL).toBe(`https://${DOMAIN}`);
    expect(pipeline.siteUrl).toBe(`https://${DOMAIN}`);
  });

  it('sizes the function, queue and event source from the settings', () => {
    expect(resource(template, logicalId(pipeline.ingestFunction)).Properties).toMatchObject({
      MemorySize: 1024,
      Timeout: 30,
    });
    expect(resource(template, logicalId(pipeline.queue)).Properties).toMatchObject({
      VisibilityTimeout: 180,
      RedrivePolicy: { maxReceiveCount: 8 },
    });
    const [mapping] = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
    expect(mapping?.Properties).toMatchObject({ BatchSize: 5, ScalingConfig: { MaximumConcurrency: 5 } });
  });

  it('encrypts inbox and state with the key and lets the function use it; site and logs stay SSE-S3', () => {
    const keyArn = {
      'Fn::GetAtt': [logicalId(pipeline.node.scope?.node.findChild('DataKey') as never), 'Arn'],
    };
    for (const bucket of [pipeline.inboxBucket, pipeline.stateBucket]) {
      expect(resource(template, logicalId(bucket)).Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
          },
        ],
      });
    }
    for (const bucket of [pipeline.siteBucket, pipeline.logBucket]) {
      expect(JSON.stringify(resource(template, logicalId(bucket)).Properties.BucketEncryption)).toContain(
        'AES256',
      );
    }
    const kmsActions = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .flatMap(statementsOf)
      .filter((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn))
      .flatMap((s) => asArray(s.Action));
    expect(kmsActions.sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('notifies an e-mail topic from every alarm, on alarm and on recovery', () => {
    const [subscription] = Object.values(resourcesOf(template, 'AWS::SNS::Subscription'));
    expect(subscription?.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.org' });
    const topicRef = { Ref: logicalId(pipeline.alarmTopic as never) };
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
    }
  });

  it('can be torn down completely: buckets deleted and emptied, state unversioned', () => {
    const buckets = Object.values(
      template.toJSON().Resources as Record<string, Resource & { DeletionPolicy?: string }>,
    ).filter((r) => r.Type === 'AWS::S3::Bucket');
    expect(buckets.map((b) => b.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete', 'Delete']);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 4);
    expect(
      resource(template, logicalId(pipeline.stateBucket)).Properties.VersioningConfiguration,
    ).toBeUndefined();
  });

  it('leaves only the deployment decisions (geo restriction, WAF) to the deployer: no TLSv1 finding with a domain', () => {
    expect(nagFindings(stack)).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR2']);
  });
});

describe('the app', () => {
  it('reads the site, domain and alarm settings from context and stays clean under AwsSolutions', () => {
    const { stack, template } = synthDropfeedApp({
      context: {
        'dropfeed:stackName': 'NewsFeed',
        'dropfeed:siteTitle': 'Context News',
        'dropfeed:language': 'fr-CA',
        'dropfeed:maxItems': '20',
        'dropfeed:domainName': DOMAIN,
        'dropfeed:certificateArn': CERTIFICATE_ARN,
        'dropfeed:alarmEmail': 'ops@example.org',
        'dropfeed:removalPolicy': 'destroy',
      },
    });
    expect(stack.stackName).toBe('NewsFeed');
    const variables = (
      resource(template, logicalId(stack.pipeline.ingestFunction)).Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables).toMatchObject({
      SITE_TITLE: 'Context News',
      SITE_LANGUAGE: 'fr-CA',
      MAX_ITEMS: '20',
      SITE_BASE_URL: `https://${DOMAIN}`,
    });
    const distribution = resource(template, logicalId(stack.pipeline.distribution)).Properties
      .DistributionConfig as Record<string, unknown>;
    expect(distribution.Aliases).toEqual([DOMAIN]);
    expect(distribution.ViewerCertificate).toMatchObject({
      AcmCertificateArn: CERTIFICATE_ARN,
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    expect(template.toJSON().Resources[logicalId(stack.pipeline.inboxBucket)].DeletionPolicy).toBe('Delete');
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 4);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  }, 60_000);

  it('refuses malformed context, naming the key', () => {
    expect(() => createDropfeedApp({ context: { 'dropfeed:maxItems': 'lots' } })).toThrow(
      /dropfeed:maxItems/,
    );
    expect(() => createDropfeedApp({ context: { 'dropfeed:domainName': DOMAIN } })).toThrow(
      /dropfeed:certificateArn/,
    );
    expect(() => createDropfeedApp({ context: { 'dropfeed:removalPolicy': 'sometimes' } })).toThrow(
      /dropfeed:removalPolicy must be 'retain' or 'destroy'/,
    );
  });
});

describe('what the construct leaves to the deployer', () => {
  it('a bare FeedStack reports only geo restriction, WAF and the default-certificate TLS policy', () => {
    const stack = new FeedStack(new App({ context: cdkJsonContext() }), 'Bare');
    expect(nagFindings(stack)).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4']);
  }, 60_000);
});

describe('deployment fingerprint (the rebuild request deduplication id)', () => {
  const fingerprintOf = (props: FeedPipelineProps) => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'Fingerprint');
    return new FeedPipeline(stack, 'Pipeline', { ...props, baseUrl: `https://${DOMAIN}` })
      .deploymentFingerprint;
  };

  it('is the same for the same settings and code, and changes with a setting the pages depend on', () => {
    const first = fingerprintOf({ siteTitle: 'One' });
    expect(fingerprintOf({ siteTitle: 'One' })).toBe(first);
    expect(fingerprintOf({ siteTitle: 'Two' })).not.toBe(first);
    expect(fingerprintOf({ siteTitle: 'One', maxItems: 10 })).not.toBe(first);
  }, 60_000);

  it('no rebuild resource when rebuildOnDeploy is false', () => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'NoRebuild');
    const pipeline = new FeedPipeline(stack, 'Pipeline', { rebuildOnDeploy: false });
    expect(pipeline.rebuildOnDeploy).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('Custom::AWS', 0);
  }, 60_000);
});

describe('settings refused at synth time', () => {
  const attempt = (props: FeedPipelineProps) => () =>
    new FeedPipeline(new Stack(new App(), 'Refused'), 'Pipeline', { ...props, entry: 'never-bundled.ts' });

  it.each<[string, FeedPipelineProps, RegExp]>([
    [
      'maxConcurrency below the SQS floor of 2',
      { maxConcurrency: 1 },
      /maxConcurrency must be an integer from 2 to 1000, got 1/,
    ],
    ['a FIFO batch over 10', { batchSize: 11 }, /batchSize must be an integer from 1 to 10, got 11/],
    [
      'fewer than 5 receives before the DLQ',
      { maxReceiveCount: 3 },
      /maxReceiveCount must be an integer from 5/,
    ],
    [
      'emptying buckets that are retained',
      { autoDeleteObjects: true },
      /autoDeleteObjects requires removalPolicy/,
    ],
    [
      'a plain-HTTP base URL',
      { baseUrl: 'http://news.example.org' },
      /baseUrl 'http:\/\/news.example.org' must start with https/,
    ],
    [
      'a language that is no BCP 47 tag',
      { language: 'english please' },
      /FeedPipeline: language 'english please'/,
    ],
    ['an empty title', { siteTitle: '   ' }, /FeedPipeline: title must not be empty/],
    [
      'a timeout over 15 minutes',
      { timeout: Duration.minutes(16) },
      /timeout must be between 1 second and 15 minutes/,
    ],
    ['memory outside Lambda limits', { memorySize: 64 }, /memorySize must be an integer from 128/],
  ])('refuses %s', (_, props, message) => {
    expect(attempt(props)).toThrow(message);
  });

  it('refuses a certificate outside us-east-1', () => {
    const stack = new Stack(new App(), 'Refused');
    const certificate = Certificate.fromCertificateArn(
      stack,
      'Cert',
      CERTIFICATE_ARN.replace('us-east-1', 'eu-west-1'),
    );
    expect(
      () => new FeedPipeline(stack, 'Pipeline', { customDomain: { domainName: DOMAIN, certificate } }),
    ).toThrow(/certificate must be in us-east-1/);
  });
});

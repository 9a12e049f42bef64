/**
 * The default deployment (`cdk synth` with cdk.json's context), synthesised once with CloudFormation's own
 * validator on, and checked property by property.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEED_PIPELINE_DEFAULTS } from '../../infra/defaults.ts';
import type { FeedStack } from '../../infra/feed-stack.ts';
import { decodeMessageBody } from '../../shared/events/decode.ts';
import { markdownArticle } from '../factories/articles.ts';
import { eventBridgeObjectCreated, eventBridgeObjectDeleted, sequencerAt } from '../factories/s3-events.ts';
import { sqsEvent, sqsRecord } from '../factories/sqs.ts';
import { S3RVER_CREDENTIALS, startS3Server } from '../support/s3-server.ts';
import { matchesEventPattern } from './event-pattern.ts';
import type { PolicyStatementJson, Resource } from './synth.ts';
import {
  arnOf,
  asArray,
  cdkJsonContext,
  logicalId,
  objectsOf,
  REPO_ROOT,
  resource,
  resourcesOf,
  statementsOf,
  synthDropfeedApp,
} from './synth.ts';

let template: Template;
let stack: FeedStack;
let outdir: string;
const ids = {
  inbox: '',
  site: '',
  state: '',
  logs: '',
  queue: '',
  dlq: '',
  deliveryDlq: '',
  fn: '',
  distribution: '',
};

beforeAll(() => {
  const synth = synthDropfeedApp({ builtinCloudFormationValidation: true });
  template = synth.template;
  stack = synth.stack;
  outdir = synth.app.outdir;
  const p = stack.pipeline;
  ids.inbox = logicalId(p.inboxBucket);
  ids.site = logicalId(p.siteBucket);
  ids.state = logicalId(p.stateBucket);
  ids.logs = logicalId(p.logBucket);
  ids.queue = logicalId(p.queue);
  ids.dlq = logicalId(p.deadLetterQueue);
  ids.deliveryDlq = logicalId(p.deliveryDeadLetterQueue);
  ids.fn = logicalId(p.ingestFunction);
  ids.distribution = logicalId(p.distribution);
}, 120_000);

const bucketPolicyOf = (bucketId: string): Resource => {
  const [policy] = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy')).filter(
    (candidate) => JSON.stringify(candidate.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
  );
  if (!policy) throw new Error(`no bucket policy for ${bucketId}`);
  return policy;
};
const ingestPolicyStatements = (): PolicyStatementJson[] => {
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(logicalId(stack.pipeline.ingestFunction.role as never)),
  );
  return policies.flatMap(statementsOf);
};
const actionsOn = (statements: PolicyStatementJson[], resourceJson: unknown): string[] =>
  statements
    .filter(
      (s) =>
        s.Effect === 'Allow' &&
        asArray(s.Resource as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify(resourceJson)),
    )
    .flatMap((s) => asArray(s.Action))
    .sort();

describe('buckets', () => {
  it('are all private, encrypted at rest and owner-enforced or log-only', () => {
    const buckets = resourcesOf(template, 'AWS::S3::Bucket');
    expect(Object.keys(buckets).sort()).toEqual([ids.inbox, ids.logs, ids.site, ids.state].sort());
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(bucket.Properties.AccessControl).toBeUndefined();
    }
  });

  it('refuse every request without TLS 1.2, by bucket policy', () => {
    for (const id of [ids.inbox, ids.site, ids.state, ids.logs]) {
      const denies = statementsOf(bucketPolicyOf(id)).filter((s) => s.Effect === 'Deny');
      expect(denies).toContainEqual(
        expect.objectContaining({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      expect(denies).toContainEqual(
        expect.objectContaining({ Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      );
    }
  });

  it('inbox: versioned, old versions expire, S3 tells EventBridge natively (no notification custom resource)', () => {
    const inbox = resource(template, ids.inbox).Properties;
    expect(inbox.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(inbox.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    expect(inbox.LifecycleConfiguration).toEqual({
      Rules: [
        expect.objectContaining({
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: FEED_PIPELINE_DEFAULTS.inboxVersionRetentionDays },
          ExpiredObjectDeleteMarker: true,
        }),
      ],
    });
    expect(inbox.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  it('inbox, site and state log their access to the log bucket, each under its own prefix', () => {
    for (const [id, prefix] of [
      [ids.inbox, 's3/inbox/'],
      [ids.site, 's3/site/'],
      [ids.state, 's3/state/'],
    ] as const) {
      expect(resource(template, id).Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: ids.logs },
        LogFilePrefix: prefix,
      });
    }
    const logWriters = statementsOf(bucketPolicyOf(ids.logs)).filter((s) => s.Effect === 'Allow');
    expect(logWriters.map((s) => s.Principal)).toEqual(
      Array(3).fill({ Service: 'logging.s3.amazonaws.com' }),
    );
  });

  it('state: versioned with expiring old versions; site: not versioned (it is derived)', () => {
    const state = resource(template, ids.state).Properties;
    expect(state.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(JSON.stringify(state.LifecycleConfiguration)).toContain('"NoncurrentDays":30');
    expect(resource(template, ids.site).Properties.VersioningConfiguration).toBeUndefined();
  });

  it('the log bucket expires logs and enables ACLs only because CloudFront standard logging needs them', () => {
    const logs = resource(template, ids.logs).Properties;
    expect(logs.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
    expect(JSON.stringify(logs.LifecycleConfiguration)).toContain(
      `"ExpirationInDays":${FEED_PIPELINE_DEFAULTS.accessLogRetentionDays}`,
    );
  });

  it('are retained when the stack is deleted', () => {
    for (const id of [ids.inbox, ids.site, ids.state, ids.logs]) {
      expect(template.toJSON().Resources[id].DeletionPolicy).toBe('Retain');
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('the site bucket grants reads only to this distribution, through OAC; no bucket allows a public principal', () => {
    const allows = statementsOf(bucketPolicyOf(ids.site)).filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]?.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(asArray(allows[0]?.Action).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(JSON.stringify(allows[0]?.Condition)).toContain(`"Ref":"${ids.distribution}"`);
    for (const policy of Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'))) {
      for (const statement of statementsOf(policy).filter((s) => s.Effect === 'Allow')) {
        expect(JSON.stringify(statement.Principal)).not.toMatch(/"\*"/);
      }
    }
  });
});

describe('event path: S3 → EventBridge → SQS FIFO → Lambda', () => {
  const inboxName = 'dropfeed-inbox-test';
  const rulePattern = () => {
    const [rule] = Object.values(resourcesOf(template, 'AWS::Events::Rule'));
    // The bucket name is a Ref until deploy; give it a concrete value to run the pattern against events.
    return JSON.parse(
      JSON.stringify(rule?.Properties.EventPattern).replaceAll(
        JSON.stringify({ Ref: ids.inbox }),
        `"${inboxName}"`,
      ),
    );
  };

  it('the rule matches Object Created and Object Deleted of the inbox only', () => {
    const pattern = rulePattern();
    const created = eventBridgeObjectCreated({ bucket: inboxName, key: 'a.txt', sequencer: '01' });
    const deleted = eventBridgeObjectDeleted({
      bucket: inboxName,
      key: 'a.txt',
      sequencer: '02',
      deletionType: 'Delete Marker Created',
    });
    expect(matchesEventPattern(pattern, created)).toBe(true);
    expect(matchesEventPattern(pattern, deleted)).toBe(true);
    expect(
      matchesEventPattern(
        pattern,
        eventBridgeObjectCreated({ bucket: 'site-bucket', key: 'a.txt', sequencer: '01' }),
      ),
    ).toBe(false);
    expect(matchesEventPattern(pattern, { ...created, 'detail-type': 'Object Restore Completed' })).toBe(
      false,
    );
  });

  it('the rule targets the FIFO queue with one message group, parking undeliverable events in a DLQ', () => {
    const [rule] = Object.values(resourcesOf(template, 'AWS::Events::Rule'));
    expect(rule?.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: arnOf(ids.queue),
        SqsParameters: { MessageGroupId: FEED_PIPELINE_DEFAULTS.messageGroupId },
        DeadLetterConfig: { Arn: arnOf(ids.deliveryDlq) },
      }),
    ]);
    const queuePolicy = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).find(
      (p) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: ids.queue }]),
    );
    const eventsAllow = statementsOf(queuePolicy as Resource).find((s) => s.Effect === 'Allow');
    expect(eventsAllow?.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(eventsAllow?.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': arnOf(logicalId(stack.pipeline.inboxRule)) },
    });
  });

  it('the queue is FIFO, content-deduplicated, SSE, kept 14 days, redriven to a FIFO DLQ after >= 5 receives', () => {
    const queue = resource(template, ids.queue).Properties;
    expect(queue).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: arnOf(ids.dlq) },
    });
    expect((queue.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(resource(template, ids.dlq).Properties).toMatchObject({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
    });
  });

  it('the visibility timeout is at least 6 times the function timeout', () => {
    const visibility = resource(template, ids.queue).Properties.VisibilityTimeout as number;
    const timeout = resource(template, ids.fn).Properties.Timeout as number;
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('every queue refuses requests without TLS', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));
    expect(policies.map((p) => JSON.stringify(p.Properties.Queues)).sort()).toEqual(
      [ids.queue, ids.dlq, ids.deliveryDlq].map((id) => JSON.stringify([{ Ref: id }])).sort(),
    );
    for (const policy of policies) {
      expect(statementsOf(policy)).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('the function reads the queue in batches with partial failures and at most 2 concurrent invocations', () => {
    const [mapping] = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
    expect(mapping?.Properties).toEqual({
      EventSourceArn: arnOf(ids.queue),
      FunctionName: { Ref: ids.fn },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    // Reserved concurrency 1 would throttle the poller and burn receives (FIELD-NOTES).
    expect(resource(template, ids.fn).Properties.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('ingest function', () => {
  it('runs Node.js 24 on arm64 with explicit memory and timeout', () => {
    expect(resource(template, ids.fn).Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 120,
      Handler: 'index.handler',
    });
  });

  it('gets every setting the handler reads, from cdk.json context and the resources', () => {
    const context = cdkJsonContext();
    const variables = (
      resource(template, ids.fn).Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      INBOX_BUCKET: { Ref: ids.inbox },
      SITE_BUCKET: { Ref: ids.site },
      STATE_BUCKET: { Ref: ids.state },
      SITE_BASE_URL: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [ids.distribution, 'DomainName'] }]] },
      SITE_TITLE: context['dropfeed:siteTitle'],
      SITE_DESCRIPTION: context['dropfeed:siteDescription'],
      SITE_LANGUAGE: context['dropfeed:language'],
      MAX_ITEMS: String(context['dropfeed:maxItems']),
      MAX_ARTICLE_BYTES: String(1024 * 1024),
    });
  });

  it('logs to its own log group with a retention', () => {
    const logGroupId = logicalId(stack.pipeline.logGroup);
    expect(resource(template, ids.fn).Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    expect(resource(template, logGroupId).Properties.RetentionInDays).toBe(90);
  });
});

describe('IAM: least privilege', () => {
  it('no policy allows s3:* or *, and no S3 action is granted on *', () => {
    for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
      for (const statement of statementsOf(policy).filter((s) => s.Effect === 'Allow')) {
        const actions = asArray(statement.Action);
        expect(actions).not.toContain('*');
        expect(actions).not.toContain('s3:*');
        if (actions.some((a) => a.startsWith('s3:'))) {
          expect(asArray(statement.Resource as unknown[])).not.toContain('*');
        }
      }
    }
  });

  it('the function may only read the inbox, and read/write/delete objects of the site and state buckets', () => {
    const statements = ingestPolicyStatements();
    expect(actionsOn(statements, objectsOf(ids.inbox))).toEqual(['s3:GetObject']);
    expect(actionsOn(statements, objectsOf(ids.site))).toEqual([
      's3:DeleteObject',
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(actionsOn(statements, objectsOf(ids.state))).toEqual([
      's3:DeleteObject',
      's3:GetObject',
      's3:PutObject',
    ]);
    for (const id of [ids.inbox, ids.site, ids.state]) {
      expect(actionsOn(statements, arnOf(id))).toEqual(['s3:ListBucket']);
    }
    const s3Actions = new Set(
      statements.flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('s3:')),
    );
    expect([...s3Actions].sort()).toEqual([
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(JSON.stringify(statements)).not.toContain(ids.logs);
  });
});

describe('CloudFront', () => {
  const config = () =>
    resource(template, ids.distribution).Properties.DistributionConfig as Record<string, unknown>;
  const behaviours = () => [
    config().DefaultCacheBehavior as Record<string, unknown>,
    ...(config().CacheBehaviors as Record<string, unknown>[]),
  ];

  it('reaches the site bucket only through Origin Access Control (no OAI, no website endpoint)', () => {
    const [oac] = Object.values(resourcesOf(template, 'AWS::CloudFront::OriginAccessControl'));
    expect(oac?.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const origins = config().Origins as Record<string, unknown>[];
    expect(origins).toHaveLength(1);
    expect(origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [ids.site, 'RegionalDomainName'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(origins[0]?.OriginAccessControlId).toBeDefined();
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it('serves index.html at the root, over HTTPS only, compressed, with directory indexes on every behaviour', () => {
    expect(config()).toMatchObject({
      DefaultRootObject: 'index.html',
      Enabled: true,
      HttpVersion: 'http2and3',
      PriceClass: 'PriceClass_100',
    });
    for (const behaviour of behaviours()) {
      expect(behaviour).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        Compress: true,
        AllowedMethods: ['GET', 'HEAD'],
        FunctionAssociations: [
          {
            EventType: 'viewer-request',
            FunctionARN: { 'Fn::GetAtt': [logicalId(stack.pipeline.directoryIndexFunction), 'FunctionARN'] },
          },
        ],
      });
      expect(behaviour.ResponseHeadersPolicyId).toBeDefined();
    }
  });

  it('caches feeds and the index a few minutes at most, pages and assets longer, honouring origin Cache-Control', () => {
    const ttl = (policyConstruct: Parameters<typeof logicalId>[0]) =>
      resource(template, logicalId(policyConstruct)).Properties.CachePolicyConfig as Record<string, unknown>;
    const feed = ttl(stack.pipeline.feedCachePolicy);
    const page = ttl(stack.pipeline.pageCachePolicy);
    const asset = ttl(stack.pipeline.assetCachePolicy);
    expect(feed).toMatchObject({ MinTTL: 0, MaxTTL: 300 });
    expect(page).toMatchObject({ MinTTL: 0, MaxTTL: 3600 });
    expect(asset).toMatchObject({ MinTTL: 0, MaxTTL: 86_400 });
    for (const policy of [feed, page, asset]) {
      expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
        QueryStringsConfig: { QueryStringBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
      });
    }
    const byPattern = Object.fromEntries(
      (config().CacheBehaviors as Record<string, unknown>[]).map((b) => [b.PathPattern, b.CachePolicyId]),
    );
    expect(byPattern).toEqual({
      '*.xml': { Ref: logicalId(stack.pipeline.feedCachePolicy) },
      'articles/*': { Ref: logicalId(stack.pipeline.pageCachePolicy) },
      'assets/*': { Ref: logicalId(stack.pipeline.assetCachePolicy) },
      'media/*': { Ref: logicalId(stack.pipeline.assetCachePolicy) },
    });
    expect((config().DefaultCacheBehavior as Record<string, unknown>).CachePolicyId).toEqual({
      Ref: logicalId(stack.pipeline.feedCachePolicy),
    });
  });

  it('adds HSTS, nosniff, DENY framing, a referrer policy and a CSP without scripts to pages', () => {
    const headers = resource(template, logicalId(stack.pipeline.pageHeadersPolicy)).Properties
      .ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> };
    const security = headers.SecurityHeadersConfig;
    expect(security.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 730 * 86_400,
      Override: true,
    });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy).toEqual({
      ReferrerPolicy: 'strict-origin-when-cross-origin',
      Override: true,
    });
    const csp = security.ContentSecurityPolicy?.ContentSecurityPolicy as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
  });

  it('lets feeds apply their same-origin XSL stylesheet, and nothing else executable', () => {
    const headers = resource(template, logicalId(stack.pipeline.feedHeadersPolicy)).Properties
      .ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: string } };
    };
    const csp = headers.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe|https:|\*)/);
    const xmlBehaviour = (config().CacheBehaviors as Record<string, unknown>[]).find(
      (b) => b.PathPattern === '*.xml',
    );
    expect(xmlBehaviour?.ResponseHeadersPolicyId).toEqual({
      Ref: logicalId(stack.pipeline.feedHeadersPolicy),
    });
  });

  it('logs requests to the log bucket', () => {
    expect(config().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [ids.logs, 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });

  it('without a custom domain, uses the CloudFront certificate', () => {
    expect(config().ViewerCertificate).toBeUndefined();
    expect(config().Aliases).toBeUndefined();
  });
});

describe('alarms', () => {
  const alarm = (construct: Parameters<typeof logicalId>[0]) =>
    resource(template, logicalId(construct)).Properties;

  it('fire on any message in the dead-letter queue', () => {
    expect(alarm(stack.pipeline.deadLetterAlarm)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.dlq, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarm(stack.pipeline.deliveryFailureAlarm)).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.deliveryDlq, 'QueueName'] } }],
      Threshold: 0,
    });
  });

  it('fire on any function error and on a stalled queue', () => {
    expect(alarm(stack.pipeline.functionErrorsAlarm)).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.fn } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarm(stack.pipeline.queueAgeAlarm)).toMatchObject({
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.queue, 'QueueName'] } }],
    });
  });
});

describe('rebuild on deploy', () => {
  const call = () => {
    const [custom] = Object.entries(resourcesOf(template, 'Custom::AWS'));
    if (!custom) throw new Error('no rebuild custom resource');
    const [id, found] = custom;
    const joined = found.Properties.Update as { 'Fn::Join': [string, unknown[]] };
    // Put a concrete queue URL where the Ref is, then read the SDK call CDK's provider will make.
    const text = joined['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : 'https://sqs.example/queue'))
      .join('');
    return {
      id,
      resource: found,
      sdkCall: JSON.parse(text) as { action: string; parameters: Record<string, string> },
    };
  };

  it('queues the rebuild request the decoder recognises, in the inbox message group, deduplicated by fingerprint', () => {
    const { sdkCall } = call();
    expect(sdkCall.action).toBe('sendMessage');
    expect(decodeMessageBody(sdkCall.parameters.MessageBody ?? '')).toEqual({ changes: 'rebuild' });
    expect(sdkCall.parameters.MessageGroupId).toBe(FEED_PIPELINE_DEFAULTS.messageGroupId);
    expect(sdkCall.parameters.MessageDeduplicationId).toBe(`deploy-${stack.pipeline.deploymentFingerprint}`);
    expect(stack.pipeline.deploymentFingerprint).toMatch(/^[0-9a-f]{40}$/);
  });

  it('runs after the function and its event source are in place, allowed only sqs:SendMessage on the queue', () => {
    const { resource: custom } = call();
    expect(custom.DependsOn).toEqual(expect.arrayContaining([ids.fn]));
    const policyId = logicalId(
      stack.pipeline.rebuildOnDeploy?.node.findChild('CustomResourcePolicy') as never,
    );
    expect(statementsOf(resource(template, policyId))).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: arnOf(ids.queue) },
    ]);
  });
});

describe('outputs', () => {
  const output = (name: string) => template.toJSON().Outputs[name] as { Value: unknown };
  const siteUrlJoin = (suffix: string) => ({
    'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [ids.distribution, 'DomainName'] }, suffix]],
  });

  it('give the site and the three feed URLs', () => {
    expect(output('SiteUrl').Value).toEqual(siteUrlJoin('/'));
    expect(output('RssFeedUrl').Value).toEqual(siteUrlJoin('/feed.xml'));
    expect(output('AtomFeedUrl').Value).toEqual(siteUrlJoin('/atom.xml'));
    expect(output('JsonFeedUrl').Value).toEqual(siteUrlJoin('/feed.json'));
  });

  it('name the inbox, the state bucket with its reports, and show the upload command', () => {
    expect(output('InboxBucketName').Value).toEqual({ Ref: ids.inbox });
    expect(output('StateBucketName').Value).toEqual({ Ref: ids.state });
    expect(output('ReportsLocation').Value).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: ids.state }, '/reports/']],
    });
    expect(output('UploadCommand').Value).toEqual({
      'Fn::Join': ['', ['aws s3 cp article.txt s3://', { Ref: ids.inbox }, '/']],
    });
  });
});

describe('validation', () => {
  it('AwsSolutions (cdk-nag) reports nothing unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(
      report.violations.map(
        (v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("CloudFormation's own validator and AwsSolutions leave the synthesised report empty", () => {
    // CDK lists every plugin that reported anything, warnings included, so empty means nothing at all.
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
  });
});

function runNode(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { ...options, timeout: 60_000 }, (_error, stdout, stderr) =>
      resolve({ stdout, stderr }),
    );
  });
}

describe('bundle', () => {
  const assetDir = () => {
    const code = resource(template, ids.fn).Properties.Code as { S3Key: string };
    return join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  };

  it('is an ES module built by the local esbuild, with a source map and the AWS SDK left to the runtime', () => {
    const bundle = join(assetDir(), 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    const size = statSync(bundle).size;
    console.info(`ingest bundle: ${(size / 1024).toFixed(1)} KiB (index.mjs, minified)`);
    expect(size).toBeGreaterThan(0);
    const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources.some((source) => source.endsWith('functions/ingest.ts'))).toBe(true);
    expect(map.sources.filter((source) => source.includes('@aws-sdk'))).toEqual([]);
    expect(readFileSync(bundle, 'utf8')).toMatch(/from\s*"@aws-sdk\/client-s3"/);
  });

  it('ships the Markdown-only packages beside the bundle, not in it', () => {
    const bundle = join(assetDir(), 'index.mjs');
    const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
    for (const name of ['markdown-it', 'sanitize-html', 'yaml', 'postcss']) {
      expect(map.sources.filter((source) => source.includes(`node_modules/${name}/`))).toEqual([]);
    }
    expect(readFileSync(bundle, 'utf8')).toMatch(/import\("markdown-it"\)/);
    expect(readdirSync(join(assetDir(), 'node_modules')).sort()).toEqual([
      'markdown-it',
      'sanitize-html',
      'yaml',
    ]);
  });

  it('publishes a Markdown article from the asset alone, as Lambda runs it (only the AWS SDK from outside)', async () => {
    // A copy outside the repository, so no package can come from the project's node_modules; the runtime's
    // AWS SDK is this machine's, linked in.
    const lambdaRoot = mkdtempSync(join(tmpdir(), 'dropfeed-lambda-task-'));
    const s3 = await startS3Server({ buckets: ['md-inbox', 'md-site', 'md-state'] });
    try {
      cpSync(assetDir(), join(lambdaRoot, 'task'), { recursive: true });
      mkdirSync(join(lambdaRoot, 'node_modules'));
      symlinkSync(join(REPO_ROOT, 'node_modules', '@aws-sdk'), join(lambdaRoot, 'node_modules', '@aws-sdk'));
      const key = 'markdown-from-the-asset.md';
      const body = markdownArticle({
        title: 'Markdown from the asset',
        date: '2025-07-01',
        body: 'Rendered **by the packages** beside the bundle.\n\n<script>alert(1)</script>',
      });
      await s3.client.send(new PutObjectCommand({ Bucket: 'md-inbox', Key: key, Body: body }));
      const event = sqsEvent(
        sqsRecord(eventBridgeObjectCreated({ bucket: 'md-inbox', key, sequencer: sequencerAt(1) })),
      );
      const invoke = `const { handler } = await import('./task/index.mjs'); process.stdout.write('\\nRESULT ' + JSON.stringify(await handler(${JSON.stringify(event)}, {})));`;
      // Not spawnSync: the S3 server answering the child runs on this process's event loop.
      const run = await runNode(['--enable-source-maps', '--input-type=module', '-e', invoke], {
        cwd: lambdaRoot,
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          INBOX_BUCKET: 'md-inbox',
          SITE_BUCKET: 'md-site',
          STATE_BUCKET: 'md-state',
          SITE_BASE_URL: 'https://news.example.org',
          SITE_TITLE: 'Asset',
          S3_ENDPOINT: s3.endpoint,
          S3_FORCE_PATH_STYLE: 'true',
        },
      });
      expect(run.stderr).not.toMatch(/Cannot find (package|module)/);
      // The handler logs JSON lines to stdout; its return value comes last.
      const result = run.stdout.split('\nRESULT ').at(-1) ?? '';
      expect(JSON.parse(result), run.stdout + run.stderr).toEqual({ batchItemFailures: [] });
      const page = await s3.client.send(
        new GetObjectCommand({ Bucket: 'md-site', Key: 'articles/markdown-from-the-asset/index.html' }),
      );
      const html = await page.Body?.transformToString();
      expect(html).toContain('<strong>by the packages</strong>');
      expect(html).not.toContain('<script>alert');
    } finally {
      await s3.stop();
      rmSync(lambdaRoot, { recursive: true, force: true });
    }
  });

  it('loads and exports the handler', async () => {
    const environment = {
      INBOX_BUCKET: 'inbox',
      SITE_BUCKET: 'site',
      STATE_BUCKET: 'state',
      SITE_BASE_URL: 'https://news.example.org',
      SITE_TITLE: 'Test',
    };
    const saved = Object.fromEntries(Object.keys(environment).map((k) => [k, process.env[k]]));
    Object.assign(process.env, environment);
    try {
      const module = (await import(join(assetDir(), 'index.mjs'))) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

import { fileURLToPath } from 'node:url';
import type { AppProps } from 'aws-cdk-lib';
import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FeedPipelineProps } from './feed-pipeline.ts';
import type { FeedStackProps } from './feed-stack.ts';
import { FeedStack } from './feed-stack.ts';

/** Context keys (cdk.json or `-c key=value`) the app reads. */
export const CONTEXT_KEYS = {
  stackName: 'dropfeed:stackName',
  siteTitle: 'dropfeed:siteTitle',
  siteDescription: 'dropfeed:siteDescription',
  language: 'dropfeed:language',
  maxItems: 'dropfeed:maxItems',
  maxArticleBytes: 'dropfeed:maxArticleBytes',
  baseUrl: 'dropfeed:baseUrl',
  domainName: 'dropfeed:domainName',
  certificateArn: 'dropfeed:certificateArn',
  alarmEmail: 'dropfeed:alarmEmail',
  /** `retain` (default) or `destroy`: `destroy` also empties the buckets so `cdk destroy` removes everything. */
  removalPolicy: 'dropfeed:removalPolicy',
} as const;

export interface DropfeedAppOptions extends AppProps {
  /** Overrides of the pipeline settings the context produces (tests use `entry`). */
  readonly pipeline?: FeedPipelineProps;
}

/**
 * The whole app: context in, one FeedStack out, with the AwsSolutions pack registered as a validation
 * plugin so `cdk synth` fails on any finding not acknowledged with a reason.
 */
export function createDropfeedApp(options: DropfeedAppOptions = {}) {
  const { pipeline: overrides, ...appProps } = options;
  const app = new App(appProps);
  const text = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined || value === null || String(value).trim() === ''
      ? undefined
      : String(value).trim();
  };
  const integer = (key: string): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new Error(`context ${key} must be a whole number, got '${value}'`);
    return Number(value);
  };

  const stack = new FeedStack(app, text(CONTEXT_KEYS.stackName) ?? 'Dropfeed', {
    description: 'dropfeed: S3 inbox to RSS, Atom, JSON Feed and HTML, served by CloudFront',
    // No account ids in the repository: the CLI's credentials decide, and with none the stack stays environment-agnostic.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    pipeline: {
      siteTitle: text(CONTEXT_KEYS.siteTitle),
      siteDescription: text(CONTEXT_KEYS.siteDescription),
      language: text(CONTEXT_KEYS.language),
      maxItems: integer(CONTEXT_KEYS.maxItems),
      maxArticleBytes: integer(CONTEXT_KEYS.maxArticleBytes),
      baseUrl: text(CONTEXT_KEYS.baseUrl),
      alarmEmail: text(CONTEXT_KEYS.alarmEmail),
      ...removalFromContext(text(CONTEXT_KEYS.removalPolicy)),
      ...overrides,
    },
    ...customDomainFromContext(text(CONTEXT_KEYS.domainName), text(CONTEXT_KEYS.certificateArn)),
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  acknowledgeDeploymentChoices(stack);
  return { app, stack };
}

function removalFromContext(value?: string): FeedPipelineProps {
  if (value === undefined || value === 'retain') return {};
  if (value === 'destroy') return { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };
  throw new Error(`context ${CONTEXT_KEYS.removalPolicy} must be 'retain' or 'destroy', got '${value}'`);
}

function customDomainFromContext(domainName?: string, certificateArn?: string): FeedStackProps {
  if (!domainName && !certificateArn) return {};
  if (!domainName || !certificateArn) {
    throw new Error(`set both ${CONTEXT_KEYS.domainName} and ${CONTEXT_KEYS.certificateArn}, or neither`);
  }
  return { customDomain: { domainName, certificateArn } };
}

/**
 * Findings that are decisions of whoever deploys (not of the construct's design), acknowledged here with
 * the reason, so a different deployment can decide differently.
 */
function acknowledgeDeploymentChoices(stack: FeedStack): void {
  const { distribution } = stack.pipeline;
  Validations.of(distribution).acknowledge(
    {
      id: 'AwsSolutions-CFR1',
      reason:
        'Public feeds and pages meant for readers in every country; nothing here is subject to geographic restriction.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'Read-only static files from a private bucket: no forms, no API, no origin compute a WAF rule could protect. Shield Standard covers network floods; a web ACL would cost more than the site.',
    },
  );
  if (!stack.pipeline.customDomain) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain CloudFront serves its *.cloudfront.net certificate, whose security policy is fixed at TLSv1. Deploy with dropfeed:domainName and dropfeed:certificateArn to get TLSv1.2_2021.',
    });
  }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  createDropfeedApp().app.synth();
}

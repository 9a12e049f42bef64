import { createHash } from 'node:crypto';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct, IConstruct } from 'constructs';
import { REBUILD_MESSAGE } from '../shared/events/decode.ts';

export interface RebuildOnDeployOptions {
  readonly queue: IQueue;
  readonly messageGroupId: string;
  /** Runs after this function has its new code and settings, so the rebuild renders with them. */
  readonly ingestFunction: IFunction;
  readonly fingerprint: string;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Queues `{"dropfeed":"rebuild"}` in the same message group as the inbox events, so it runs in order with
 * them. The deduplication id is the deployment fingerprint: a deploy that changes nothing the function
 * renders with neither re-runs this resource nor, within SQS's 5-minute window, enqueues a duplicate.
 */
export function createRebuildOnDeploy(scope: Construct, options: RebuildOnDeployOptions): AwsCustomResource {
  const sendRebuild = {
    service: 'SQS',
    action: 'sendMessage',
    parameters: {
      QueueUrl: options.queue.queueUrl,
      MessageBody: JSON.stringify(REBUILD_MESSAGE),
      MessageGroupId: options.messageGroupId,
      MessageDeduplicationId: `deploy-${options.fingerprint}`,
    },
    physicalResourceId: PhysicalResourceId.of(`rebuild-${options.fingerprint}`),
  };
  const rebuild = new AwsCustomResource(scope, 'RebuildOnDeploy', {
    onCreate: sendRebuild,
    onUpdate: sendRebuild,
    policy: AwsCustomResourcePolicy.fromStatements([
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [options.queue.queueArn] }),
    ]),
    installLatestAwsSdk: false,
    logGroup: new LogGroup(scope, 'RebuildOnDeployLogGroup', {
      retention: options.logRetention,
      removalPolicy: options.removalPolicy,
    }),
  });
  rebuild.node.addDependency(options.ingestFunction);
  // The provider is CDK's stack-wide singleton function; its role is the rebuild's grant principal.
  Validations.of(rebuild.grantPrincipal as unknown as IConstruct).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's AwsCustomResource provider role: the AWS-managed basic execution role grants only CloudWatch Logs writes; its one other permission is sqs:SendMessage on the ingest queue.",
  });
  return rebuild;
}

/**
 * Changes whenever anything the function renders with changes: its environment (site settings, bucket and
 * domain references) or its code (the asset key is the hash of the bundle).
 */
export function deploymentFingerprint(fn: IFunction, environment: Readonly<Record<string, string>>): string {
  const stack = Stack.of(fn);
  const code = (fn.node.defaultChild as CfnFunction).code;
  const resolved = JSON.stringify(stack.resolve({ environment, code }));
  return createHash('sha256').update(resolved).digest('hex').slice(0, 40);
}

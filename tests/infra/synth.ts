/**
 * Synthesises the real app (the same `createDropfeedApp` that `cdk synth` runs, with cdk.json's context,
 * feature flags included) so the tests see the template a deploy would see.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { DropfeedAppOptions } from '../../infra/app.ts';
import { createDropfeedApp } from '../../infra/app.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The context `cdk synth` passes: cdk.json's, feature flags and dropfeed settings alike. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export interface SynthOptions extends Omit<DropfeedAppOptions, 'context'> {
  /** Added to (and overriding) cdk.json's context. */
  readonly context?: Record<string, unknown>;
}

/**
 * The WASM CloudFormation validator costs ~5 s a synth; it is off unless asked for, and the one suite that
 * checks its report turns it on.
 */
export function synthDropfeedApp(options: SynthOptions = {}) {
  const { context, ...rest } = options;
  const { app, stack } = createDropfeedApp({
    builtinCloudFormationValidation: false,
    ...rest,
    context: { ...cdkJsonContext(), ...context },
  });
  const template = Template.fromStack(stack);
  return { app, stack, template };
}

/** The logical id CloudFormation knows a construct's resource by. */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(Stack.of(construct).getLogicalId(element)) as string;
}

export type Resource = {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
};

export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

export function resource(template: Template, id: string): Resource {
  const found = (template.toJSON().Resources as Record<string, Resource>)[id];
  if (!found) throw new Error(`no resource ${id} in the template`);
  return found;
}

export interface PolicyStatementJson {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, unknown>;
  readonly Sid?: string;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every statement of an IAM policy, bucket policy or queue policy resource. */
export function statementsOf(policy: Resource): PolicyStatementJson[] {
  const document = policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] };
  return document.Statement;
}

/** `{ "Fn::GetAtt": [id, "Arn"] }` and `{ "Fn::Join": ["", [that, "/*"]] }`, the two shapes CDK writes ARNs in. */
export const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
export const objectsOf = (id: string) => ({ 'Fn::Join': ['', [arnOf(id), '/*']] });

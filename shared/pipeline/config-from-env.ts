import type { SiteConfig } from '../render/model.ts';
import type { S3ClientOptions } from '../store/s3-store.ts';

/** Everything the ingest function needs from its environment. */
export interface PipelineEnvConfig {
  readonly inboxBucket: string;
  readonly siteBucket: string;
  readonly stateBucket: string;
  readonly site: SiteConfig;
  readonly maxArticleBytes: number | undefined;
  readonly s3: S3ClientOptions;
}

export const DEFAULT_MAX_ITEMS = 50;

/** A missing or malformed variable fails at cold start, naming the variable, rather than at the first event. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Maps the function's environment (set by the infra construct, or by `dropfeed dev`) to the pipeline's
 * configuration: INBOX_BUCKET, SITE_BUCKET, STATE_BUCKET, SITE_BASE_URL, SITE_TITLE, SITE_DESCRIPTION,
 * SITE_LANGUAGE, MAX_ITEMS, MAX_ARTICLE_BYTES, and for a local S3 server S3_ENDPOINT + S3_FORCE_PATH_STYLE.
 */
export function configFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): PipelineEnvConfig {
  const baseUrl = required(env, 'SITE_BASE_URL').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new ConfigError(`SITE_BASE_URL must be an absolute http(s) URL, got '${baseUrl}'`);
  }
  const endpoint = env.S3_ENDPOINT?.trim();
  return {
    inboxBucket: required(env, 'INBOX_BUCKET'),
    siteBucket: required(env, 'SITE_BUCKET'),
    stateBucket: required(env, 'STATE_BUCKET'),
    site: {
      baseUrl,
      title: required(env, 'SITE_TITLE'),
      description: env.SITE_DESCRIPTION?.trim() || required(env, 'SITE_TITLE'),
      language: env.SITE_LANGUAGE?.trim() || 'en',
      maxItems: positiveInt(env, 'MAX_ITEMS') ?? DEFAULT_MAX_ITEMS,
    },
    maxArticleBytes: positiveInt(env, 'MAX_ARTICLE_BYTES'),
    s3: endpoint
      ? { endpoint, forcePathStyle: parseBoolean(env.S3_FORCE_PATH_STYLE) ?? true }
      : { forcePathStyle: parseBoolean(env.S3_FORCE_PATH_STYLE) ?? false },
  };
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`environment variable ${name} is required`);
  return value;
}

function positiveInt(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ConfigError(`environment variable ${name} must be a positive integer, got '${raw}'`);
  }
  return Number(raw);
}

function parseBoolean(raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return /^(1|true|yes)$/i.test(raw.trim());
}

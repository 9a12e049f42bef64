import type { SiteConfig } from '../render/model.ts';
import {
  DEFAULT_MAX_ITEMS,
  resolveSiteConfig,
  SiteConfigError,
  type SiteConfigInput,
} from '../render/site-config.ts';
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

export { DEFAULT_MAX_ITEMS };

/** A missing or malformed variable fails at cold start, naming the variable, rather than at the first event. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Maps the function's environment (set by the infra construct, or by `dropfeed dev`) to the pipeline's
 * configuration: INBOX_BUCKET, SITE_BUCKET, STATE_BUCKET, SITE_BASE_URL, SITE_TITLE, SITE_DESCRIPTION,
 * SITE_LANGUAGE, MAX_ITEMS, MAX_ARTICLE_BYTES, and for a local S3 server S3_ENDPOINT + S3_FORCE_PATH_STYLE.
 */
export function configFromEnv(env: Env = process.env): PipelineEnvConfig {
  const endpoint = env.S3_ENDPOINT?.trim();
  return {
    inboxBucket: required(env, 'INBOX_BUCKET'),
    siteBucket: required(env, 'SITE_BUCKET'),
    stateBucket: required(env, 'STATE_BUCKET'),
    site: siteFromEnv(env),
    maxArticleBytes: positiveInt(env, 'MAX_ARTICLE_BYTES'),
    s3: endpoint
      ? { endpoint, forcePathStyle: parseBoolean(env.S3_FORCE_PATH_STYLE) ?? true }
      : { forcePathStyle: parseBoolean(env.S3_FORCE_PATH_STYLE) ?? false },
  };
}

/** The variable each site setting comes from. */
const SITE_VARIABLES = {
  baseUrl: 'SITE_BASE_URL',
  title: 'SITE_TITLE',
  description: 'SITE_DESCRIPTION',
  language: 'SITE_LANGUAGE',
  maxItems: 'MAX_ITEMS',
} as const satisfies Partial<Record<keyof SiteConfig, string>>;
type SiteSetting = keyof typeof SITE_VARIABLES;

/**
 * The site settings, checked and normalised by the same rules as `dropfeed build` and the infra construct
 * (`resolveSiteConfig`), so a setting the CLI refuses cannot slip into a deployed site.
 */
function siteFromEnv(env: Env): SiteConfig {
  const title = required(env, 'SITE_TITLE');
  const settings: Pick<SiteConfigInput, SiteSetting> = {
    baseUrl: required(env, 'SITE_BASE_URL'),
    title,
    description: env.SITE_DESCRIPTION?.trim() || title,
    language: env.SITE_LANGUAGE?.trim() || 'en',
    maxItems: positiveInt(env, 'MAX_ITEMS') ?? DEFAULT_MAX_ITEMS,
  };
  try {
    const site = resolveSiteConfig(settings);
    return {
      baseUrl: site.baseUrl,
      title: site.title,
      description: site.description,
      language: site.language,
      maxItems: site.maxItems,
    };
  } catch (error) {
    if (!(error instanceof SiteConfigError)) throw error;
    throw new ConfigError(`environment variable ${settingAtFault(settings)}: ${error.message}`);
  }
}

/** The variable behind a refused setting: the first one refused when checked alone against the defaults. */
function settingAtFault(settings: Pick<SiteConfigInput, SiteSetting>): string {
  const fields = Object.keys(SITE_VARIABLES) as SiteSetting[];
  const field = fields.find((name) => {
    try {
      resolveSiteConfig({ [name]: settings[name] });
      return false;
    } catch {
      return true;
    }
  });
  return field === undefined ? Object.values(SITE_VARIABLES).join('/') : SITE_VARIABLES[field];
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`environment variable ${name} is required`);
  return value;
}

function positiveInt(env: Env, name: string): number | undefined {
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

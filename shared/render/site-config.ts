import type { SiteConfig } from './model.ts';

/** What a caller may leave out; `resolveSiteConfig` fills the defaults and checks the rest. */
export type SiteConfigInput = Partial<SiteConfig>;

export const DEFAULT_BASE_URL = 'http://localhost:8080';
export const DEFAULT_MAX_ITEMS = 50;

export const DEFAULT_SITE: SiteConfig = {
  baseUrl: DEFAULT_BASE_URL,
  title: 'dropfeed',
  description: 'Articles published with dropfeed',
  language: 'en',
  maxItems: DEFAULT_MAX_ITEMS,
  imageUrl: null,
  author: null,
};

// A practical subset of BCP 47: language, optional script/region/variants. Enough to reject typos and
// anything that could break out of an attribute.
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

/** Thrown for a site setting that would produce broken feeds; the message names the setting. */
export class SiteConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteConfigError';
  }
}

/**
 * Checks and normalises the site settings once, at the edge (CLI flags, config file, Lambda environment),
 * so the renderers can rely on an absolute http(s) base URL without a trailing slash, a valid language
 * tag and a sane item count.
 */
export function resolveSiteConfig(input: SiteConfigInput = {}): SiteConfig {
  const merged = { ...DEFAULT_SITE, ...definedOnly(input) };
  return {
    baseUrl: normaliseBaseUrl(merged.baseUrl),
    title: requireText('title', merged.title),
    description: merged.description.trim(),
    language: normaliseLanguage(merged.language),
    maxItems: normaliseMaxItems(merged.maxItems),
    imageUrl: merged.imageUrl ? normaliseAbsoluteUrl('imageUrl', merged.imageUrl) : null,
    author: merged.author?.trim() ? merged.author.trim() : null,
  };
}

export function normaliseBaseUrl(value: string): string {
  const url = parseHttpUrl('baseUrl', value);
  if (url.search || url.hash) {
    throw new SiteConfigError(`baseUrl '${value}' must not carry a query or a fragment`);
  }
  return url.toString().replace(/\/+$/, '');
}

function normaliseAbsoluteUrl(name: string, value: string): string {
  return parseHttpUrl(name, value).toString();
}

function parseHttpUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new SiteConfigError(`${name} '${value}' is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SiteConfigError(`${name} '${value}' must be an http or https URL`);
  }
  if (url.username || url.password) throw new SiteConfigError(`${name} must not contain credentials`);
  return url;
}

function normaliseLanguage(value: string): string {
  const tag = value.trim();
  if (!LANGUAGE_TAG.test(tag)) throw new SiteConfigError(`language '${value}' is not a BCP 47 language tag`);
  return tag;
}

function normaliseMaxItems(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new SiteConfigError(`maxItems must be a whole number from 1 to 10000, got ${value}`);
  }
  return value;
}

function requireText(name: string, value: string): string {
  const text = value.trim();
  if (!text) throw new SiteConfigError(`${name} must not be empty`);
  return text;
}

function definedOnly(input: SiteConfigInput): SiteConfigInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

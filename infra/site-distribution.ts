import { Duration, Validations } from 'aws-cdk-lib';
import type { BehaviorOptions, PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import {
  AccessLevel,
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { distributionDefaults, FEED_PIPELINE_DEFAULTS } from './defaults.ts';
import { DIRECTORY_INDEX_FUNCTION_CODE } from './directory-index.ts';
import type { FeedPipelineCustomDomain } from './feed-pipeline-props.ts';

const SHARED_CSP = [
  "img-src 'self' https: data:",
  "font-src 'self'",
  "media-src 'self' https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  'upgrade-insecure-requests',
];
/** Pages run no JavaScript and load only the site's own stylesheet. */
export const PAGE_CONTENT_SECURITY_POLICY = ["default-src 'none'", "style-src 'self'", ...SHARED_CSP].join(
  '; ',
);
/**
 * A browser applies a feed's XSL stylesheet under script-src (CSP 2), and the page it renders carries an
 * inline <style> block (assets/feed.xsl), so feeds admit same-origin XSLT and inline styles, still no script.
 */
export const FEED_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  ...SHARED_CSP,
].join('; ');

export interface SiteDistributionOptions {
  readonly siteBucket: IBucket;
  readonly logBucket: IBucket;
  readonly title: string;
  readonly priceClass: PriceClass;
  readonly customDomain?: FeedPipelineCustomDomain;
}

export interface SiteDistribution {
  readonly distribution: Distribution;
  readonly directoryIndexFunction: CloudFrontFunction;
  readonly pageHeadersPolicy: ResponseHeadersPolicy;
  readonly feedHeadersPolicy: ResponseHeadersPolicy;
  readonly feedCachePolicy: CachePolicy;
  readonly pageCachePolicy: CachePolicy;
  readonly assetCachePolicy: CachePolicy;
}

/**
 * CloudFront in front of the private site bucket: OAC, HTTPS only, compressed, security headers, directory
 * indexes, and one cache policy per kind of file so feeds are never more than a few minutes stale.
 */
export function createSiteDistribution(scope: Construct, options: SiteDistributionOptions): SiteDistribution {
  const directoryIndexFunction = new CloudFrontFunction(scope, 'DirectoryIndexFunction', {
    code: FunctionCode.fromInline(DIRECTORY_INDEX_FUNCTION_CODE),
    runtime: FunctionRuntime.JS_2_0,
    comment: 'dropfeed: serve directory URLs from their index.html',
  });
  const pageHeadersPolicy = securityHeadersPolicy(scope, 'PageHeadersPolicy', PAGE_CONTENT_SECURITY_POLICY);
  const feedHeadersPolicy = securityHeadersPolicy(scope, 'FeedHeadersPolicy', FEED_CONTENT_SECURITY_POLICY);
  const feedCachePolicy = cachePolicy(scope, 'FeedCachePolicy', FEED_PIPELINE_DEFAULTS.feedCacheTtl);
  const pageCachePolicy = cachePolicy(scope, 'PageCachePolicy', FEED_PIPELINE_DEFAULTS.pageCacheTtl);
  const assetCachePolicy = cachePolicy(scope, 'AssetCachePolicy', FEED_PIPELINE_DEFAULTS.assetCacheTtl);

  // LIST lets S3 answer 404 (not 403) for a missing page; the directory-index function never forwards a
  // bare "/" so the listing itself is unreachable.
  const origin = S3BucketOrigin.withOriginAccessControl(options.siteBucket, {
    originAccessLevels: [AccessLevel.READ, AccessLevel.LIST],
  });
  const behaviour = (cache: CachePolicy, headers = pageHeadersPolicy): BehaviorOptions => ({
    origin,
    viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
    cachedMethods: CachedMethods.CACHE_GET_HEAD,
    compress: true,
    cachePolicy: cache,
    responseHeadersPolicy: headers,
    functionAssociations: [{ function: directoryIndexFunction, eventType: FunctionEventType.VIEWER_REQUEST }],
  });
  const { customDomain } = options;
  const distribution = new Distribution(scope, 'Distribution', {
    ...distributionDefaults(),
    comment: `dropfeed: ${options.title}`.slice(0, 128),
    priceClass: options.priceClass,
    // Everything at the root (index.html, feed.json) changes with every upload.
    defaultBehavior: behaviour(feedCachePolicy),
    additionalBehaviors: {
      '*.xml': behaviour(feedCachePolicy, feedHeadersPolicy),
      'articles/*': behaviour(pageCachePolicy),
      'assets/*': behaviour(assetCachePolicy),
      'media/*': behaviour(assetCachePolicy),
    },
    enableLogging: true,
    logBucket: options.logBucket,
    logFilePrefix: 'cloudfront/',
    ...(customDomain
      ? {
          domainNames: [customDomain.domainName],
          certificate: customDomain.certificate,
          minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        }
      : {}),
  });
  Validations.of(distribution).acknowledge({
    id: 'Annotation::@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
    reason:
      'defaultRootObject is index.html and the directory-index function rewrites every path ending in / to its index.html, so no request reaches S3 as a bucket listing.',
  });
  return {
    distribution,
    directoryIndexFunction,
    pageHeadersPolicy,
    feedHeadersPolicy,
    feedCachePolicy,
    pageCachePolicy,
    assetCachePolicy,
  };
}

/** Respects the origin's Cache-Control up to `maxTtl`; no cookies, headers or query strings reach S3. */
function cachePolicy(scope: Construct, id: string, maxTtl: Duration): CachePolicy {
  return new CachePolicy(scope, id, {
    comment: `dropfeed: origin Cache-Control, at most ${maxTtl.toHumanString()}`,
    minTtl: Duration.seconds(0),
    defaultTtl: maxTtl,
    maxTtl,
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
}

/** HSTS, nosniff, frame denial, referrer policy and a CSP; CORS so browser-based feed readers can fetch the feeds. */
function securityHeadersPolicy(
  scope: Construct,
  id: string,
  contentSecurityPolicy: string,
): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    comment: 'dropfeed: security headers for a no-JavaScript site; CORS for feed readers',
    securityHeadersBehavior: {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
      contentSecurityPolicy: { contentSecurityPolicy, override: true },
    },
    corsBehavior: {
      accessControlAllowCredentials: false,
      accessControlAllowHeaders: ['*'],
      accessControlAllowMethods: ['GET', 'HEAD'],
      accessControlAllowOrigins: ['*'],
      accessControlMaxAge: Duration.days(1),
      originOverride: true,
    },
    customHeadersBehavior: {
      customHeaders: [
        {
          header: 'Permissions-Policy',
          value: 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
          override: true,
        },
      ],
    },
  });
}

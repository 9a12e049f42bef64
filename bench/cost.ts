/**
 * What 1,000 uploads cost at published AWS list prices (us-east-1, S3 Standard, Lambda arm64), computed from
 * measured request counts and handler durations. Prices are constants here, not fetched: the bench is
 * offline, and a result must say which prices it used.
 */

export const PRICES = {
  /** S3 Standard PUT, COPY, POST, LIST requests, per request ($0.005 per 1,000). */
  s3WriteOrList: 0.005 / 1000,
  /** S3 Standard GET, HEAD and all other requests, per request ($0.0004 per 1,000). */
  s3ReadOrHead: 0.0004 / 1000,
  /** S3 DELETE requests are free. */
  s3Delete: 0,
  /** SQS FIFO, per request (each 64 KiB chunk of a payload is one request; our messages are ~1–2 KiB). */
  sqsFifoRequest: 0.5 / 1_000_000,
  /**
   * EventBridge: S3's "Object Created"/"Object Deleted" are data-plane events S3 sends only once the bucket
   * opts in, which EventBridge's pricing page lists as "AWS opt-in data events": $1.00 per million (64 KB
   * chunks; ours are ~1 KiB), unlike free AWS management events. Delivery to SQS in the same account adds
   * nothing.
   */
  eventBridgeS3Event: 1 / 1_000_000,
  /** Lambda arm64 duration, per GB-second. */
  lambdaArmGbSecond: 0.0000133334,
  /** Lambda requests, per invocation ($0.20 per million). */
  lambdaRequest: 0.2 / 1_000_000,
} as const;

/** S3 requests by billing kind, per upload. */
export interface S3RequestMix {
  readonly get: number;
  readonly head: number;
  readonly put: number;
  readonly copy: number;
  readonly post: number;
  readonly list: number;
  readonly delete: number;
}

export interface CostInput {
  /** Measured S3 requests for ONE upload (may be fractional when derived from a batch). */
  readonly s3PerUpload: S3RequestMix;
  /** Billed handler duration per invocation, in ms. */
  readonly invocationMs: number;
  /** Uploads handled by one invocation (the SQS batch size that was measured). */
  readonly uploadsPerInvocation: number;
  readonly memoryMb: number;
  /**
   * SQS requests per message: SendMessage (EventBridge target) + its share of ReceiveMessage and
   * DeleteMessageBatch (one each per Lambda batch). Idle long-polling by the event source mapping is a fixed
   * cost independent of uploads and left out.
   */
  readonly sqsRequestsPerUpload?: number;
}

export interface CostBreakdown {
  readonly s3: number;
  readonly sqs: number;
  readonly eventBridge: number;
  readonly lambdaDuration: number;
  readonly lambdaRequests: number;
  readonly total: number;
}

/** Cost in USD of 1,000 uploads. */
export function costPer1000Uploads(input: CostInput): CostBreakdown {
  const uploads = 1000;
  const r = input.s3PerUpload;
  const s3PerUpload =
    (r.put + r.copy + r.post + r.list) * PRICES.s3WriteOrList +
    (r.get + r.head) * PRICES.s3ReadOrHead +
    r.delete * PRICES.s3Delete;
  const invocations = uploads / input.uploadsPerInvocation;
  // Lambda bills duration rounded up to the next millisecond.
  const billedSeconds = Math.ceil(input.invocationMs) / 1000;
  const sqsPerUpload = input.sqsRequestsPerUpload ?? 1 + 2 / input.uploadsPerInvocation;
  const s3 = s3PerUpload * uploads;
  const sqs = sqsPerUpload * uploads * PRICES.sqsFifoRequest;
  const eventBridge = uploads * PRICES.eventBridgeS3Event;
  const lambdaDuration = invocations * billedSeconds * (input.memoryMb / 1024) * PRICES.lambdaArmGbSecond;
  const lambdaRequests = invocations * PRICES.lambdaRequest;
  return {
    s3,
    sqs,
    eventBridge,
    lambdaDuration,
    lambdaRequests,
    total: s3 + sqs + eventBridge + lambdaDuration + lambdaRequests,
  };
}

/**
 * Lambda gives a function CPU in proportion to its memory: 1,769 MB is one full vCPU. A duration measured
 * on a full core is therefore a lower bound at 512 MB; for CPU-bound work it stretches by up to this factor.
 */
export function lambdaCpuStretch(memoryMb: number): number {
  return Math.max(1, 1769 / memoryMb);
}

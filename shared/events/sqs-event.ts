/**
 * The parts of Lambda's SQS event the handler reads (AWS shapes, trimmed; @types/aws-lambda is not a
 * dependency, and these few fields are all that is used).
 */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle?: string;
  readonly body: string;
  readonly attributes?: Readonly<Record<string, string | undefined>>;
  readonly messageAttributes?: Readonly<Record<string, unknown>>;
  readonly md5OfBody?: string;
  readonly eventSource?: string;
  readonly eventSourceARN?: string;
  readonly awsRegion?: string;
}

export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}

/** Lambda's partial batch response: the listed messages return to the queue, the rest are deleted. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

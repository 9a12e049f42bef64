/**
 * Fault injection for the real `@aws-sdk/client-s3` talking to the real embedded S3 server.
 *
 * It is an SDK middleware in the `deserialize` step at low priority: inside the retry loop (which lives in
 * `finalizeRequest`) and inside the command's deserialiser, right above the HTTP handler. So each HTTP
 * attempt can be failed on its own, and a fabricated error response goes through S3's real error
 * deserialiser and the SDK's real retry classification, exactly as a 500 from AWS would:
 *
 * - `internal-error`: HTTP 500 `InternalError` (transient, retried);
 * - `slow-down`: HTTP 503 `SlowDown` (throttling, retried with the throttling backoff);
 * - `timeout`: a `TimeoutError` after a short stall (what the Node HTTP handler throws on `requestTimeout`);
 * - `connection-reset`: an `ECONNRESET` socket error.
 *
 * Each fault has a phase: `before` (the request never reaches the server) or `after` (the server applied
 * it and the answer was lost: the case that makes a retried write happen twice).
 *
 * Whether faults reach the caller is the client's retry configuration: with `maxAttempts: 1` every injected
 * fault surfaces to the pipeline; with the SDK's default of 3 most are absorbed (`faultyS3Client`).
 *
 * `crash` is different: it simulates the process dying. From the moment a plan answers `crash`, every
 * request of that client fails with `CrashError` without being sent, until `revive()`.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Prng } from './prng.ts';
import { createPrng } from './prng.ts';

export type FaultKind = 'internal-error' | 'slow-down' | 'timeout' | 'connection-reset';
export type FaultPhase = 'before' | 'after';

export interface Fault {
  readonly kind: FaultKind;
  readonly phase: FaultPhase;
}

export const FAULT_KINDS: readonly FaultKind[] = [
  'internal-error',
  'slow-down',
  'timeout',
  'connection-reset',
];

/** One HTTP attempt as the injector sees it. */
export interface RequestInfo {
  /** 1-based number of this attempt among all attempts since the plan was set. */
  readonly n: number;
  /** e.g. `PutObjectCommand`. */
  readonly command: string;
  readonly bucket?: string;
  readonly key?: string;
  /** Put / Delete / Copy / multi-delete: a request that changes the bucket. */
  readonly write: boolean;
  /** Writes sent before this one since the plan was set. */
  readonly writesSent: number;
}

export interface FaultPlan {
  decide(request: RequestInfo): Fault | 'crash' | null;
}

export interface InjectedFault extends Fault {
  readonly request: RequestInfo;
}

export class CrashError extends Error {
  constructor(readonly request: RequestInfo) {
    super(`simulated crash: ${request.command} ${request.key ?? ''} was never sent`);
    this.name = 'CrashError';
  }
}

export interface FaultInjector {
  /** Every fault injected since the plan was set, in order. */
  readonly injected: readonly InjectedFault[];
  /** HTTP attempts seen since the plan was set (faulted or not). */
  readonly requests: number;
  readonly writes: number;
  /** Attempts per command name since the plan was set. */
  readonly byCommand: Readonly<Record<string, number>>;
  readonly crashed: boolean;
  /** Replaces the plan and resets the counters (null: no faults, just counting). */
  setPlan(plan: FaultPlan | null): void;
  /** Ends a simulated crash: the next "process" may use the client again. */
  revive(): void;
  /** Takes the middleware off the client. */
  remove(): void;
}

const WRITE_COMMANDS = new Set([
  'PutObjectCommand',
  'DeleteObjectCommand',
  'DeleteObjectsCommand',
  'CopyObjectCommand',
]);
const MIDDLEWARE_NAME = 'dropfeedFaultInjection';

/** Adds the injector to `client`; one per client. */
export function injectFaults(
  client: S3Client,
  plan: FaultPlan | null = null,
  options: { timeoutMs?: number } = {},
): FaultInjector {
  const timeoutMs = options.timeoutMs ?? 5;
  let current = plan;
  let injected: InjectedFault[] = [];
  let requests = 0;
  let writes = 0;
  let crashed = false;
  let byCommand: Record<string, number> = {};

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = (args.input ?? {}) as { Bucket?: string; Key?: string };
      const command = context.commandName ?? 'unknown';
      const write = WRITE_COMMANDS.has(command);
      requests++;
      byCommand[command] = (byCommand[command] ?? 0) + 1;
      const request: RequestInfo = {
        n: requests,
        command,
        ...(input.Bucket !== undefined ? { bucket: input.Bucket } : {}),
        ...(input.Key !== undefined ? { key: input.Key } : {}),
        write,
        writesSent: writes,
      };
      const decision = crashed ? 'crash' : (current?.decide(request) ?? null);
      if (decision === 'crash') {
        crashed = true;
        throw new CrashError(request);
      }
      if (write) writes++;
      if (decision === null) return next(args);
      injected.push({ ...decision, request });
      if (decision.phase === 'after') {
        const result = await next(args);
        await drain((result.response as { body?: unknown } | undefined)?.body);
      }
      return failWith(decision.kind, timeoutMs);
    },
    { step: 'deserialize', name: MIDDLEWARE_NAME, priority: 'low', override: true },
  );

  return {
    get injected() {
      return injected;
    },
    get requests() {
      return requests;
    },
    get writes() {
      return writes;
    },
    get byCommand() {
      return byCommand;
    },
    get crashed() {
      return crashed;
    },
    setPlan(next) {
      current = next;
      injected = [];
      requests = 0;
      writes = 0;
      byCommand = {};
    },
    revive() {
      crashed = false;
    },
    remove() {
      client.middlewareStack.remove(MIDDLEWARE_NAME);
    },
  };
}

/**
 * What the HTTP handler would hand the deserialiser for a failed request, or the error it would throw.
 * Error bodies are S3's XML error documents, so S3's own error parser names them.
 */
async function failWith(kind: FaultKind, timeoutMs: number): Promise<never | { response: unknown }> {
  switch (kind) {
    case 'internal-error':
      return {
        response: errorResponse(500, 'InternalError', 'We encountered an internal error. Please try again.'),
      };
    case 'slow-down':
      return { response: errorResponse(503, 'SlowDown', 'Please reduce your request rate.') };
    case 'timeout': {
      await new Promise((resolve) => setTimeout(resolve, timeoutMs));
      throw Object.assign(new Error(`Connection timed out after ${timeoutMs} ms`), { name: 'TimeoutError' });
    }
    case 'connection-reset':
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  }
}

function errorResponse(statusCode: number, code: string, message: string) {
  const requestId = 'FAULTINJECTED0001';
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId><HostId>fault</HostId></Error>`;
  return {
    statusCode,
    reason: code,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: new TextEncoder().encode(body),
  };
}

/** Reads and discards a response body so the keep-alive socket is released. */
async function drain(body: unknown): Promise<void> {
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const _chunk of body as AsyncIterable<unknown>) {
      // discard
    }
  }
}

/** Fails each attempt with probability `rate`, choosing kind and phase from the same seeded stream. */
export function randomFaults(options: {
  seed: number;
  rate: number;
  kinds?: readonly FaultKind[];
  phases?: readonly FaultPhase[];
}): FaultPlan & { readonly prng: Prng } {
  const prng = createPrng(options.seed);
  const kinds = options.kinds ?? FAULT_KINDS;
  const phases = options.phases ?? ['before', 'after'];
  return {
    prng,
    decide() {
      if (prng.next() >= options.rate) return null;
      return { kind: prng.pick(kinds), phase: prng.pick(phases) };
    },
  };
}

/** Fails exactly the `n`th attempt (1-based) with `fault`. */
export function failNth(n: number, fault: Fault): FaultPlan {
  return { decide: (request) => (request.n === n ? fault : null) };
}

/** The process dies just after its `k`th write was sent: write k+1 and everything after it never leave. */
export function crashAfterWrites(k: number): FaultPlan {
  return { decide: (request) => (request.write && request.writesSent >= k ? 'crash' : null) };
}

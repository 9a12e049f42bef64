/** The shape of `bench/results/latest.json`: everything BENCHMARKS.md and the plot are generated from. */
import type { ColdLoad } from './bundle.ts';
import type { CostBreakdown } from './cost.ts';
import type { MachineInfo } from './machine.ts';
import type { RequestTally } from './s3-harness.ts';

export interface PublishMeasure {
  /** Articles already in the archive before the measured uploads. */
  readonly articles: number;
  /** New articles published by one run. */
  readonly uploads: number;
  /** Lambda invocations one run takes (SQS FIFO hands a function at most 10 messages at once). */
  readonly invocations: number;
  /** Timed runs in one warm process (the first, cold one is reported apart). */
  readonly runs: number;
  /** Wall time of one run (all its invocations), ms. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** The first run in a fresh process (lazy initialisation included). */
  readonly coldMs: number;
  /** S3 requests of ONE run (the median per kind over the timed runs). */
  readonly requests: RequestTally;
  readonly totalRequests: number;
  /** Peak RSS of the whole process over all its runs, MiB: what Lambda reports as Max Memory Used. */
  readonly peakRssMiB: number;
  /** Peak RSS minus RSS after loading the function, MiB: what the work itself added. */
  readonly rssDeltaMiB: number;
  /** Highest V8 heap seen while runs ran, MiB. */
  readonly peakHeapMiB: number;
  /** Set when extrapolated from a smaller archive rather than measured. */
  readonly extrapolatedFrom?: number;
}

export interface BuildSide {
  readonly wallMs: number;
  readonly articlesPerSecond: number;
  readonly maxRssMiB: number;
}

export interface BuildMeasure {
  readonly articles: number;
  /** Builds per tool (taking turns); times are medians. */
  readonly runs: number;
  readonly dropfeed: BuildSide;
  /** null when hugo is not installed. */
  readonly hugo: BuildSide | null;
  readonly hugoOneCore: BuildSide | null;
}

export interface BundleSide {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly cold: ColdLoad;
}

export interface BundleMeasure {
  readonly handler: BundleSide;
  readonly bare: BundleSide;
  /** The same handler bundle loaded without `--enable-source-maps` (null when the function does not use it). */
  readonly handlerWithoutSourceMaps: ColdLoad | null;
  /** NODE_OPTIONS the function runs with, applied to both measured cold loads. */
  readonly nodeOptions: string;
  /** `node -e 0`: the process start every cold load pays, ms (median). */
  readonly nodeStartMs: number;
  readonly format: 'esm' | 'cjs';
  /** Packages shipped beside the bundle and read on first use (infra/lazy-packages.mjs); absent in older runs. */
  readonly lazyPackages?: readonly {
    readonly name: string;
    readonly bytes: number;
    readonly gzipBytes: number;
  }[];
}

export interface CostMeasure {
  readonly memoryMb: number;
  readonly memorySource: string;
  /** Archive size the request counts and durations were taken at. */
  readonly articles: number;
  readonly rows: readonly {
    readonly approach: string;
    readonly uploadsPerInvocation: number;
    readonly invocationMs: number;
    readonly cost: CostBreakdown;
  }[];
}

export interface ParseMeasure {
  readonly articles: number;
  readonly ms: number;
  readonly articlesPerSecond: number;
  readonly mibPerSecond: number;
  readonly source: string;
  /** `node bin/dropfeed.js parse` of a 2 MiB file, process start to exit (median): the too-large rejection. */
  readonly oversizeCliMs?: number;
}

export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly actual: string;
  /** null when the bench could not measure it (the note says why). */
  readonly met: boolean | null;
  readonly note?: string;
}

export interface BenchResults {
  readonly version: 1;
  readonly generatedAt: string;
  readonly mode: 'quick' | 'full';
  readonly command: string;
  readonly durationS: number;
  readonly machine: MachineInfo;
  readonly sizes: readonly number[];
  readonly upload: readonly PublishMeasure[];
  readonly batch: readonly PublishMeasure[];
  readonly naive: readonly PublishMeasure[];
  readonly build: readonly BuildMeasure[];
  /** Each tool building an empty inbox, ms: the fixed start-up cost inside every build time. */
  readonly buildStartup: { readonly dropfeedMs: number; readonly hugoMs: number | null } | null;
  /** Batches at the largest archive with V8 capped as for a 128 MB function (null when not run). */
  readonly memoryCapped: (PublishMeasure & { readonly nodeOptions: string }) | null;
  readonly bundle: BundleMeasure | null;
  readonly cost: CostMeasure | null;
  readonly parse: ParseMeasure | null;
  readonly targets: readonly TargetCheck[];
  /** How the archives were seeded, what was skipped and why. */
  readonly notes: readonly string[];
}

/** Small summary statistics and number formatting shared by the bench measures and the report. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function min(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** Rounds to `digits` significant digits: enough for a noisy shared machine, short in JSON. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

export const MIB = 1024 * 1024;

export function toMiB(bytes: number): number {
  return round(bytes / MIB, 3);
}

/** `1234567` → `1,234,567`. */
export function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${round(ms / 1000, 3)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${round(ms, 3)} ms`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  if (bytes >= MIB) return `${round(bytes / MIB, 3)} MiB`;
  if (bytes >= 1024) return `${round(bytes / 1024, 3)} KiB`;
  return `${bytes} B`;
}

/** `x` as a ratio label, e.g. `152×`, `1.07×`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  return ratio >= 100 ? `${thousands(ratio)}×` : `${round(ratio, 3)}×`;
}

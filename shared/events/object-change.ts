/** One change to one inbox object, as an event announced it; the pipeline confirms it against the object. */
export interface ObjectChange {
  /** The real object key, already decoded from whatever envelope carried it. */
  readonly key: string;
  readonly kind: 'upsert' | 'remove';
  /** S3's per-key ordering token (hex); compare with `compareSequencers`. */
  readonly sequencer?: string;
  readonly versionId?: string;
  readonly eTag?: string;
  /** ISO time of the event. */
  readonly eventTime: string;
}

/**
 * Orders two sequencers of the SAME key: S3 documents them as hex strings of varying length that compare
 * after right-padding the shorter with zeros. Returns <0, 0, >0 like a comparator.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padEnd(width, '0');
  const right = b.toUpperCase().padEnd(width, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

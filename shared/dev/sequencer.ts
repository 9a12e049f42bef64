/**
 * S3's `sequencer`: a hex string that orders the events of one key (compared after right-padding the
 * shorter one with zeros). Here: 12 hex digits of milliseconds since the epoch, then a 6-digit counter,
 * 18 digits like AWS's. Never decreasing within a process, and time-based so that a restart with the same
 * data directory keeps ordering after the sequencers the pipeline already recorded.
 */
export function createSequencer(now: () => number = Date.now): () => string {
  let lastMs = 0;
  let counter = 0;
  return () => {
    const ms = Math.max(now(), lastMs);
    counter = ms === lastMs ? counter + 1 : 0;
    lastMs = ms;
    return `${hex(ms, 12)}${hex(counter, 6)}`;
  };
}

function hex(value: number, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}

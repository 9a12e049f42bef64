import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

/**
 * What `dropfeed dev` remembers about a data directory between runs (`<data>/dev.json`): whether the last
 * run stopped cleanly (its queue drained) and which site options it published with. A start rebuilds the
 * site only when one of them says the buckets may be behind: the rebuild reads every inbox object, which
 * takes seconds for a few hundred articles, so a clean restart with the same options skips it.
 */
export interface DevState {
  readonly version: 1;
  /** True from start until the queue has drained at stop. */
  readonly running: boolean;
  readonly siteFingerprint: string;
}

export async function readDevState(path: string): Promise<DevState | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<DevState>;
    return {
      version: 1,
      // A file without the flag comes from an older or interrupted run: assume the worst.
      running: parsed.running !== false,
      siteFingerprint: typeof parsed.siteFingerprint === 'string' ? parsed.siteFingerprint : '',
    };
  } catch {
    return null;
  }
}

export async function writeDevState(path: string, state: Omit<DevState, 'version'>): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ version: 1, ...state }, null, 2)}\n`);
  await rename(temporary, path);
}

/** A stable digest of the settings that shape every published page. */
export function fingerprint(settings: Readonly<Record<string, string | undefined>>): string {
  const entries = Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
}

/** Why the site must be re-derived at this start, or null when the buckets are known to be current. */
export function rebuildReason(
  previous: DevState | null,
  siteFingerprint: string,
  forced: boolean,
): string | null {
  if (forced) return 'asked for with --rebuild';
  if (previous === null) return 'first start with this data directory';
  if (previous.running) return 'the last run did not stop cleanly';
  if (previous.siteFingerprint !== siteFingerprint) return 'the site options changed';
  return null;
}

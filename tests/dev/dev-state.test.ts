import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, readDevState, rebuildReason, writeDevState } from '../../shared/dev/dev-state.ts';

describe('when dropfeed dev rebuilds at start', () => {
  const clean = { version: 1 as const, running: false, siteFingerprint: 'abc' };

  it('not after a clean stop with the same site options', () => {
    expect(rebuildReason(clean, 'abc', false)).toBeNull();
  });

  it('after an unclean stop, a change of options, on a new data directory, or when asked', () => {
    expect(rebuildReason({ ...clean, running: true }, 'abc', false)).toMatch(/did not stop cleanly/);
    expect(rebuildReason(clean, 'def', false)).toMatch(/site options changed/);
    expect(rebuildReason(null, 'abc', false)).toMatch(/first start/);
    expect(rebuildReason(clean, 'abc', true)).toMatch(/--rebuild/);
  });

  it('the fingerprint follows the values, not their order', () => {
    expect(fingerprint({ A: '1', B: '2' })).toBe(fingerprint({ B: '2', A: '1' }));
    expect(fingerprint({ A: '1', B: '2' })).not.toBe(fingerprint({ A: '1', B: '3' }));
    expect(fingerprint({ A: '1', B: undefined })).not.toBe(fingerprint({ A: '1', B: '' }));
  });

  it('the state file round-trips, and a damaged or partial one reads as "running"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dropfeed-state-'));
    try {
      const path = join(dir, 'dev.json');
      expect(await readDevState(path)).toBeNull();
      await writeDevState(path, { running: false, siteFingerprint: 'abc' });
      expect(await readDevState(path)).toEqual(clean);
      await writeFile(path, '{"siteFingerprint":"abc"}');
      expect((await readDevState(path))?.running).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

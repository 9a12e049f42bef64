import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/log.ts';

describe('structured logger', () => {
  it('writes one JSON object per line with level, message, base and child fields, errors kept readable', () => {
    const lines: string[] = [];
    const log = createLogger(
      { fn: 'ingest' },
      { level: 'info', write: (l) => lines.push(l), clock: () => new Date('2025-08-01T00:00:00Z') },
    );
    log.debug('hidden');
    log.child({ key: 'a b.txt' }).warn('article rejected', { error: new TypeError('bad') });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        time: '2025-08-01T00:00:00.000Z',
        level: 'warn',
        message: 'article rejected',
        fn: 'ingest',
        key: 'a b.txt',
        error: { name: 'TypeError', message: 'bad' },
      },
    ]);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  dayOffsetSeconds,
  publishTimes,
  selectNewest,
  sortEntries,
  toTimestamp,
} from '../../shared/render/publish-time.ts';
import { entry } from './factories.ts';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('publishTimes for dated articles', () => {
  it('is 06:00:00Z on the article day plus sha256(key) as uint32 mod 43200 seconds', () => {
    const key = 'inbox/trump-putin.txt';
    const offset = createHash('sha256').update(key).digest().readUInt32BE(0) % 43_200;
    const expected = new Date(Date.UTC(2025, 6, 4, 6, 0, 0) + offset * 1000)
      .toISOString()
      .replace('.000', '');
    expect(publishTimes(key, { date: '2025-07-04' }, '2030-01-01T00:00:00Z').published).toBe(expected);
    expect(dayOffsetSeconds(key)).toBe(offset);
  });

  it('stays on the article day, between 06:00:00Z and 17:59:59Z, whatever the key', () => {
    for (let i = 0; i < 500; i++) {
      const { published } = publishTimes(`k/${i}.txt`, { date: '2024-02-29' }, '2024-03-01T00:00:00Z');
      expect(published).toMatch(TIMESTAMP);
      expect(published.slice(0, 10)).toBe('2024-02-29');
      expect(published >= '2024-02-29T06:00:00Z' && published <= '2024-02-29T17:59:59Z').toBe(true);
    }
  });

  it('ignores the first-seen time, so reprocessing or rebuilding never moves the article', () => {
    const a = publishTimes('a.txt', { date: '2025-01-10' }, '2025-01-10T23:59:59Z');
    const b = publishTimes('a.txt', { date: '2025-01-10' }, '2026-06-01T08:00:00Z');
    expect(a).toEqual(b);
  });

  it('gives same-day articles distinct times that depend on the key only', () => {
    const keys = ['averley.txt', 'dunmore.txt', 'fenwick.txt', 'millbrook.txt', 'news/averley.txt'];
    const times = keys.map((k) => publishTimes(k, { date: '2025-03-03' }, '2025-03-03T00:00:00Z').published);
    expect(new Set(times).size).toBe(keys.length);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => publishTimes('a.txt', { date: '2025-7-4' }, '2025-01-01T00:00:00Z')).toThrow(/YYYY-MM-DD/);
  });
});

describe('publishTimes for undated articles', () => {
  it('is the first-seen time in UTC, truncated to whole seconds', () => {
    expect(publishTimes('a.txt', { date: null }, '2025-07-04T10:20:30.999+02:00').published).toBe(
      '2025-07-04T08:20:30Z',
    );
  });

  it('rejects a first-seen time that is not an instant', () => {
    expect(() => publishTimes('a.txt', { date: null }, 'yesterday')).toThrow(/not a valid instant/);
  });
});

describe('toTimestamp', () => {
  it('formats a Date the same way as its ISO string', () => {
    const date = new Date(Date.UTC(2023, 0, 2, 3, 4, 5, 678));
    expect(toTimestamp(date)).toBe('2023-01-02T03:04:05Z');
    expect(toTimestamp(date.toISOString())).toBe('2023-01-02T03:04:05Z');
  });
});

describe('sortEntries and selectNewest', () => {
  const older = entry({ key: 'b-old.txt', article: { date: '2024-01-01' } });
  const newer = entry({ key: 'c-new.txt', article: { date: '2025-01-01' } });
  const tieLate = { ...entry({ key: 'z-tie.txt' }), published: '2024-06-01T12:00:00Z' };
  const tieEarly = { ...entry({ key: 'a-tie.txt' }), published: '2024-06-01T12:00:00Z' };

  it('orders by published descending, ties by key ascending', () => {
    const sorted = sortEntries([older, tieLate, newer, tieEarly]);
    expect(sorted.map((e) => e.key)).toEqual(['c-new.txt', 'a-tie.txt', 'z-tie.txt', 'b-old.txt']);
  });

  it('compares keys by code unit, not by locale', () => {
    const upper = { ...tieEarly, key: 'Zebra.txt' };
    const lower = { ...tieEarly, key: 'apple.txt' };
    expect(sortEntries([lower, upper]).map((e) => e.key)).toEqual(['Zebra.txt', 'apple.txt']);
  });

  it('leaves its input alone', () => {
    const input = [older, newer];
    sortEntries(input);
    expect(input.map((e) => e.key)).toEqual(['b-old.txt', 'c-new.txt']);
  });

  it('selectNewest keeps the first n in feed order', () => {
    expect(selectNewest([older, tieLate, newer, tieEarly], 2).map((e) => e.key)).toEqual([
      'c-new.txt',
      'a-tie.txt',
    ]);
    expect(selectNewest([older], 5)).toHaveLength(1);
    expect(() => selectNewest([older], -1)).toThrow(RangeError);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectChange } from '../../shared/events/object-change.ts';
import type { RequestCounts } from '../../shared/store/counting-store.ts';
import { dayBefore, textArticle } from '../factories/articles.ts';
import { type S3TestServer, startS3Server } from '../support/s3-server.ts';
import { createHarness, deliverOneByOne, type Harness } from './harness.ts';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
});
afterAll(() => s3.stop());

type Requests = Omit<RequestCounts, 'bytesRead' | 'bytesWritten'>;
const requests = (h: Harness): Record<string, Requests> => {
  const strip = ({ bytesRead: _r, bytesWritten: _w, ...rest }: RequestCounts) => rest;
  return { inbox: strip(h.inboxCounted.counts), state: strip(h.state.counts), site: strip(h.site.counts) };
};

/** An archive of `size` dated articles, one a day going back, then the requests of one upload, edit, delete. */
async function costsAt(size: number) {
  const h = await createHarness(s3);
  const keys = Array.from({ length: size }, (_, i) => `archive/story-${String(i).padStart(4, '0')}.txt`);
  for (let i = 0; i < keys.length; i += 25) {
    await Promise.all(
      keys
        .slice(i, i + 25)
        .map((key, j) => h.upload(key, textArticle({ title: `Story ${i + j}`, date: dayBefore(i + j + 1) }))),
    );
  }
  h.takeEvents();
  const seed: ObjectChange[] = keys.map((key) => ({
    key,
    kind: 'upsert',
    eventTime: '2025-08-01T00:00:00Z',
  }));
  for (let i = 0; i < seed.length; i += 100) {
    const outcomes = await h.pipeline.handleChanges(seed.slice(i, i + 100));
    expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
  }

  const measure = async (act: () => Promise<void>) => {
    await act();
    const events = h.takeEvents();
    h.resetCounts();
    await deliverOneByOne(h, events);
    return requests(h);
  };
  const upload = await measure(() =>
    h.upload('breaking.txt', textArticle({ title: 'Breaking', date: '2025-08-01' })),
  );
  const edit = await measure(() =>
    h.upload('breaking.txt', textArticle({ title: 'Breaking, updated', date: '2025-08-01' })),
  );
  const remove = await measure(() => h.remove('breaking.txt'));
  return { upload, edit, remove };
}

describe('cost is independent of the archive size', () => {
  it('one upload, edit and delete make the same requests at 10 and at 200 articles', async () => {
    const small = await costsAt(10);
    const large = await costsAt(200);
    expect(large).toEqual(small);
    // And none of them lists anything.
    for (const phase of Object.values(large))
      for (const store of Object.values(phase)) expect(store.list).toBe(0);
    const total = (r: Record<string, Requests>) =>
      Object.values(r).reduce((n, s) => n + s.get + s.head + s.put + s.list + s.delete, 0);
    expect(total(large.upload)).toBeLessThan(25);
    // The state bucket, request by request. Reads: the record, the siblings document (read once, written
    // conditionally on that read), the month, the month index, the window. Writes: the record twice per
    // change to what is published (the marker before the first write, the commit after the last; for a
    // delete the tombstone, then its deletion), the siblings document when a key comes or goes, the month,
    // the month index and the window.
    expect({ upload: large.upload.state, edit: large.edit.state, remove: large.remove.state }).toEqual({
      upload: { get: 5, head: 0, put: 6, list: 0, delete: 0 },
      edit: { get: 5, head: 0, put: 4, list: 0, delete: 0 },
      remove: { get: 5, head: 0, put: 5, list: 0, delete: 1 },
    });
  }, 60_000);
});

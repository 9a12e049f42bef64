/**
 * Fault injection on the IN-MEMORY FAKE store: s3rver cannot be made to refuse one particular write, and the
 * point here is what the pipeline does when a shared write fails for one entry only.
 */
import { describe, expect, it } from 'vitest';
import { readJson } from '../../shared/pipeline/json-doc.ts';
import { createPipeline } from '../../shared/pipeline/pipeline.ts';
import type { ArticleRecord, WindowDoc } from '../../shared/pipeline/state.ts';
import { recordKey, WINDOW_KEY } from '../../shared/pipeline/state.ts';
import { createMemoryStore } from '../../shared/store/memory-store.ts';
import type { ObjectStore } from '../../shared/store/object-store.ts';
import { textArticle } from '../factories/articles.ts';
import { FIXED_NOW, SITE } from './harness.ts';

const upsert = (key: string) => ({ key, kind: 'upsert' as const, eventTime: '2025-08-01T00:00:00Z' });

/** A store that refuses to write the window while it would carry `marker`. */
function refusingWindowWith(inner: ObjectStore, marker: string): ObjectStore {
  return {
    ...inner,
    get: (key, opts) => inner.get(key, opts),
    put: async (key, body, opts) => {
      const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
      if (key === WINDOW_KEY && text.includes(marker)) throw new Error('injected: window write refused');
      return inner.put(key, body, opts);
    },
  };
}

describe('one change the indexes cannot take does not hold back the batch', () => {
  it('applies the other changes and fails only that one', async () => {
    const inbox = createMemoryStore();
    const site = createMemoryStore();
    const state = createMemoryStore();
    await inbox.put('good.txt', textArticle({ title: 'Good', date: '2025-07-01' }));
    await inbox.put('bad.txt', textArticle({ title: 'Unwritable Marker', date: '2025-07-02' }));
    const pipeline = createPipeline({
      inbox,
      site,
      state: refusingWindowWith(state, 'Unwritable Marker'),
      siteConfig: SITE,
      now: FIXED_NOW,
    });
    const outcomes = await pipeline.handleChanges([upsert('good.txt'), upsert('bad.txt')]);
    expect(outcomes[0]).toEqual({ key: 'good.txt', status: 'ok', action: 'published' });
    expect(outcomes[1]).toMatchObject({ key: 'bad.txt', status: 'failed' });
    expect((await readJson<WindowDoc>(state, WINDOW_KEY)).value?.entries.map((e) => e.key)).toEqual([
      'good.txt',
    ]);
    // The failed article is not committed, so its retry redoes it from the start.
    expect((await readJson<ArticleRecord>(state, recordKey('bad.txt'))).value).toBeNull();
    expect((await readJson<ArticleRecord>(state, recordKey('good.txt'))).value?.status).toBe('published');
  });
});

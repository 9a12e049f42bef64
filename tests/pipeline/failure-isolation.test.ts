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
    // The failed article is not committed (its record is still the marker), so its retry redoes it all.
    const bad = (await readJson<ArticleRecord>(state, recordKey('bad.txt'))).value;
    expect(bad?.pending).toEqual({ months: [], paths: [], feeds: false });
    expect(bad?.entry?.article.title).toBe('Unwritable Marker');
    const good = (await readJson<ArticleRecord>(state, recordKey('good.txt'))).value;
    expect(good?.status).toBe('published');
    expect(good?.pending).toBeNull();

    // Once the window takes it, the retry publishes and commits it.
    const healed = createPipeline({ inbox, site, state, siteConfig: SITE, now: FIXED_NOW });
    expect(await healed.handleChanges([upsert('bad.txt')])).toMatchObject([{ key: 'bad.txt', status: 'ok' }]);
    expect((await readJson<ArticleRecord>(state, recordKey('bad.txt'))).value?.pending).toBeNull();
    expect((await readJson<WindowDoc>(state, WINDOW_KEY)).value?.entries.map((e) => e.key)).toEqual([
      'bad.txt',
      'good.txt',
    ]);
  });

  it('a half-published article deleted before its retry leaves nothing behind', async () => {
    const inbox = createMemoryStore();
    const site = createMemoryStore();
    const state = createMemoryStore();
    await inbox.put('good.txt', textArticle({ title: 'Good', date: '2025-07-01' }));
    await inbox.put('bad.txt', textArticle({ title: 'Unwritable Marker', date: '2025-07-02' }));
    const refusing = createPipeline({
      inbox,
      site,
      state: refusingWindowWith(state, 'Unwritable Marker'),
      siteConfig: SITE,
      now: FIXED_NOW,
    });
    await refusing.handleChanges([upsert('good.txt'), upsert('bad.txt')]);
    // The refused window write came after the page and the month partition were written.
    expect(await site.head('articles/bad/index.html')).not.toBeNull();
    expect(JSON.stringify((await readJson(state, 'months/2025-07.json')).value)).toContain('bad.txt');

    await inbox.delete('bad.txt');
    const pipeline = createPipeline({ inbox, site, state, siteConfig: SITE, now: FIXED_NOW });
    expect(await pipeline.handleChanges([{ ...upsert('bad.txt'), kind: 'remove' as const }])).toEqual([
      { key: 'bad.txt', status: 'ok', action: 'removed' },
    ]);
    expect(await site.head('articles/bad/index.html')).toBeNull();
    expect(JSON.stringify((await readJson(state, 'months/2025-07.json')).value)).not.toContain('bad.txt');
    expect((await readJson(state, recordKey('bad.txt'))).value).toBeNull();
    const feed = new TextDecoder().decode((await site.get('feed.xml'))?.body);
    expect(feed).toContain('Good');
    expect(feed).not.toContain('Unwritable Marker');
  });
});

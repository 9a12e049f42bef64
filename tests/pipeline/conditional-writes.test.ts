/**
 * Compare-and-swap logic, run against the IN-MEMORY FAKE store (shared/store/memory-store.ts): s3rver, the
 * only S3 emulator that runs here, accepts If-Match / If-None-Match and ignores them, so a lost race can only
 * be staged on a store that enforces them as S3 does. Everything else is tested against s3rver.
 */
import { describe, expect, it } from 'vitest';
import { readJson, updateJson } from '../../shared/pipeline/json-doc.ts';
import { createPipeline } from '../../shared/pipeline/pipeline.ts';
import type { WindowDoc } from '../../shared/pipeline/state.ts';
import { WINDOW_KEY } from '../../shared/pipeline/state.ts';
import { createMemoryStore, type MemoryStore } from '../../shared/store/memory-store.ts';
import { PreconditionFailed } from '../../shared/store/object-store.ts';
import { textArticle } from '../factories/articles.ts';
import { FIXED_NOW, SITE } from './harness.ts';

const upsert = (key: string) => ({ key, kind: 'upsert' as const, eventTime: '2025-08-01T00:00:00Z' });

function stores() {
  return { inbox: createMemoryStore(), site: createMemoryStore(), state: createMemoryStore() };
}

/** Runs `competitor` once, just before the first write of `key` (after it was read): a concurrent writer. */
function interleaveOnce(store: MemoryStore, key: string, competitor: () => Promise<unknown>) {
  let fired = false;
  store.beforePut = async (written) => {
    if (fired || written !== key) return;
    fired = true;
    await competitor();
  };
  return () => fired;
}

describe('compare-and-swap on shared state (memory fake)', () => {
  it('updateJson redoes its change on top of a concurrent write instead of overwriting it', async () => {
    const store = createMemoryStore();
    await store.put('doc.json', '{"items":[]}\n');
    const fired = interleaveOnce(store, 'doc.json', () => store.put('doc.json', '{"items":["theirs"]}\n'));
    const result = await updateJson<{ items: string[] }>(store, 'doc.json', (cur) => ({
      items: [...(cur?.items ?? []), 'ours'],
    }));
    expect(fired()).toBe(true);
    expect(result).toEqual({ items: ['theirs', 'ours'] });
    expect((await readJson<{ items: string[] }>(store, 'doc.json')).value).toEqual({
      items: ['theirs', 'ours'],
    });
  });

  it('updateJson gives up with PreconditionFailed when it never wins', async () => {
    const store = createMemoryStore();
    let n = 0;
    store.beforePut = async (key) => {
      if (key === 'doc.json' && n++ % 2 === 0) await store.put('doc.json', `{"n":${n}}\n`);
    };
    await expect(updateJson(store, 'doc.json', () => ({ mine: true }), 3)).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
  });

  it('two pipelines writing the window at once: neither change is lost', async () => {
    const s = stores();
    await s.inbox.put('first.txt', textArticle({ title: 'First', date: '2025-07-01' }));
    await s.inbox.put('second.txt', textArticle({ title: 'Second', date: '2025-07-02' }));
    const deps = { ...s, siteConfig: SITE, now: FIXED_NOW };
    const a = createPipeline(deps);
    const b = createPipeline(deps);
    const fired = interleaveOnce(s.state, WINDOW_KEY, () => b.handleChanges([upsert('second.txt')]));
    const outcomes = await a.handleChanges([upsert('first.txt')]);
    expect(fired()).toBe(true);
    expect(outcomes).toEqual([{ key: 'first.txt', status: 'ok', action: 'published' }]);
    const window = (await readJson<WindowDoc>(s.state, WINDOW_KEY)).value;
    expect(window?.entries.map((e) => e.key)).toEqual(['second.txt', 'first.txt']);
    const json = JSON.parse(new TextDecoder().decode((await s.site.get('feed.json'))?.body)) as {
      items: unknown[];
    };
    expect(json.items).toHaveLength(2);
  });

  it('a rebuild raced by an incremental change starts over and keeps that change', async () => {
    const s = stores();
    await s.inbox.put('old.txt', textArticle({ title: 'Old', date: '2025-07-01' }));
    const deps = { ...s, siteConfig: SITE, now: FIXED_NOW };
    const writer = createPipeline(deps);
    await writer.handleChanges([upsert('old.txt')]);
    const rebuilder = createPipeline(deps);
    // While the rebuild works, a new article arrives and is handled by the event path.
    const fired = interleaveOnce(s.site, 'articles/old/index.html', async () => {
      await s.inbox.put('new.txt', textArticle({ title: 'New', date: '2025-07-05' }));
      await writer.handleChanges([upsert('new.txt')]);
    });
    await s.site.delete('articles/old/index.html'); // damage, so the rebuild writes the page (and meets the race)
    const summary = await rebuilder.rebuild();
    expect(fired()).toBe(true);
    expect(summary.attempts).toBe(2);
    const window = (await readJson<WindowDoc>(s.state, WINDOW_KEY)).value;
    expect(window?.entries.map((e) => e.key)).toEqual(['new.txt', 'old.txt']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../shared/pipeline/json-doc.ts';
import type { ArticleRecord, MonthsIndex, WindowDoc } from '../../shared/pipeline/state.ts';
import { MONTHS_INDEX_KEY, recordKey, WINDOW_KEY } from '../../shared/pipeline/state.ts';
import { dayBefore, pngBytes, textArticle } from '../factories/articles.ts';
import { type S3TestServer, startS3Server } from '../support/s3-server.ts';
import { createHarness, decodeText, deliverOneByOne, type Harness, SITE } from './harness.ts';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
});
afterAll(() => s3.stop());

const sync = async (h: Harness) => deliverOneByOne(h, h.takeEvents());
const feedTitles = async (h: Harness) => {
  const json = JSON.parse(decodeText((await h.siteSnapshot()).get('feed.json')?.body)) as {
    items: { title: string }[];
  };
  return json.items.map((i) => i.title);
};

describe('lead pictures beside articles', () => {
  it.each([
    ['picture first', ['trump-putin.jpg', 'trump-putin.txt']],
    ['article first', ['trump-putin.txt', 'trump-putin.jpg']],
  ])('%s: copied to media/<slug>.<ext> and set as the entry image', async (_, order) => {
    const h = await createHarness(s3);
    const picture = pngBytes(1);
    for (const key of order) {
      await (key.endsWith('.jpg')
        ? h.upload(key, picture)
        : h.upload(key, textArticle({ title: 'Call', date: '2025-07-04' })));
      await sync(h); // each upload processed before the next: both orders really happen
    }
    const site = await h.siteSnapshot();
    const media = site.get('media/trump-putin.jpg');
    expect(media?.contentType).toBe('image/jpeg');
    expect(media?.cacheControl).toBe('public, max-age=86400');
    expect([...Buffer.from(media?.body ?? '', 'base64')]).toEqual([...picture]);
    const record = (await readJson<ArticleRecord>(h.state, recordKey('trump-putin.txt'))).value;
    expect(record?.entry?.image).toEqual({
      path: 'media/trump-putin.jpg',
      type: 'image/jpeg',
      length: picture.byteLength,
    });
    expect(decodeText(site.get('articles/trump-putin/index.html')?.body)).toContain('media/trump-putin.jpg');
    expect(decodeText(site.get('feed.xml')?.body)).toContain(`${SITE.baseUrl}/media/trump-putin.jpg`);
  });

  it('replacing the picture rewrites the media copy; deleting it removes the copy and the entry image', async () => {
    const h = await createHarness(s3);
    await h.upload('walk.txt', textArticle({ title: 'Walk', date: '2025-07-04' }));
    await h.upload('walk.png', pngBytes(1));
    await sync(h);
    await h.upload('walk.png', pngBytes(2));
    await sync(h);
    expect([...Buffer.from((await h.siteSnapshot()).get('media/walk.png')?.body ?? '', 'base64')]).toEqual([
      ...pngBytes(2),
    ]);
    await h.remove('walk.png');
    await sync(h);
    const site = await h.siteSnapshot();
    expect(site.has('media/walk.png')).toBe(false);
    expect((await readJson<ArticleRecord>(h.state, recordKey('walk.txt'))).value?.entry?.image).toBeNull();
    expect(decodeText(site.get('articles/walk/index.html')?.body)).not.toContain('media/walk.png');
  });
});

describe('the window and the month partitions', () => {
  it('refills the feeds from older months after deletions, reading no inbox listing', async () => {
    const h = await createHarness(s3);
    // 20 articles, one every 4 days: several months; the window holds maxItems (5) + 10 slack.
    for (let i = 0; i < 20; i++)
      await h.upload(
        `a-${String(i).padStart(2, '0')}.txt`,
        textArticle({ title: `A${i}`, date: dayBefore(i * 4) }),
      );
    const events = h.takeEvents();
    await h.deliver(events.slice(0, 10));
    await h.deliver(events.slice(10));
    expect(await feedTitles(h)).toEqual(['A0', 'A1', 'A2', 'A3', 'A4']);
    const window = (await readJson<WindowDoc>(h.state, WINDOW_KEY)).value;
    expect(window?.entries.map((e) => e.article.title)).toEqual(
      Array.from({ length: 15 }, (_, i) => `A${i}`),
    );
    expect(window?.complete).toBe(false);
    const index = (await readJson<MonthsIndex>(h.state, MONTHS_INDEX_KEY)).value;
    expect(index?.months.reduce((n, m) => n + m.count, 0)).toBe(20);

    // Delete the 12 newest: the window falls below maxItems and refills from the months.
    for (let i = 0; i < 12; i++) await h.remove(`a-${String(i).padStart(2, '0')}.txt`);
    h.resetCounts();
    await sync(h);
    expect(h.inboxCounted.counts.list + h.state.counts.list + h.site.counts.list).toBe(0);
    expect(await feedTitles(h)).toEqual(['A12', 'A13', 'A14', 'A15', 'A16']);
    const after = (await readJson<WindowDoc>(h.state, WINDOW_KEY)).value;
    expect(after?.entries.map((e) => e.article.title)).toEqual([
      'A12',
      'A13',
      'A14',
      'A15',
      'A16',
      'A17',
      'A18',
      'A19',
    ]);
    expect(after?.complete).toBe(true);

    // An older article joins a complete window; an edit of an article outside the feeds rewrites no feed.
    await h.upload('old.txt', textArticle({ title: 'Old', date: '2024-01-01' }));
    await sync(h);
    expect((await readJson<WindowDoc>(h.state, WINDOW_KEY)).value?.entries.at(-1)?.article.title).toBe('Old');
    h.resetCounts();
    await h.upload('old.txt', textArticle({ title: 'Old, edited', date: '2024-01-01' }));
    await sync(h);
    expect(h.site.counts.put).toBe(1); // the article page only, no feed
    expect(await feedTitles(h)).not.toContain('Old, edited');
  });
});

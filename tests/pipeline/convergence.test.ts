import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../shared/pipeline/json-doc.ts';
import type { RejectionReport } from '../../shared/pipeline/state.ts';
import { reportKey } from '../../shared/pipeline/state.ts';
import { markdownArticle, pngBytes, textArticle } from '../factories/articles.ts';
import { type S3TestServer, startS3Server } from '../support/s3-server.ts';
import { createHarness, deliverOneByOne, type Harness, type SqsRecordFixture, shuffled } from './harness.ts';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
});
afterAll(() => s3.stop());

/** A newsroom's morning: uploads, edits, a delete, a rename, a draft, a reject, pictures both ways round. */
async function morning(h: Harness): Promise<SqsRecordFixture[]> {
  for (let i = 0; i < 9; i++) {
    await h.upload(
      `story-${i}.txt`,
      textArticle({ title: `Story ${i}`, date: `2025-0${(i % 3) + 5}-1${i}` }),
    );
  }
  await h.upload('undated.txt', textArticle({ title: 'Undated', date: null }));
  await h.upload('story-1.txt', textArticle({ title: 'Story 1, corrected', date: '2025-06-11' }));
  await h.remove('story-2.txt');
  await h.upload('story-3-renamed.txt', textArticle({ title: 'Story 3', date: '2025-05-13' }));
  await h.remove('story-3.txt');
  await h.upload('guide.md', markdownArticle({ title: 'Guide', date: '2025-07-20', draft: true }));
  await h.upload('broken.txt', '');
  await h.upload('story-4.png', pngBytes(4)); // picture before... (story-4.txt exists already: after)
  await h.upload('late-picture.png', pngBytes(7));
  await h.upload('late-picture.txt', textArticle({ title: 'Picture First', date: '2025-07-21' }));
  await h.upload('story-5.png', pngBytes(5));
  await h.remove('story-5.png');
  await h.upload('x.txt', textArticle({ title: 'X as text', date: '2025-07-22' }));
  await h.upload('x.md', markdownArticle({ title: 'X as markdown', date: '2025-07-23' }));
  await h.upload('notes.docx', 'ignored');
  return h.takeEvents();
}

describe('convergence: duplicated, reordered and replayed events', () => {
  it('gives byte-identical sites for in-order, shuffled+duplicated and batched delivery, and a replay writes nothing', async () => {
    const inOrder = await createHarness(s3);
    const events = await morning(inOrder);
    expect(events.length).toBeGreaterThan(20);
    await deliverOneByOne(inOrder, events);

    const chaotic = await inOrder.sibling();
    const duplicated = shuffled([...events, ...events, ...shuffled(events, 7).slice(0, 10)], 42);
    for (let i = 0; i < duplicated.length; i += 10) {
      const response = await chaotic.deliver(duplicated.slice(i, i + 10));
      expect(response.batchItemFailures).toEqual([]);
    }

    const reversed = await inOrder.sibling();
    await deliverOneByOne(reversed, [...events].reverse());

    const expected = await inOrder.siteSnapshot();
    expect(expected.size).toBeGreaterThan(10);
    expect(await chaotic.siteSnapshot()).toEqual(expected);
    expect(await reversed.siteSnapshot()).toEqual(expected);

    // The morning's outcome, checked once: the right items at the right addresses.
    const json = JSON.parse(
      Buffer.from(expected.get('feed.json')?.body ?? '', 'base64').toString('utf8'),
    ) as {
      items: { title: string; image?: string }[];
    };
    const titles = json.items.map((i) => i.title);
    expect(titles).toContain('Picture First');
    // `x.txt` and `x.md` both want slug `x`: the first key in code-unit order (`x.md`) owns it.
    expect(titles).toContain('X as markdown');
    expect(titles).not.toContain('X as text');
    const conflict = (await readJson<RejectionReport>(chaotic.state, reportKey('x.txt'))).value;
    expect(conflict?.code).toBe('slug-conflict');
    expect(conflict?.reason).toContain("'x.md'");
    expect(titles).not.toContain('Guide');
    expect(expected.has('media/late-picture.png')).toBe(true);
    expect(expected.has('media/story-4.png')).toBe(true);
    expect(expected.has('media/story-5.png')).toBe(false);
    expect(expected.has('articles/story-2/index.html')).toBe(false);

    // Replaying everything again: every event confirms against the object and finds nothing to do.
    inOrder.resetCounts();
    const replay = await inOrder.deliver(shuffled(events, 3).slice(0, 10));
    expect(replay.batchItemFailures).toEqual([]);
    expect(inOrder.site.counts.put + inOrder.site.counts.delete).toBe(0);
    expect(inOrder.state.counts.put).toBe(0);
  });

  it('rebuild() from the inbox alone equals the incremental result, and rebuilding again rewrites nothing', async () => {
    const incremental = await createHarness(s3);
    await deliverOneByOne(incremental, await morning(incremental));
    const expected = await incremental.siteSnapshot();

    const fresh = await incremental.sibling();
    const summary = await fresh.pipeline.rebuild();
    expect(await fresh.siteSnapshot()).toEqual(expected);
    expect(summary).toMatchObject({ ignored: 1, attempts: 1 });
    expect(summary.actions.published).toBeGreaterThan(5);

    incremental.resetCounts();
    const again = await incremental.pipeline.rebuild();
    expect(again.actions.unchanged).toBe(again.articles);
    expect(incremental.site.counts.put + incremental.site.counts.delete).toBe(0);
    expect(await incremental.siteSnapshot()).toEqual(expected);
  });

  it('rebuild() heals a damaged site: restores a deleted page and feeds, deletes a stray page', async () => {
    const h = await createHarness(s3);
    await deliverOneByOne(h, await morning(h));
    const expected = await h.siteSnapshot();
    await h.site.delete('articles/story-0/index.html');
    await h.site.delete('feed.xml');
    await h.site.put('atom.xml', 'truncated', { contentType: 'application/atom+xml; charset=utf-8' });
    await h.site.put('articles/ghost/index.html', '<p>ghost</p>', {
      contentType: 'text/html; charset=utf-8',
    });
    const summary = await h.pipeline.rebuild();
    expect(summary.orphansDeleted).toBe(1);
    expect(await h.siteSnapshot()).toEqual(expected);
  });
});

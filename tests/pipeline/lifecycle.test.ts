import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../shared/pipeline/json-doc.ts';
import type { ArticleRecord, RejectionReport } from '../../shared/pipeline/state.ts';
import { recordKey, reportKey } from '../../shared/pipeline/state.ts';
import { markdownArticle, textArticle } from '../factories/articles.ts';
import { s3TestEvent } from '../factories/s3-events.ts';
import { sqsRecord } from '../factories/sqs.ts';
import { type S3TestServer, startS3Server } from '../support/s3-server.ts';
import { createHarness, decodeText, deliverOneByOne, type Harness, SITE } from './harness.ts';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
});
afterAll(() => s3.stop());

async function feeds(h: Harness) {
  const snapshot = await h.siteSnapshot();
  return {
    snapshot,
    rss: decodeText(snapshot.get('feed.xml')?.body),
    atom: decodeText(snapshot.get('atom.xml')?.body),
    json: JSON.parse(decodeText(snapshot.get('feed.json')?.body) || '{}') as {
      items?: { id: string; title: string; url: string }[];
    },
    index: decodeText(snapshot.get('index.html')?.body),
  };
}

const sync = async (h: Harness) => deliverOneByOne(h, h.takeEvents());

describe('pipeline lifecycle on a real S3 server', () => {
  it('publishes an upload: page, feeds, index, assets, each with a content type (charset) and cache control', async () => {
    const h = await createHarness(s3);
    await h.upload(
      'river-cleanup.txt',
      textArticle({ title: 'Volunteers Clean the River', date: '2025-07-04' }),
    );
    await sync(h);
    const { snapshot, json, rss, atom } = await feeds(h);
    expect([...snapshot.keys()].sort()).toEqual(
      expect.arrayContaining([
        'articles/river-cleanup/index.html',
        'atom.xml',
        'feed.json',
        'feed.xml',
        'index.html',
      ]),
    );
    for (const [path, object] of snapshot) {
      expect(object.cacheControl, path).toMatch(/^public, max-age=\d+$/);
      if (!path.startsWith('media/')) expect(object.contentType, path).toMatch(/; charset=utf-8$/);
    }
    expect(snapshot.get('feed.xml')?.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(snapshot.get('feed.xml')?.cacheControl).toBe('public, max-age=300');
    expect(snapshot.get('articles/river-cleanup/index.html')?.cacheControl).toBe('public, max-age=3600');
    expect(json.items?.map((i) => [i.id, i.title])).toEqual([
      [`${SITE.baseUrl}/articles/river-cleanup/`, 'Volunteers Clean the River'],
    ]);
    expect(rss).toContain('Volunteers Clean the River');
    expect(atom).toContain(`${SITE.baseUrl}/articles/river-cleanup/`);
    const record = (await readJson<ArticleRecord>(h.state, recordKey('river-cleanup.txt'))).value;
    expect(record).toMatchObject({ key: 'river-cleanup.txt', slug: 'river-cleanup', status: 'published' });
    expect(record?.entry?.published.startsWith('2025-07-04T')).toBe(true);
  });

  it('edits in place: same id and link, new title and text, a later `updated`; delete removes it everywhere', async () => {
    const h = await createHarness(s3);
    await h.upload('budget.txt', textArticle({ title: 'Council Budget Approved', date: '2025-07-01' }));
    await sync(h);
    const before = (await readJson<ArticleRecord>(h.state, recordKey('budget.txt'))).value;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // LastModified has one-second resolution
    await h.upload(
      'budget.txt',
      textArticle({ title: 'Council Budget Approved After Late Vote', date: '2025-07-01' }),
    );
    await sync(h);
    const after = (await readJson<ArticleRecord>(h.state, recordKey('budget.txt'))).value;
    const { json, snapshot } = await feeds(h);
    expect(json.items).toHaveLength(1);
    expect(json.items?.[0]).toMatchObject({
      id: `${SITE.baseUrl}/articles/budget/`,
      url: `${SITE.baseUrl}/articles/budget/`,
      title: 'Council Budget Approved After Late Vote',
    });
    expect(after?.entry?.published).toBe(before?.entry?.published);
    expect(after?.firstSeen).toBe(before?.firstSeen);
    expect((after?.entry?.updated ?? '') > (before?.entry?.updated ?? '')).toBe(true);
    expect(decodeText(snapshot.get('articles/budget/index.html')?.body)).toContain('After Late Vote');

    await h.remove('budget.txt');
    await sync(h);
    const gone = await feeds(h);
    expect(gone.json.items).toEqual([]);
    expect(gone.snapshot.has('articles/budget/index.html')).toBe(false);
    expect((await readJson(h.state, recordKey('budget.txt'))).value).toBeNull();
  });

  it('renames: the old key leaves (page deleted), the new key publishes under its own slug', async () => {
    const h = await createHarness(s3);
    const body = textArticle({ title: 'Library Reopens', date: '2025-06-30' });
    await h.upload('library.txt', body);
    await sync(h);
    await h.remove('library.txt');
    await h.upload('eastfield-library.txt', body);
    await sync(h);
    const { json, snapshot } = await feeds(h);
    expect(json.items?.map((i) => i.id)).toEqual([`${SITE.baseUrl}/articles/eastfield-library/`]);
    expect(snapshot.has('articles/library/index.html')).toBe(false);
    expect(snapshot.has('articles/eastfield-library/index.html')).toBe(true);
  });

  it('drafts unpublish a published item with a `draft` report; publishing again clears the report', async () => {
    const h = await createHarness(s3);
    await h.upload('guide.md', markdownArticle({ title: 'Harvest Guide', date: '2025-07-02' }));
    await h.upload('other.txt', textArticle({ title: 'Other News', date: '2025-07-01' }));
    await sync(h);
    expect((await feeds(h)).json.items).toHaveLength(2);

    await h.upload('guide.md', markdownArticle({ title: 'Harvest Guide', date: '2025-07-02', draft: true }));
    await sync(h);
    const drafted = await feeds(h);
    expect(drafted.json.items?.map((i) => i.title)).toEqual(['Other News']);
    expect(drafted.snapshot.has('articles/guide/index.html')).toBe(false);
    const report = (await readJson<RejectionReport>(h.state, reportKey('guide.md'))).value;
    expect(report).toMatchObject({ key: 'guide.md', code: 'draft', published: 'unpublished' });
    expect(report?.reason).toEqual(expect.any(String));
    expect(report?.time).toBe('2025-08-01T12:00:00Z');

    await h.upload('guide.md', markdownArticle({ title: 'Harvest Guide', date: '2025-07-02', draft: false }));
    await sync(h);
    expect((await feeds(h)).json.items?.map((i) => i.title)).toEqual(['Harvest Guide', 'Other News']);
    expect((await readJson(h.state, reportKey('guide.md'))).value).toBeNull();
  });

  it('rejects a bad file: report written, the object left in the inbox untouched, the feeds byte-identical', async () => {
    const h = await createHarness(s3);
    await h.upload('good.txt', textArticle({ title: 'Good News', date: '2025-07-03' }));
    await sync(h);
    const before = await h.siteSnapshot();
    const bad = new Uint8Array([0x64, 0x61, 0x74, 0x65, 0xff, 0xfe, 0x00]);
    await h.upload('broken.txt', bad);
    await h.upload('blank.txt', '   \n\n  ');
    await sync(h);
    expect(await h.siteSnapshot()).toEqual(before);
    const stored = await h.inbox.get('broken.txt');
    expect(stored && [...stored.body]).toEqual([...bad]);
    const broken = (await readJson<RejectionReport>(h.state, reportKey('broken.txt'))).value;
    expect(broken).toMatchObject({ key: 'broken.txt', published: 'not-published' });
    expect(broken?.code).toMatch(/invalid-utf8|nul-byte/);
    expect((await readJson<RejectionReport>(h.state, reportKey('blank.txt'))).value?.code).toBe(
      'whitespace-only',
    );
  });

  it('keeps the last good version live when a new version is rejected, and says so in the report', async () => {
    const h = await createHarness(s3);
    await h.upload('story.txt', textArticle({ title: 'The Good Version', date: '2025-07-03' }));
    await sync(h);
    const before = await h.siteSnapshot();
    await h.upload('story.txt', ' date 2025-02-30\n\nImpossible Date\n\nBody.\n');
    await sync(h);
    expect(await h.siteSnapshot()).toEqual(before);
    const report = (await readJson<RejectionReport>(h.state, reportKey('story.txt'))).value;
    expect(report).toMatchObject({ code: 'impossible-date', published: 'last-good-version-kept' });
    await h.remove('story.txt');
    await sync(h);
    expect((await readJson(h.state, reportKey('story.txt'))).value).toBeNull();
    expect((await feeds(h)).json.items).toEqual([]);
  });

  it('decodes keys with spaces, +, % and unicode from form-encoded notification records', async () => {
    const h = await createHarness(s3);
    const keys = ['Café Opening.TXT', 'a+b plus.txt', '100% sure.txt', 'ニュース/東京 1.txt'];
    for (const [i, key] of keys.entries())
      await h.upload(key, textArticle({ title: `Story ${i}`, date: `2025-07-0${i + 1}` }));
    const records = h.takeEvents('notification');
    expect(records.map((r) => JSON.parse(r.body).Records[0].s3.object.key)).toContain('a%2Bb+plus.txt');
    await deliverOneByOne(h, records);
    const { json } = await feeds(h);
    expect(json.items?.map((i) => i.title)).toEqual(['Story 3', 'Story 2', 'Story 1', 'Story 0']);
    for (const key of keys) {
      expect((await readJson<ArticleRecord>(h.state, recordKey(key))).value?.status, key).toBe('published');
    }
  });

  it('acknowledges the S3 test event without failing or writing', async () => {
    const h = await createHarness(s3);
    h.resetCounts();
    const response = await h.deliver([sqsRecord(s3TestEvent(h.buckets.inbox))]);
    expect(response.batchItemFailures).toEqual([]);
    expect(h.site.total() + h.state.total()).toBe(0);
  });

  it('fails only the poison message of a batch; the others are applied', async () => {
    const h = await createHarness(s3);
    await h.upload('one.txt', textArticle({ title: 'One', date: '2025-07-01' }));
    await h.upload('two.txt', textArticle({ title: 'Two', date: '2025-07-02' }));
    const [first, second] = h.takeEvents();
    const poison = sqsRecord('{"detail-type": "Object Created", "source": "aws.s3"');
    if (!first || !second) throw new Error('expected two events');
    const response = await h.deliver([first, poison, second]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.messageId }]);
    expect((await feeds(h)).json.items?.map((i) => i.title)).toEqual(['Two', 'One']);
  });

  it('ignores files that are neither articles nor images, with no failure', async () => {
    const h = await createHarness(s3);
    await h.upload('notes.docx', 'binary-ish');
    const response = await h.deliver(h.takeEvents());
    expect(response.batchItemFailures).toEqual([]);
    expect((await h.siteSnapshot()).size).toBe(0);
    expect(await h.inbox.head('notes.docx')).not.toBeNull();
  });
});

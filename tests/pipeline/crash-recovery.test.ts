/**
 * Crash consistency of the article record (the marker written before a change's first write, the commit
 * after its last), for the changes that are followed by ANOTHER change before the redelivery: a crash in
 * the middle of one change, then the editor acts again, then the next change must leave the site and the
 * state exactly as if nothing had crashed. For every write k of the interrupted change, a lane whose stores
 * die after their kth write (every later request fails, as when the Lambda process is killed; a fresh
 * pipeline handles what comes next) is compared with a clean lane fed the same changes: both buckets must
 * end byte-identical. The stores are real (s3rver through the SDK); only the crash is injected, by a
 * wrapper at the store interface, because the point is to stop at one exact write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectChange } from '../../shared/events/object-change.ts';
import { createPipeline, type Pipeline } from '../../shared/pipeline/pipeline.ts';
import type { ArticleRecord } from '../../shared/pipeline/state.ts';
import type { ObjectStore } from '../../shared/store/object-store.ts';
import { createS3Store } from '../../shared/store/s3-store.ts';
import { markdownArticle, pngBytes, textArticle } from '../factories/articles.ts';
import { type S3TestServer, startS3Server } from '../support/s3-server.ts';
import { FIXED_NOW, SITE } from './harness.ts';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: [] });
});
afterAll(() => s3.stop());

class SimulatedCrash extends Error {}

/** Stores that die after `k` writes (PUT or DELETE): that write and every request after it fail. */
function crashingAfter(k: number) {
  let writes = 0;
  let dead = false;
  const alive = () => {
    if (dead) throw new SimulatedCrash('the process is gone');
  };
  const write = async <T>(send: () => Promise<T>): Promise<T> => {
    alive();
    if (writes >= k) {
      dead = true;
      throw new SimulatedCrash(`crashed after write ${k}`);
    }
    writes++;
    return send();
  };
  const wrap = (inner: ObjectStore): ObjectStore => ({
    get: async (key, options) => {
      alive();
      return inner.get(key, options);
    },
    head: async (key) => {
      alive();
      return inner.head(key);
    },
    list: (prefix, startAfter) => {
      alive();
      return inner.list(prefix, startAfter);
    },
    put: (key, body, options) => write(() => inner.put(key, body, options)),
    delete: (key) => write(() => inner.delete(key)),
  });
  return {
    wrap,
    get writes() {
      return writes;
    },
    get crashed() {
      return dead;
    },
  };
}

type EditorAction =
  | { readonly put: string; readonly body: string | Uint8Array }
  | { readonly remove: string };

interface Scenario {
  readonly name: string;
  /** Published cleanly first. */
  readonly before: readonly EditorAction[];
  /** The change the crash interrupts. */
  readonly interrupted: readonly EditorAction[];
  /** What the editor does before the redelivery; then the key is reconciled again. */
  readonly after: readonly EditorAction[];
  /** What the site must hold at the end (checked on the clean lane, so the oracle is not vacuous). */
  readonly expectPage: boolean;
}

const STORY = textArticle({ title: 'The Story', date: '2025-07-10' });
const STORY_MOVED = textArticle({ title: 'The Story, redated', date: '2025-05-02' });
const GUIDE = markdownArticle({ title: 'The Guide', date: '2025-07-12' });
const GUIDE_DRAFT = markdownArticle({ title: 'The Guide', date: '2025-07-12', draft: true });
const SEEDS: EditorAction[] = [
  { put: 'seed-a.txt', body: textArticle({ title: 'Seed A', date: '2025-07-03' }) },
  { put: 'seed-b.txt', body: textArticle({ title: 'Seed B', date: '2025-05-20' }) },
];

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'a first publish (with a picture), then the file is deleted',
    before: [...SEEDS, { put: 'story.png', body: pngBytes(1) }],
    interrupted: [{ put: 'story.txt', body: STORY }],
    after: [{ remove: 'story.txt' }],
    expectPage: false,
  },
  {
    name: 'an edit that moves the article to another month, then the file is deleted',
    before: [...SEEDS, { put: 'story.txt', body: STORY }],
    interrupted: [{ put: 'story.txt', body: STORY_MOVED }],
    after: [{ remove: 'story.txt' }],
    expectPage: false,
  },
  {
    name: 'a delete, then the very same bytes are uploaded again',
    before: [...SEEDS, { put: 'story.png', body: pngBytes(2) }, { put: 'story.txt', body: STORY }],
    interrupted: [{ remove: 'story.txt' }],
    after: [{ put: 'story.txt', body: STORY }],
    expectPage: true,
  },
  {
    name: 'a draft that takes the article off, then the published version again',
    before: [...SEEDS, { put: 'guide.md', body: GUIDE }],
    interrupted: [{ put: 'guide.md', body: GUIDE_DRAFT }],
    after: [{ put: 'guide.md', body: GUIDE }],
    expectPage: true,
  },
];

let worldNo = 0;

async function createWorld() {
  const n = ++worldNo;
  const inboxBucket = `crash-${n}-inbox`;
  await s3.createBuckets([inboxBucket]);
  const inbox = createS3Store(s3.client, inboxBucket);
  const lanes: { site: string; state: string }[] = [];
  const lane = async () => {
    const buckets = { site: `crash-${n}-${lanes.length}-site`, state: `crash-${n}-${lanes.length}-state` };
    lanes.push(buckets);
    await s3.createBuckets([buckets.site, buckets.state]);
    return {
      buckets,
      pipeline: (wrap: (store: ObjectStore) => ObjectStore = (store) => store): Pipeline =>
        createPipeline({
          inbox: wrap(inbox),
          site: wrap(createS3Store(s3.client, buckets.site)),
          state: wrap(createS3Store(s3.client, buckets.state)),
          siteConfig: SITE,
          now: FIXED_NOW,
        }),
    };
  };
  const act = async (actions: readonly EditorAction[]): Promise<ObjectChange[]> => {
    const changes: ObjectChange[] = [];
    for (const action of actions) {
      if ('put' in action) {
        await inbox.put(action.put, action.body, { contentType: 'text/plain; charset=utf-8' });
        changes.push({ key: action.put, kind: 'upsert', eventTime: '2025-08-01T00:00:00Z' });
      } else {
        await inbox.delete(action.remove);
        changes.push({ key: action.remove, kind: 'remove', eventTime: '2025-08-01T00:00:00Z' });
      }
    }
    return changes;
  };
  return { lane, act };
}

/**
 * Every object of a bucket with its metadata. A record's `firstSeen` is the LastModified of the first version
 * the lane read: a lane whose delete crashed before it wrote anything never saw the file go, so for it a
 * re-upload is the same article, first seen earlier. For a dated article that decides nothing (its
 * published time comes from its date), so there it is left out, as the reliability suite's oracle does.
 */
async function snapshot(bucket: string): Promise<Map<string, string>> {
  const store = createS3Store(s3.client, bucket);
  const out = new Map<string, string>();
  for await (const info of store.list('')) {
    const object = await store.get(info.key);
    if (!object) continue;
    let body = Buffer.from(object.body).toString('utf8');
    if (/^articles\/[0-9a-f]{64}\.json$/.test(info.key)) {
      const record = JSON.parse(body) as ArticleRecord;
      if (record.entry?.article.date) body = JSON.stringify({ ...record, firstSeen: 'dated' });
    }
    out.set(info.key, `${object.contentType} | ${object.cacheControl} | ${body}`);
  }
  return out;
}

const allOk = async (pipeline: Pipeline, changes: readonly ObjectChange[]) => {
  const outcomes = await pipeline.handleChanges(changes);
  expect(outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
};

/** The writes of the interrupted change in a fault-free run: the crash points to sweep. */
async function writesOf(scenario: Scenario): Promise<number> {
  const world = await createWorld();
  const { pipeline } = await world.lane();
  await allOk(pipeline(), await world.act(scenario.before));
  const counter = crashingAfter(Number.POSITIVE_INFINITY);
  await allOk(pipeline(counter.wrap), await world.act(scenario.interrupted));
  return counter.writes;
}

describe('a crash in the middle of a change, then another change before the redelivery', () => {
  it.each(SCENARIOS)(
    '$name: converges whichever write was the last',
    async (scenario) => {
      const writes = await writesOf(scenario);
      expect(writes).toBeGreaterThan(4);

      // One inbox; a clean lane and one lane per crash point, all fed the same changes.
      const world = await createWorld();
      const clean = await world.lane();
      const faulted = await Promise.all(Array.from({ length: writes }, () => world.lane()));
      const everyone = [clean, ...faulted];
      const before = await world.act(scenario.before);
      for (const lane of everyone) await allOk(lane.pipeline(), before);

      const interrupted = await world.act(scenario.interrupted);
      await allOk(clean.pipeline(), interrupted);
      await Promise.all(
        faulted.map(async (lane, k) => {
          const crash = crashingAfter(k);
          const outcomes = await lane.pipeline(crash.wrap).handleChanges(interrupted);
          expect(crash.crashed, `crash after write ${k}`).toBe(true);
          expect(outcomes.some((o) => o.status === 'failed')).toBe(true);
        }),
      );

      // The editor acts before the queue redelivers; the redelivery and the new event come together.
      const after = await world.act(scenario.after);
      for (const lane of everyone) await allOk(lane.pipeline(), [...interrupted, ...after]);

      const expected = {
        site: await snapshot(clean.buckets.site),
        state: await snapshot(clean.buckets.state),
      };
      const page = scenario.after.map((a) => ('put' in a ? a.put : a.remove))[0]?.replace(/\.\w+$/, '');
      expect(expected.site.has(`articles/${page}/index.html`)).toBe(scenario.expectPage);
      expect([...expected.state.keys()].some((key) => key.startsWith('reports/'))).toBe(false);
      for (const [k, lane] of faulted.entries()) {
        const site = await snapshot(lane.buckets.site);
        const state = await snapshot(lane.buckets.state);
        const differing = (a: Map<string, string>, b: Map<string, string>) =>
          [...new Set([...a.keys(), ...b.keys()])].filter((key) => a.get(key) !== b.get(key)).sort();
        expect(
          { site: differing(site, expected.site), state: differing(state, expected.state) },
          `crash after write ${k}/${writes}`,
        ).toEqual({ site: [], state: [] });
      }
    },
    60_000,
  );
});

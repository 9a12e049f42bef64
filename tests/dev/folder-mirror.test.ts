import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FolderMirror, type MirrorChange, startFolderMirror } from '../../shared/dev/folder-mirror.ts';
import type { ObjectStore } from '../../shared/store/object-store.ts';
import { createS3Store } from '../../shared/store/s3-store.ts';
import { type S3TestServer, startS3Server } from '../support/s3-server.ts';

const text = async (store: ObjectStore, key: string) => {
  const object = await store.get(key);
  return object === null ? null : new TextDecoder().decode(object.body);
};
const keys = async (store: ObjectStore) => {
  const out: string[] = [];
  for await (const object of store.list('')) out.push(object.key);
  return out;
};

describe('--watch folder mirror (real s3rver)', () => {
  let s3: S3TestServer;
  let root: string;
  let folder: string;
  let manifestPath: string;
  let inbox: ObjectStore;
  let changes: MirrorChange[];
  let errors: Error[];
  let mirror: FolderMirror | undefined;

  // The timer is parked far away: each test polls by hand, so timing never decides an assertion.
  const start = () => {
    mirror = startFolderMirror({
      dir: folder,
      store: inbox,
      manifestPath,
      intervalMs: 600_000,
      onChange: (change) => changes.push(change),
      onError: (error) => errors.push(error),
    });
    return mirror;
  };

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: ['inbox'] });
    inbox = createS3Store(s3.client, 'inbox');
  });
  afterAll(async () => {
    await s3?.stop();
  });
  beforeEach(async () => {
    await mirror?.close();
    for (const key of await keys(inbox)) await inbox.delete(key);
    root = await mkdtemp(join(tmpdir(), 'dropfeed-watch-'));
    folder = join(root, 'articles');
    manifestPath = join(root, 'data', 'watch.json');
    await mkdir(join(folder, 'sub'), { recursive: true });
    changes = [];
    errors = [];
    return async () => {
      await mirror?.close();
      mirror = undefined;
      await rm(root, { recursive: true, force: true });
    };
  });

  it('first syncs the folder (not dotfiles or editor backups) and leaves foreign inbox objects alone', async () => {
    await writeFile(join(folder, 'a b.txt'), 'Title A\n\nBody.');
    await writeFile(join(folder, 'sub', 'b.md'), '# B');
    await writeFile(join(folder, '.hidden.txt'), 'no');
    await writeFile(join(folder, 'draft.txt~'), 'no');
    await inbox.put('uploaded-by-cli.txt', 'mine');
    await start().ready;
    expect(await keys(inbox)).toEqual(['a b.txt', 'sub/b.md', 'uploaded-by-cli.txt']);
    expect((await inbox.get('sub/b.md'))?.contentType).toBe('text/markdown; charset=utf-8');
    expect((await inbox.get('a b.txt'))?.contentType).toBe('text/plain; charset=utf-8');
  });

  it('uploads a new or edited file once it is stable for two polls, and mirrors deletions', async () => {
    const m = await start();
    await m.ready;
    await writeFile(join(folder, 'new.txt'), 'first draft');
    await m.poll();
    expect(await text(inbox, 'new.txt')).toBeNull();
    await m.poll();
    expect(await text(inbox, 'new.txt')).toBe('first draft');

    await writeFile(join(folder, 'new.txt'), 'second, longer draft');
    await m.poll();
    await m.poll();
    expect(await text(inbox, 'new.txt')).toBe('second, longer draft');

    await inbox.put('foreign.txt', 'not from the folder');
    await rm(join(folder, 'new.txt'));
    await m.poll();
    expect(await keys(inbox)).toEqual(['foreign.txt']);
    expect(changes).toEqual([
      { key: 'new.txt', action: 'upload' },
      { key: 'new.txt', action: 'upload' },
      { key: 'new.txt', action: 'delete' },
    ]);
    expect(errors).toEqual([]);
  });

  it('after a restart, re-uploads nothing unchanged and applies deletions made while it was stopped', async () => {
    await writeFile(join(folder, 'keep.txt'), 'keep');
    await writeFile(join(folder, 'drop.txt'), 'drop');
    await (await start()).ready;
    await mirror?.close();
    changes = [];
    await rm(join(folder, 'drop.txt'));
    await start().ready;
    expect(await keys(inbox)).toEqual(['keep.txt']);
    expect(changes).toEqual([{ key: 'drop.txt', action: 'delete' }]);
  });

  it('a folder that cannot be read deletes nothing', async () => {
    await writeFile(join(folder, 'keep.txt'), 'keep');
    const m = start();
    await m.ready;
    await rm(folder, { recursive: true, force: true });
    await m.poll().catch((error: Error) => errors.push(error));
    expect(await keys(inbox)).toEqual(['keep.txt']);
    expect(errors.map((e) => e.message).join()).toMatch(/ENOENT/);
  });
});

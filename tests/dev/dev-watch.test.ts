import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevRuntime, startDev } from '../../shared/dev/start-dev.ts';
import {
  articleUrl,
  eventually,
  readFeeds,
  textArticle,
  untilInAllFeeds,
  untilInNoFeed,
} from './dev-support.ts';

describe('dropfeed dev --watch DIR, end to end', () => {
  let root: string;
  let folder: string;
  let dev: DevRuntime;
  const lines: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dropfeed-dev-watch-'));
    folder = join(root, 'my-articles');
    await mkdir(folder);
    await writeFile(join(folder, 'already-here.txt'), textArticle('Already Here Before The Start'));
    dev = await startDev({
      dataDir: join(root, 'data'),
      s3Port: 0,
      httpPort: 0,
      watchDir: folder,
      watchIntervalMs: 100,
      samples: false,
      log: (line) => lines.push(line),
    });
  });
  afterAll(async () => {
    await dev?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('the initial sync publishes what the folder already holds', async () => {
    const url = articleUrl(dev.siteUrl, 'already-here.txt');
    await untilInAllFeeds(dev.siteUrl, url, 'already-here.txt published');
    await dev.idle(); // the log line follows the feed write
    expect(lines).toContain('watch: uploaded already-here.txt');
  });

  it('mirrors a new file, an edit and a deletion into the feeds', async () => {
    const key = 'watched-story.txt';
    const url = articleUrl(dev.siteUrl, key);
    await writeFile(join(folder, key), textArticle('Watched Story, First Take'));
    await untilInAllFeeds(dev.siteUrl, url, `${key} published`);

    await writeFile(join(folder, key), textArticle('Watched Story, Second Take With More Words'));
    await eventually(
      async () =>
        (await readFeeds(dev.siteUrl)).json.items.find((item) => item.id === url)?.title ===
        'Watched Story, Second Take With More Words',
      `${key} updated`,
    );

    await rm(join(folder, key));
    await untilInNoFeed(dev.siteUrl, url, `${key} removed`);
    await dev.idle(); // the log line follows the feed write
    expect(lines).toEqual(expect.arrayContaining([`watch: deleted ${key}`, `${key} → removed`]));
  });
});

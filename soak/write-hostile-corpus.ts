/**
 * `node --import tsx soak/write-hostile-corpus.ts DIR`: writes the hostile corpus (tests/fixtures/hostile)
 * into DIR as an inbox folder, to run `dropfeed build DIR --out SITE` and `soak/check-site.ts SITE` on it.
 * Keys that need folders (`../x.txt`) are skipped: a folder cannot hold them; the pipeline tests use them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostileCorpus } from '../tests/fixtures/hostile/corpus.ts';

export async function main(args: readonly string[]): Promise<number> {
  const [dir] = args;
  if (dir === undefined || args.length !== 1) {
    process.stderr.write('usage: node --import tsx soak/write-hostile-corpus.ts DIR\n');
    return 2;
  }
  await mkdir(dir, { recursive: true });
  let written = 0;
  for (const hostile of hostileCorpus()) {
    if (hostile.keyOnly) continue;
    await writeFile(join(dir, hostile.name), hostile.bytes);
    written++;
  }
  process.stdout.write(`wrote ${written} hostile files to ${dir}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));

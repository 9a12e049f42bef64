/**
 * `node --import tsx soak/check-site.ts SITE_DIR`: checks every file of a built site (for example the
 * output of `dropfeed build`) for executable script and dangerous URLs by parsing it: pages with parse5,
 * feeds with saxes / JSON.parse and the HTML inside them again (tests/security/html-safety.ts).
 * Exit code 0: clean; 1: hazards found (each listed); 2: bad usage.
 */
import { stat } from 'node:fs/promises';
import { checkSiteDir } from '../tests/security/html-safety.ts';

export async function main(args: readonly string[]): Promise<number> {
  const [dir, ...rest] = args;
  if (dir === undefined || rest.length > 0 || dir === '--help' || dir === '-h') {
    process.stderr.write('usage: node --import tsx soak/check-site.ts SITE_DIR\n');
    return 2;
  }
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) {
    process.stderr.write(`check-site: '${dir}' is not a directory\n`);
    return 2;
  }
  const { files, hazards } = await checkSiteDir(dir);
  for (const hazard of hazards) process.stdout.write(`${hazard.file}: ${hazard.kind}: ${hazard.detail}\n`);
  const byKind = new Map<string, number>();
  for (const hazard of hazards) byKind.set(hazard.kind, (byKind.get(hazard.kind) ?? 0) + 1);
  const summary = [...byKind].map(([kind, n]) => `${n} ${kind}`).join(', ');
  process.stdout.write(
    `check-site: ${files} files checked, ${hazards.length} hazards${summary ? ` (${summary})` : ''}\n`,
  );
  return hazards.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));

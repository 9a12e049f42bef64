import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support.ts';

const MARKDOWN_LIBRARIES = ['markdown-it', 'sanitize-html', 'yaml'];

/*
 * A fresh Node process, because this one has long since loaded the Markdown libraries. A module resolve hook
 * logs every module the process resolves; markers on the same stream split the log into what loading the
 * parser and parsing a text article resolved, and what the first Markdown article added.
 */
const HOOK = `import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  writeSync(2, 'resolved ' + result.url + '\\n');
  return result;
}`;
const SCRIPT = `import { register } from 'node:module';
import { writeSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
const { parseArticle } = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'shared/article/parse.ts')).href)});
const encode = (text) => new TextEncoder().encode(text);
const text = await parseArticle('a.txt', encode('Title\\n\\nBody.'));
writeSync(2, 'MARK markdown\\n');
const markdown = await parseArticle('a.md', encode('---\\ntitle: T\\n---\\n\\nBody *x*.'));
process.stdout.write(JSON.stringify([text.ok, markdown.ok]));`;

function run(): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', SCRIPT],
      { cwd: repoRoot },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

/** The Markdown libraries among the resolved URLs. */
function librariesIn(log: string): string[] {
  return MARKDOWN_LIBRARIES.filter((name) => log.includes(`/node_modules/${name}/`));
}

describe('Markdown support loads on first use', () => {
  // The Lambda's cold start pays for whatever the parser imports eagerly; a text-only inbox needs none of these.
  it('a text article loads none of the Markdown libraries; the first Markdown article loads them all', async () => {
    const { stdout, stderr } = await run();
    expect(JSON.parse(stdout)).toEqual([true, true]);
    const [beforeMarkdown = '', afterMarkdown = ''] = stderr.split('MARK markdown\n');
    // The hook saw the parser's own modules, or an empty "before" would prove nothing.
    expect(beforeMarkdown).toContain('/shared/article/text-parser.ts');
    expect(librariesIn(beforeMarkdown)).toEqual([]);
    expect(librariesIn(afterMarkdown)).toEqual(MARKDOWN_LIBRARIES);
  });
});

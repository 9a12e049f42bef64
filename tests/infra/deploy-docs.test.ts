/** The construct's documentation cannot drift from its props: every prop has a default and a docs row. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const propsSource = readFileSync(new URL('../../infra/feed-pipeline-props.ts', import.meta.url), 'utf8');
const deployDoc = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const propsInterface = propsSource.slice(propsSource.indexOf('export interface FeedPipelineProps'));
/** Each optional prop with the doc comment right above it. */
const documentedProps = [
  ...propsInterface.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\w+)\?:/g),
].map(([, comment, name]) => ({ name: name ?? '', comment: comment ?? '' }));

describe('FeedPipelineProps documentation', () => {
  it('finds the props it checks', () => {
    expect(documentedProps.map((p) => p.name)).toEqual(
      expect.arrayContaining(['siteTitle', 'customDomain', 'maxConcurrency']),
    );
    expect(documentedProps.length).toBe((propsInterface.match(/readonly \w+\?:/g) ?? []).length);
  });

  it('gives every prop an @default', () => {
    expect(documentedProps.filter((p) => !p.comment.includes('@default')).map((p) => p.name)).toEqual([]);
  });

  it('lists every prop in the props table of the README deploy section', () => {
    expect(
      documentedProps.filter((p) => !deployDoc.includes(`| \`${p.name}\` |`)).map((p) => p.name),
    ).toEqual([]);
  });
});

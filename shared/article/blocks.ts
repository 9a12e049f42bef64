/**
 * A block is a run of non-blank lines. Inside it, line breaks are soft wraps and indentation and tabs carry
 * no meaning, so `text` is the lines joined with single spaces.
 */
export interface Block {
  readonly lines: readonly string[];
  readonly text: string;
}

export function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (lines.length > 0) blocks.push(blockOf(lines));
      lines = [];
    } else {
      lines.push(line);
    }
  }
  if (lines.length > 0) blocks.push(blockOf(lines));
  return blocks;
}

export function blockOf(lines: readonly string[]): Block {
  // Only runs of two or more and tabs need replacing: matching every single space (/[ \t]+/g) made this
  // line a third of the text parser's time, for the same result.
  // And most lines have neither: `includes` finds that out far faster than the regular expression.
  const joined = lines.map((line) => line.trim()).join(' ');
  const text = joined.includes('  ') || joined.includes('\t') ? joined.replace(/[ \t]{2,}|\t/g, ' ') : joined;
  return { lines, text };
}

/** Small inbox files in the article format (ARTICLE-FORMAT.md), built fresh for each use. */

export interface TextArticleFields {
  readonly title: string;
  /** ISO day, or null for an undated article (published at its first upload time). */
  readonly date?: string | null;
  readonly dek?: string;
  readonly paragraphs?: readonly string[];
  readonly author?: string;
}

export function textArticle(fields: TextArticleFields): string {
  const date = fields.date === undefined ? '2025-07-04' : fields.date;
  const paragraphs = fields.paragraphs ?? [
    `${fields.title}: the first paragraph, with enough words to read.`,
  ];
  const [first = '', ...rest] = paragraphs;
  const blocks = [
    ...(date ? [` date ${date}`] : []),
    fields.title,
    ...(fields.dek ? [fields.dek] : []),
    fields.author ? `(${fields.author}, Example News) ${first}` : first,
    ...rest,
    'This article originally appeared at Example News.',
  ];
  return `${blocks.join('\n\n')}\n`;
}

export function markdownArticle(fields: {
  title: string;
  date?: string;
  draft?: boolean;
  body?: string;
}): string {
  const lines = ['---', `title: ${JSON.stringify(fields.title)}`];
  if (fields.date) lines.push(`date: ${fields.date}`);
  if (fields.draft !== undefined) lines.push(`draft: ${fields.draft}`);
  lines.push('---', '', fields.body ?? `The body of *${fields.title}*.`, '');
  return lines.join('\n');
}

/** A tiny valid PNG (1×1), with a marker byte so two images differ. */
export function pngBytes(marker = 0): Uint8Array {
  const base = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  return new Uint8Array([...base, marker]);
}

/** Day `n` (0-based) counted back from 2025-07-31: spreads articles over months, newest first. */
export function dayBefore(n: number, from = Date.UTC(2025, 6, 31)): string {
  return new Date(from - n * 86_400_000).toISOString().slice(0, 10);
}

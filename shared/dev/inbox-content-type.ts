import { IMAGE_TYPES } from '../pipeline/images.ts';

/** The Content-Type an inbox upload gets from its extension (what `aws s3 cp` would guess, with charset). */
const TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  ...IMAGE_TYPES,
};

export function inboxContentType(key: string): string {
  const extension = /\.([^./]+)$/.exec(key)?.[1]?.toLowerCase() ?? '';
  return TYPES[extension] ?? 'application/octet-stream';
}

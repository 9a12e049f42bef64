import { SaxesParser } from 'saxes';

/** A rendered document that must not be published; the message says which file and what is wrong. */
export class MalformedOutputError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`refusing to publish ${path}: ${detail}`);
    this.name = 'MalformedOutputError';
  }
}

/**
 * Parses `xml` with a strict, namespace-aware XML 1.0 parser and throws on the first error, so an
 * ill-formed feed is never written, whatever slipped past the escaping.
 */
export function assertWellFormedXml(path: string, xml: string): void {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let firstError: Error | null = null;
  parser.on('error', (error) => {
    firstError ??= error;
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    firstError ??= error as Error;
  }
  if (firstError) throw new MalformedOutputError(path, (firstError as Error).message);
}

/** The JSON feed must survive a parse and re-serialise unchanged. */
export function assertJsonRoundTrip(path: string, json: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new MalformedOutputError(path, (error as Error).message);
  }
  if (`${JSON.stringify(parsed, null, 2)}\n` !== json) {
    throw new MalformedOutputError(path, 'JSON does not round-trip to the same text');
  }
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectStore } from '../store/object-store.ts';
import { explainListenError } from './embedded-s3.ts';

/**
 * Serves the site bucket the way CloudFront in front of it would: each response is an S3 object with the
 * Content-Type and Cache-Control the pipeline stored on it, so what you see locally is what readers get.
 * `/` and `/articles/x/` map to their `index.html`; a missing page answers the bucket's `404.html` (or a
 * plain one) with status 404.
 */
export interface SiteServerOptions {
  readonly store: ObjectStore;
  readonly port: number;
  readonly onError?: (error: Error, path: string) => void;
}

export interface SiteServer {
  /** `http://localhost:<port>` (the site's base URL in dev). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startSiteServer(options: SiteServerOptions): Promise<SiteServer> {
  const server = createServer((request, response) => {
    serve(options.store, request, response).catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      options.onError?.(failure, request.url ?? '');
      if (!response.headersSent) {
        response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      }
      response.end(`site bucket unreachable: ${failure.message}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(explainListenError(error, options.port, '--http-port')));
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The object key a request path names, or null when the path cannot name one (e.g. `..`). */
export function keyForPath(rawPath: string): string | null {
  const path = rawPath.split('?')[0]?.split('#')[0] ?? '';
  let decoded: string[];
  try {
    decoded = path.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
  if (decoded.some((segment) => segment === '..' || segment === '.' || segment.includes('/'))) return null;
  const key = decoded.join('/').replace(/^\/+/, '');
  return key === '' || key.endsWith('/') ? `${key}index.html` : key;
}

async function serve(store: ObjectStore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    response.end('method not allowed\n');
    return;
  }
  const path = request.url ?? '/';
  const key = keyForPath(path);
  const info = key === null ? null : await store.head(key);
  if (key === null || info === null) {
    // `/articles/x` (no slash) is a folder when `articles/x/index.html` exists: redirect as S3 websites do.
    if (key !== null && !key.endsWith('index.html') && (await store.head(`${key}/index.html`)) !== null) {
      response.writeHead(301, { location: `${path.split('?')[0]}/` });
      response.end();
      return;
    }
    await notFound(store, method, response);
    return;
  }
  const headers: Record<string, string> = {
    'content-type': info.contentType ?? 'application/octet-stream',
    etag: info.etag,
    'last-modified': info.lastModified.toUTCString(),
    'x-content-type-options': 'nosniff',
  };
  if (info.cacheControl !== undefined) headers['cache-control'] = info.cacheControl;
  if (matchesEtag(request.headers['if-none-match'], info.etag)) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  if (method === 'HEAD') {
    response.writeHead(200, { ...headers, 'content-length': String(info.size) });
    response.end();
    return;
  }
  const object = await store.get(key);
  if (object === null) {
    await notFound(store, method, response);
    return;
  }
  // The body and the headers must describe the same version; a write between head and get wins here.
  headers.etag = object.etag;
  headers['content-type'] = object.contentType ?? headers['content-type'] ?? 'application/octet-stream';
  if (object.cacheControl !== undefined) headers['cache-control'] = object.cacheControl;
  response.writeHead(200, { ...headers, 'content-length': String(object.body.byteLength) });
  response.end(object.body);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined || etag === '') return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

const FALLBACK_404 =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>' +
  '<body><h1>Not found</h1><p>Nothing is published at this address. <a href="/">Home</a></p></body></html>\n';

async function notFound(store: ObjectStore, method: string, response: ServerResponse): Promise<void> {
  const page = await store.get('404.html');
  const body = page?.body ?? new TextEncoder().encode(FALLBACK_404);
  response.writeHead(404, {
    'content-type': page?.contentType ?? 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'content-length': String(body.byteLength),
  });
  response.end(method === 'HEAD' ? undefined : body);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyForPath, type SiteServer, startSiteServer } from '../../shared/dev/site-server.ts';
import { createS3Store } from '../../shared/store/s3-store.ts';
import { type S3TestServer, startS3Server } from '../support/s3-server.ts';

describe('site server over the site bucket (real s3rver)', () => {
  let s3: S3TestServer;
  let server: SiteServer;

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: ['site'] });
    const store = createS3Store(s3.client, 'site');
    await store.put('index.html', '<h1>home</h1>', {
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    await store.put('feed.xml', '<rss/>', {
      contentType: 'application/rss+xml; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    await store.put('articles/café-day/index.html', '<p>café</p>', {
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=3600',
    });
    await store.put('media/x.png', new Uint8Array([137, 80, 78, 71]), {
      contentType: 'image/png',
      cacheControl: 'public, max-age=86400',
    });
    server = await startSiteServer({ store, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await s3?.stop();
  });

  it('answers on localhost with the stored Content-Type, Cache-Control and an ETag', async () => {
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
    const response = await fetch(`${server.url}/feed.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await response.text()).toBe('<rss/>');
  });

  it('maps / and /articles/x/ to their index.html, percent-decoding the path', async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toBe('<h1>home</h1>');
    const article = await fetch(`${server.url}/articles/caf%C3%A9-day/`);
    expect(article.status).toBe(200);
    expect(article.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(await article.text()).toBe('<p>café</p>');
  });

  it('redirects a folder without its trailing slash', async () => {
    const response = await fetch(`${server.url}/articles/caf%C3%A9-day`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/articles/caf%C3%A9-day/');
  });

  it('serves binary objects byte for byte', async () => {
    const response = await fetch(`${server.url}/media/x.png`);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([137, 80, 78, 71]);
  });

  it('HEAD gives the headers and length without a body', async () => {
    const response = await fetch(`${server.url}/feed.xml`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('6');
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  it('If-None-Match with the current ETag answers 304', async () => {
    const etag = (await fetch(`${server.url}/feed.xml`)).headers.get('etag') ?? '';
    const response = await fetch(`${server.url}/feed.xml`, { headers: { 'if-none-match': etag } });
    expect(response.status).toBe(304);
    const stale = await fetch(`${server.url}/feed.xml`, { headers: { 'if-none-match': '"0000"' } });
    expect(stale.status).toBe(200);
  });

  it('a missing object is a 404 HTML page; other methods are 405', async () => {
    const missing = await fetch(`${server.url}/articles/nope/`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await missing.text()).toContain('Not found');
    const post = await fetch(`${server.url}/feed.xml`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
  });

  it('paths that climb out of the bucket name no key', () => {
    expect(keyForPath('/../state/x')).toBeNull();
    expect(keyForPath('/a/%2e%2e/b')).toBeNull();
    expect(keyForPath('/a%2Fb')).toBeNull();
    expect(keyForPath('/%E0%A4%A')).toBeNull();
    expect(keyForPath('/feed.json?x=1')).toBe('feed.json');
    expect(keyForPath('/')).toBe('index.html');
  });
});

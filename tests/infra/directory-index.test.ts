/**
 * Runs the exact source CloudFront executes (cloudfront-js-2.0 is a JavaScript subset Node also runs) on
 * viewer-request events shaped as CloudFront sends them.
 */
import { describe, expect, it } from 'vitest';
import { DIRECTORY_INDEX_FUNCTION_CODE } from '../../infra/directory-index.ts';

type ViewerRequest = {
  uri: string;
  method: string;
  querystring: Record<string, unknown>;
  headers: Record<string, unknown>;
};
type Redirect = { statusCode: number; headers: Record<string, { value: string }> };

const handler = new Function(`${DIRECTORY_INDEX_FUNCTION_CODE}\nreturn handler;`)() as (event: {
  request: ViewerRequest;
}) => ViewerRequest | Redirect;

const viewerRequest = (uri: string) => ({
  version: '1.0',
  context: { eventType: 'viewer-request' },
  viewer: { ip: '203.0.113.7' },
  request: {
    method: 'GET',
    uri,
    querystring: {},
    headers: { host: { value: 'news.example.org' } },
    cookies: {},
  },
});

describe('directory-index CloudFront function', () => {
  it.each([
    ['/', '/index.html'],
    ['/articles/cafe-opening/', '/articles/cafe-opening/index.html'],
    ['/articles/cafe-opening-1a2b3c/', '/articles/cafe-opening-1a2b3c/index.html'],
  ])('serves %s from %s', (uri, origin) => {
    expect(handler(viewerRequest(uri))).toMatchObject({ uri: origin, method: 'GET' });
  });

  it.each([
    '/feed.xml',
    '/atom.xml',
    '/feed.json',
    '/index.html',
    '/assets/site.css',
    '/media/cafe-opening.jpg',
  ])('passes the file %s through unchanged', (uri) => {
    expect(handler(viewerRequest(uri))).toMatchObject({ uri });
  });

  it('redirects a directory asked for without its slash, so relative links resolve', () => {
    expect(handler(viewerRequest('/articles/cafe-opening'))).toMatchObject({
      statusCode: 301,
      headers: { location: { value: '/articles/cafe-opening/' } },
    });
  });
});

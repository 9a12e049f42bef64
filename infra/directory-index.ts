/**
 * A CloudFront viewer-request function (cloudfront-js-2.0) that gives the S3 origin directory indexes:
 * `/` and `/articles/<slug>/` are served from `…/index.html`, and a directory asked for without its
 * trailing slash (`/articles/<slug>`) is redirected to it, because the page's relative links only
 * resolve from the slash-terminated URL. Paths whose last segment has a dot are files and pass unchanged.
 *
 * Kept as source text (not a compiled TypeScript function) because CloudFront runs exactly this string;
 * the tests evaluate the same string.
 */
export const DIRECTORY_INDEX_FUNCTION_CODE = `
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
    return request;
  }
  var lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: uri + '/' }, 'cache-control': { value: 'public, max-age=3600' } },
    };
  }
  return request;
}
`.trim();

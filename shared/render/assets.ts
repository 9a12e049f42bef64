/**
 * The site's static assets. They depend on nothing but themselves, so they are constants: the same bytes
 * on every build, cached for a day.
 */

export const SITE_CSS = `:root {
  color-scheme: light dark;
  --text: #1b1b1b;
  --muted: #5a5a5a;
  --accent: #0b5cad;
  --bg: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root { --text: #e8e8e8; --muted: #a8a8a8; --accent: #7fb6ff; --bg: #121212; }
}
* { box-sizing: border-box; }
body {
  margin: 0 auto;
  max-width: 42rem;
  padding: 1rem;
  font: 1.125rem/1.6 Georgia, "Times New Roman", serif;
  color: var(--text);
  background: var(--bg);
}
a { color: var(--accent); }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
h1, h2, .site-header, .meta, .subscribe, figcaption { font-family: system-ui, sans-serif; }
h1 { font-size: 2rem; line-height: 1.2; }
h2 { font-size: 1.25rem; margin-bottom: 0.25rem; }
.site-header { font-weight: bold; padding-bottom: 0.5rem; border-bottom: 1px solid var(--muted); }
.site-header a { text-decoration: none; }
.meta, .credit, .updated { color: var(--muted); font-size: 0.9rem; }
.dek { font-size: 1.25rem; color: var(--muted); }
figure { margin: 1.5rem 0; }
figure img { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: var(--muted); padding-top: 0.25rem; }
.attribution { border-top: 1px solid var(--muted); padding-top: 0.5rem; }
.articles { list-style: none; padding: 0; }
.articles li { margin-bottom: 1.5rem; }
.site-footer { margin-top: 3rem; border-top: 1px solid var(--muted); }
.subscribe h2 { font-size: 1rem; }
.subscribe ul { list-style: none; padding: 0; display: flex; gap: 1rem; }
`;

/**
 * Shows an RSS or Atom feed as a readable page when a browser opens it, while feed readers get the same
 * bytes. XSLT 1.0, the only version browsers run. RSS descriptions are HTML-escaped text, so they are shown
 * with `disable-output-escaping` (honoured by Chromium; Firefox shows the escaped text, still readable).
 */
export const FEED_XSL = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <html>
      <xsl:attribute name="lang">
        <xsl:value-of select="rss/channel/language | atom:feed/@xml:lang"/>
      </xsl:attribute>
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/> (feed)</title>
        <style>
          body { margin: 0 auto; max-width: 42rem; padding: 1rem; font: 1.125rem/1.6 Georgia, serif; }
          .note { background: #fff6d6; color: #1b1b1b; padding: 0.75rem; font-family: system-ui, sans-serif; }
          .meta { color: #5a5a5a; font-size: 0.9rem; font-family: system-ui, sans-serif; }
        </style>
      </head>
      <body>
        <p class="note">This is a web feed. Copy its address into your feed reader to follow
          <xsl:text> </xsl:text><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/>.</p>
        <xsl:apply-templates select="rss/channel | atom:feed"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="channel">
    <h1><a href="{link}"><xsl:value-of select="title"/></a></h1>
    <p><xsl:value-of select="description"/></p>
    <xsl:for-each select="item">
      <article>
        <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
        <p class="meta"><xsl:value-of select="pubDate"/></p>
        <p><xsl:value-of select="description" disable-output-escaping="yes"/></p>
      </article>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="atom:feed">
    <h1><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h1>
    <p><xsl:value-of select="atom:subtitle"/></p>
    <xsl:for-each select="atom:entry">
      <article>
        <h2><a href="{atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
        <p class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
        <p><xsl:value-of select="atom:summary"/></p>
      </article>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
`;

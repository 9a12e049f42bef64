import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderJsonFeed } from '../../shared/render/json-feed.ts';
import { hostileEntry, hostileSite, sampleEntries, site } from './factories.ts';

// `strictRequired` is off for the anyOf(content_html, content_text) rule, which names properties defined a
// level up. RFC 3339 date-time (the profile JSON Feed requires), written out because ajv-formats is not installed.
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  ajv.addFormat('date-time', { validate: (s: string) => RFC_3339.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('uri', { validate: (s: string) => URL.canParse(s) });
  const schema = JSON.parse(
    readFileSync(new URL('../schemas/jsonfeed-1.1.schema.json', import.meta.url), 'utf8'),
  );
  return ajv.compile(schema);
}

describe('JSON Feed 1.1', () => {
  const validate = validator();

  it('the schema is a real check: it refuses the 1.0 shape and an item with no content', () => {
    expect(validate({ version: 'https://jsonfeed.org/version/1', title: 't', items: [] })).toBe(false);
    expect(
      validate({
        version: 'https://jsonfeed.org/version/1.1',
        title: 't',
        items: [{ id: 'x', author: { name: 'a' } }],
      }),
    ).toBe(false);
    expect(
      validate({
        version: 'https://jsonfeed.org/version/1.1',
        title: 't',
        items: [{ id: 'x', date_published: 'May 1' }],
      }),
    ).toBe(false);
  });

  it('validates for the sample feed, the hostile feed and an empty feed', () => {
    for (const [list, config] of [
      [sampleEntries(), site({ imageUrl: 'https://news.example.org/logo.png', author: 'Newsroom' })],
      [[hostileEntry()], hostileSite()],
      [[], site()],
    ] as const) {
      const ok = validate(JSON.parse(renderJsonFeed(list, config)));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('carries the 1.1 members: version URL, feed_url, language, authors, icon', () => {
    const feed = JSON.parse(
      renderJsonFeed(sampleEntries(), site({ imageUrl: 'https://news.example.org/logo.png' })),
    );
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.home_page_url).toBe('https://news.example.org/');
    expect(feed.feed_url).toBe('https://news.example.org/feed.json');
    expect(feed.language).toBe('en-GB');
    expect(feed.authors).toEqual([{ name: 'Example News' }]);
    expect(feed.icon).toBe('https://news.example.org/logo.png');
    expect(feed).not.toHaveProperty('author');
  });

  it('items: id = url, RFC 3339 dates, authors, absolute image only with a lead picture, tags only when given', () => {
    const list = sampleEntries();
    const feed = JSON.parse(renderJsonFeed(list, site()));
    for (const [i, item] of feed.items.entries()) {
      const entry = list[i];
      if (!entry) throw new Error('item without entry');
      expect(item.id).toBe(`https://news.example.org/articles/${entry.slug}/`);
      expect(item.url).toBe(item.id);
      expect(item.date_published).toBe(entry.published);
      expect(item.date_modified).toBe(entry.updated);
      expect(item.date_published).toMatch(RFC_3339);
      expect(item.authors).toHaveLength(1);
      expect(typeof item.content_html).toBe('string');
      expect('image' in item).toBe(entry.image !== null);
      expect('tags' in item).toBe(entry.article.tags.length > 0);
    }
    expect(feed.items.find((i: { image?: string }) => i.image)?.image).toBe(
      'https://news.example.org/media/river-cleanup.jpg',
    );
  });
});

import type { Article, BodyBlock } from '../../shared/article/model.ts';
import { trustedHtml } from '../../shared/html/safe-html.ts';
import type { FeedEntry, PublishedImage, SiteConfig } from '../../shared/render/model.ts';
import { publishTimes, sortEntries } from '../../shared/render/publish-time.ts';
import { resolveSiteConfig } from '../../shared/render/site-config.ts';

/** Small, hand-made renderer inputs. Every call returns fresh objects; tests never mutate shared fixtures. */

export function site(overrides: Partial<SiteConfig> = {}): SiteConfig {
  return resolveSiteConfig({
    baseUrl: 'https://news.example.org',
    title: 'Example News',
    description: 'Local news from the example valley',
    language: 'en-GB',
    maxItems: 50,
    ...overrides,
  });
}

export function article(overrides: Partial<Article> = {}): Article {
  const blocks: BodyBlock[] = [
    { kind: 'paragraph', text: 'More than 300 volunteers waded along the river on Saturday.' },
    {
      kind: 'caption',
      text: 'A volunteer holds up a rotary telephone handset',
      credit: 'Averley Rivers Trust photo',
    },
    { kind: 'paragraph', text: '“We can pull out trolleys all day,” Okoye said.' },
  ];
  return {
    format: 'text',
    slug: 'river-cleanup',
    title: 'Volunteers Pull Two Tonnes of Rubbish From the River',
    date: '2023-05-27',
    dek: 'Shopping trolleys, a moped and a telephone box were among the finds...',
    leadImage: { caption: 'Volunteers haul a trolley from the shallows.', credit: 'Averley Rivers Trust' },
    author: 'Grace Mbeki',
    outlet: 'Averleynews.org',
    blocks,
    attribution: { text: 'This article originally appeared at Averleynews.org.', outlet: 'Averleynews.org' },
    summary: 'Shopping trolleys, a moped and a telephone box were among the finds...',
    tags: [],
    imageRef: null,
    warnings: [],
    ...overrides,
  };
}

export function markdownArticle(overrides: Partial<Article> = {}): Article {
  return article({
    format: 'markdown',
    slug: 'harvest-festival',
    title: 'Harvest Festival Returns',
    date: '2025-09-20',
    dek: 'Cider pressing and a seed swap.',
    leadImage: null,
    author: 'Rosa Lindqvist',
    outlet: null,
    blocks: [
      {
        kind: 'markup',
        text: 'The festival returns with a community cider press.',
        html: trustedHtml('<p>The festival returns with a <strong>community cider press</strong>.</p>'),
      },
    ],
    attribution: null,
    summary: 'Cider pressing and a seed swap.',
    tags: ['local', 'food'],
    ...overrides,
  });
}

export interface EntryOptions {
  readonly key?: string;
  readonly slug?: string;
  readonly firstSeen?: string;
  readonly updated?: string;
  readonly image?: PublishedImage | null;
  readonly article?: Partial<Article>;
}

/** A published entry with times from the real `publishTimes` rule. */
export function entry(options: EntryOptions = {}): FeedEntry {
  const key = options.key ?? 'river-cleanup.txt';
  const slug = options.slug ?? key.replace(/\.[^.]*$/, '');
  const art = article({ slug, ...options.article });
  const { published } = publishTimes(key, art, options.firstSeen ?? '2024-01-01T12:00:00.000Z');
  return {
    key,
    slug,
    published,
    updated: options.updated ?? published,
    article: art,
    image: options.image === undefined ? null : options.image,
  };
}

/** `n` distinct dated entries spread over a few days (several per day, as real inboxes have). */
export function entries(n: number): FeedEntry[] {
  return Array.from({ length: n }, (_, i) =>
    entry({
      key: `story-${String(i).padStart(3, '0')}.txt`,
      article: { title: `Story number ${i}`, date: `2025-03-${String(1 + (i % 5)).padStart(2, '0')}` },
    }),
  );
}

export const JPEG_IMAGE: PublishedImage = {
  path: 'media/river-cleanup.jpg',
  type: 'image/jpeg',
  length: 48213,
};

/**
 * Text built to break naive feed writers: markup, two CDATA terminators, a literal entity, C0 controls,
 * lone surrogates and U+FFFE. Renderers must carry it as inert text and stay well-formed.
 */
export const HOSTILE_TEXT =
  '<script>alert("x")</script> ]]> and again ]]> AT&amp;T & <b>bold</b> \u0001\u0008\u000B\u001F bell\u0007 ' +
  'lone \uD800 high, lone \uDC00 low, \uFFFE nonchar, emoji 🎉 kept';

/** What survives of HOSTILE_TEXT: everything but the characters XML cannot carry. */
export const HOSTILE_TEXT_KEPT =
  '<script>alert("x")</script> ]]> and again ]]> AT&amp;T & <b>bold</b>  bell ' +
  'lone  high, lone  low,  nonchar, emoji 🎉 kept';

export function hostileEntry(): FeedEntry {
  return entry({
    key: 'hostile.txt',
    image: { path: 'media/hostile.png', type: 'image/png', length: 99 },
    article: {
      title: `Title ${HOSTILE_TEXT}`,
      dek: `Dek ${HOSTILE_TEXT}`,
      summary: `Summary ${HOSTILE_TEXT}`,
      author: `Author ${HOSTILE_TEXT}`,
      outlet: `Outlet ${HOSTILE_TEXT}`,
      leadImage: { caption: `Caption ${HOSTILE_TEXT}`, credit: `Credit ${HOSTILE_TEXT}` },
      blocks: [
        { kind: 'paragraph', text: `Paragraph ${HOSTILE_TEXT}` },
        { kind: 'caption', text: `Inline ${HOSTILE_TEXT}`, credit: `By ${HOSTILE_TEXT}` },
      ],
      attribution: { text: `Footer ${HOSTILE_TEXT}`, outlet: 'x' },
      tags: [`tag ${HOSTILE_TEXT}`],
    },
  });
}

export function hostileSite(): SiteConfig {
  return site({
    title: `Site ${HOSTILE_TEXT}`,
    description: `About ${HOSTILE_TEXT}`,
    author: `Ed ${HOSTILE_TEXT}`,
  });
}

/**
 * A small, varied feed in feed order: a text article with a lead picture, a Markdown one with tags, an
 * undated one, one edited after publication, one with only an outlet, one with neither author nor outlet.
 */
export function sampleEntries(): FeedEntry[] {
  const list = [
    entry({ key: 'averley-river-cleanup.txt', image: JPEG_IMAGE }),
    entry({ key: 'harvest-festival.md', article: markdownArticle() }),
    entry({
      key: 'undated-notice.txt',
      firstSeen: '2025-10-02T08:15:42.250Z',
      article: {
        title: 'Road Closure Notice',
        date: null,
        dek: null,
        leadImage: null,
        summary: 'The bridge road closes.',
      },
    }),
    entry({
      key: 'news/edited-story.txt',
      slug: 'edited-story-4d2a1c',
      updated: '2025-08-03T09:30:00Z',
      article: { title: 'Library Reopens After Repairs', date: '2025-08-01' },
    }),
    entry({
      key: 'outlet-only.txt',
      article: { title: 'Wind Farm Approved', date: '2024-11-12', author: null, outlet: 'Dunmore Gazette' },
    }),
    entry({
      key: 'anonymous.txt',
      article: {
        title: 'Night Market Opens',
        date: '2024-11-12',
        author: null,
        outlet: null,
        attribution: null,
      },
    }),
  ];
  return sortEntries(list);
}

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accepted, captions, paragraphs, parseFixture, parseText, rejectionCode } from './support.ts';

const BODY = 'The council met on Monday and agreed the budget.';
const article = async (text: string) => accepted(await parseText('story.txt', text));
/** With a date line, so that any warning comes from the rule under test. */
const dated = (text: string) => article(`date 2025-07-04\n\n${text}`);

describe('date line', () => {
  it.each([
    [' date 2025-07-04 Friday, July 4, 2025', '2025-07-04'],
    ['date 2025-07-04', '2025-07-04'],
    ['DATE\t2025-07-04', '2025-07-04'],
    ['Date:2025-07-04 4 July 2025', '2025-07-04'],
    ['date2024-02-29 Thursday, February 29, 2024', '2024-02-29'],
  ])('reads %j', async (line, date) => {
    const parsed = await article(`${line}\n\nTitle\n\n${BODY}`);
    expect(parsed.date).toBe(date);
    expect(parsed.title).toBe('Title');
    expect(parsed.warnings).toEqual([]);
  });

  it('without a date line, accepts the article undated and warns', async () => {
    const parsed = accepted(await parseFixture(path.join('edge', 'no-date.txt')));
    expect(parsed.date).toBeNull();
    expect(parsed.title).toBe('Harbour Board Freezes Mooring Fees');
    expect(parsed.warnings.join(' ')).toMatch(/no date line/);
  });

  it('rejects an impossible date', async () => {
    const result = await parseFixture(path.join('edge', 'impossible-date.txt'));
    expect(rejectionCode(result)).toBe('impossible-date');
    expect(result.ok ? '' : result.rejection.reason).toContain('2025-02-30');
    expect(rejectionCode(await parseText('x.txt', `date 2023-02-29\n\nTitle\n\n${BODY}`))).toBe(
      'impossible-date',
    );
    expect(rejectionCode(await parseText('x.txt', `date 2025-13-01\n\nTitle\n\n${BODY}`))).toBe(
      'impossible-date',
    );
  });

  it('warns when the date in words disagrees, and keeps the ISO date', async () => {
    const parsed = accepted(await parseFixture(path.join('edge', 'disagreeing-date.txt')));
    expect(parsed.date).toBe('2025-07-04');
    expect(parsed.warnings.join(' ')).toMatch(/disagrees with 2025-07-04/);
    expect((await article(`date 2025-07-04 Friday, June 4, 2025\n\nTitle\n\n${BODY}`)).warnings).toHaveLength(
      1,
    );
  });

  it('does not take a title that starts with "Date" for a date line', async () => {
    const parsed = await article(`Date Night Ideas for a Rainy Weekend\n\n${BODY}`);
    expect(parsed.title).toBe('Date Night Ideas for a Rainy Weekend');
    expect(parsed.date).toBeNull();
  });

  it('keeps a title typed on the line straight after the date', async () => {
    const parsed = await article(`date 2025-07-04\nTitle On The Next Line\n\n${BODY}`);
    expect(parsed.date).toBe('2025-07-04');
    expect(parsed.title).toBe('Title On The Next Line');
  });

  it('reports a non-ISO date line instead of publishing it as the title', async () => {
    const parsed = await article(`date 2025/07/04\n\nTitle\n\n${BODY}`);
    expect(parsed.title).toBe('Title');
    expect(parsed.date).toBeNull();
    expect(parsed.warnings.join(' ')).toMatch(/no ISO date/);
  });
});

describe('title, dek and lead image', () => {
  it('rejects a file with no title', async () => {
    expect(rejectionCode(await parseFixture(path.join('edge', 'missing-title.txt')))).toBe('missing-title');
    expect(rejectionCode(await parseText('x.txt', 'date 2025-07-04\n\nA caption. / IMAGE: Someone'))).toBe(
      'missing-title',
    );
  });

  it('warns about a title so long that the blank line after it is probably missing', async () => {
    const parsed = await dated(`A Title\n${BODY.repeat(5)}\n\n${BODY}`);
    expect(parsed.title.startsWith('A Title The council')).toBe(true);
    expect(parsed.warnings).toEqual([expect.stringMatching(/blank line after it missing/)]);
  });

  it('accepts a title with no body, with a warning', async () => {
    const parsed = accepted(await parseFixture(path.join('edge', 'title-only.txt')));
    expect(parsed.title).toBe('Harbour Board Freezes Mooring Fees');
    expect(parsed.blocks).toEqual([]);
    expect(parsed.warnings.join(' ')).toMatch(/no body/);
  });

  it('a plain block after the title is body unless a caption or the byline follows it', async () => {
    expect((await article(`Title\n\nFirst.\n\nSecond.`)).dek).toBeNull();
    expect((await article(`Title\n\nTeaser...\n\nA photo. / IMAGE: Agency\n\n${BODY}`)).dek).toBe(
      'Teaser...',
    );
    expect((await article(`Title\n\nTeaser\n\n(Ann Lee, Example.comThe council met.`)).dek).toBe('Teaser');
  });

  it('splits the lead image at / IMAGE: in any case and spacing, caption before and credit after', async () => {
    for (const marker of ['/ IMAGE:', '/image:', '/  Image :', '/IMAGE:']) {
      const parsed = await article(`Title\n\nBoats in the harbour. ${marker} Port Authority\n\n${BODY}`);
      expect(parsed.leadImage).toEqual({ caption: 'Boats in the harbour.', credit: 'Port Authority' });
      expect(paragraphs(parsed)).toEqual([BODY]);
    }
  });

  it('does not mistake a URL path for the image marker', async () => {
    const parsed = await article(`Title\n\nSee https://example.com/image:42 for the chart.\n\n${BODY}`);
    expect(parsed.leadImage).toBeNull();
    expect(paragraphs(parsed)).toHaveLength(2);
  });
});

describe('byline', () => {
  it('reads author and outlet closed by a parenthesis', async () => {
    const parsed = await article(`Title\n\n(Ana Souza, The Evening Record) ${BODY}`);
    expect([parsed.author, parsed.outlet, paragraphs(parsed)[0]]).toEqual([
      'Ana Souza',
      'The Evening Record',
      BODY,
    ]);
  });

  it('ends a lost-parenthesis outlet where the footer outlet ends', async () => {
    const parsed = await dated(
      `Title\n\n(Ana Souza, The Evening RecordThe council met.\n\nThis article first ran on The Evening Record.`,
    );
    expect([parsed.author, parsed.outlet, paragraphs(parsed)[0]]).toEqual([
      'Ana Souza',
      'The Evening Record',
      'The council met.',
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it('ends a domain-like outlet where it runs into a capital or a quote', async () => {
    const capital = await article(`Title\n\n(Ana Souza, Eveningrecord.co.ukThe council met.`);
    expect([capital.outlet, paragraphs(capital)[0]]).toEqual(['Eveningrecord.co.uk', 'The council met.']);
    const quote = await dated(`Title\n\n(Ana Souza, Example.org“We won,” she said.`);
    expect([quote.outlet, paragraphs(quote)[0]]).toEqual(['Example.org', '“We won,” she said.']);
    expect(quote.warnings).toEqual([]);
  });

  it('guesses, warns and loses no word when no rule finds the end of the outlet', async () => {
    const parsed = await article(`Title\n\n(Ana Souza, Evening Record council members met.`);
    expect(parsed.author).toBe('Ana Souza');
    expect(parsed.warnings.join(' ')).toMatch(/byline/);
    const words = `${parsed.outlet} ${paragraphs(parsed)[0]}`.split(/\s+/);
    expect(words).toEqual(['Evening', 'Record', 'council', 'members', 'met.']);
  });

  it('only the first body paragraph carries a byline', async () => {
    const parsed = await article(`Title\n\n${BODY}\n\nSecond.\n\n(Ana Souza, Example.comLater text.`);
    expect(parsed.author).toBeNull();
    expect(paragraphs(parsed)).toHaveLength(3);
  });
});

describe('inline captions', () => {
  it('takes / IMAGE: blocks and short credited blocks without closing punctuation', async () => {
    const parsed = await article(
      [
        'Title',
        BODY,
        'A second paragraph, so that the next block is in the body.',
        'The new bridge at dawn. / IMAGE: City Archive',
        'Workers lift the final span into place (Harbour Press/Lena Ortiz)',
        'Crowds on the quay (via Reuters)',
        'More text follows here.',
      ].join('\n\n'),
    );
    expect(captions(parsed)).toEqual([
      { kind: 'caption', text: 'The new bridge at dawn.', credit: 'City Archive' },
      { kind: 'caption', text: 'Workers lift the final span into place', credit: 'Harbour Press/Lena Ortiz' },
      { kind: 'caption', text: 'Crowds on the quay', credit: 'via Reuters' },
    ]);
    expect(paragraphs(parsed)).toEqual([
      BODY,
      'A second paragraph, so that the next block is in the body.',
      'More text follows here.',
    ]);
  });

  it('leaves parentheses mid-paragraph, sentences and long blocks as paragraphs', async () => {
    const notCaptions = [
      'The stalls, known as 屋台 (yatai), were once common.',
      'He thanked the crew and left (Photo Desk).',
      'A short aside at the end (mostly harmless)',
      `${'A very long block of ordinary prose '.repeat(6)}(Some Agency)`,
    ];
    const parsed = await article(['Title', ...notCaptions].join('\n\n'));
    expect(captions(parsed)).toEqual([]);
    expect(paragraphs(parsed)).toEqual(notCaptions.map((text) => text.trim()));
  });
});

describe('attribution footer', () => {
  it.each([
    ['This article originally appeared at Example.com.', 'Example.com'],
    ['This article appeared on Example.com.', 'Example.com'],
    ['This article was first published in The Weekly Ledger.', 'The Weekly Ledger'],
    ['This article was published in The Weekly Ledger.', 'The Weekly Ledger'],
    ['This story first ran on Example.net.', 'Example.net'],
    ['This story originally appeared at Example.com, and is republished with permission.', 'Example.com'],
  ])('%s', async (footer, outlet) => {
    const parsed = await article(`Title\n\n${BODY}\n\n${footer}`);
    expect(parsed.attribution).toEqual({ text: footer, outlet });
    expect(paragraphs(parsed)).toEqual([BODY]);
  });

  it('keeps byline and footer outlets when they differ', async () => {
    const parsed = await article(
      `Title\n\n(Ana Souza, The Record) ${BODY}\n\nThis article originally appeared at Other.org.`,
    );
    expect([parsed.outlet, parsed.attribution?.outlet]).toEqual(['The Record', 'Other.org']);
  });

  it('is only the last block', async () => {
    const footer = 'This article originally appeared at Example.com.';
    const parsed = await article(`Title\n\n${footer}\n\n${BODY}`);
    expect(parsed.attribution).toBeNull();
    expect(paragraphs(parsed)).toEqual([footer, BODY]);
  });
});

describe('summary', () => {
  it('is the dek when there is one', async () => {
    expect((await article(`Title\n\nThe teaser.\n\nA photo. / IMAGE: X\n\n${BODY}`)).summary).toBe(
      'The teaser.',
    );
  });

  it('is a short first paragraph whole', async () => {
    expect((await article(`Title\n\n${BODY}`)).summary).toBe(BODY);
  });

  it('cuts a long first paragraph at a word boundary near 280 characters', async () => {
    const long = 'Harbour officials said the new timetable would start next week. '.repeat(10).trim();
    const summary = (await article(`Title\n\n${long}`)).summary;
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(281);
    expect(summary.length).toBeGreaterThan(200);
    const head = summary.slice(0, -1);
    expect(long.startsWith(head)).toBe(true);
    expect(long.charAt(head.length)).toMatch(/\s|[,;:.]/);
  });

  it('cuts text without spaces at 280 code points, never inside a character', async () => {
    const cjk = '焼きおにぎり🍙'.repeat(60);
    const summary = (await article(`Title\n\n${cjk}`)).summary;
    expect(Array.from(summary)).toHaveLength(281);
    expect(cjk.startsWith(summary.slice(0, -1))).toBe(true);
  });
});

describe('text is text', () => {
  it('keeps markup, CDATA ends and entities as typed, and drops only control characters', async () => {
    const parsed = accepted(await parseFixture(path.join('edge', 'inert-text.txt')));
    expect(parsed.title).toBe('Why <b>Bold</b> Tags & ]]> Stay Text');
    expect(paragraphs(parsed)).toEqual([
      "The markup <script>alert('x')</script> is quoted here, as is a CDATA end ]]> and an entity &amp; and a bell and an escape [0m sequence.",
      'Angle brackets like <p> and </div> must show as typed.',
    ]);
    expect(parsed.warnings.join(' ')).toMatch(/removed 2 control characters/);
  });
});

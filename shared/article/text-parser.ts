import { readAttribution, takeAttribution } from './attribution.ts';
import { type Block, blockOf, splitBlocks } from './blocks.ts';
import { splitByline } from './byline.ts';
import { parenthesisedCaption, splitImageBlock } from './captions.ts';
import { readDateLine } from './date-line.ts';
import { type Article, ArticleRejection, type BodyBlock, type LeadImage } from './model.ts';
import { summarise } from './summary.ts';

/**
 * The wire-format parser (see ARTICLE-FORMAT.md): date line, title, dek, lead image, body with byline and
 * inline captions, attribution footer. It never reinterprets text: `<b>` stays the three characters `<b>`.
 * Throws `ArticleRejection` for a missing title or an impossible date.
 */
export function parseTextArticle(text: string, slug: string): Article {
  const warnings: string[] = [];
  const { found: hasDateLine, date, blocks } = takeDateLine(splitBlocks(text), warnings);
  const [titleBlock, ...afterTitle] = blocks;
  const title = readTitle(titleBlock, hasDateLine, warnings);

  let rest = afterTitle;
  let dek: string | null = null;
  const [first, second] = rest;
  if (first && second && isDekCandidate(first) && (isLeadImageBlock(second) || isBylineBlock(second))) {
    dek = first.text;
    rest = rest.slice(1);
  }
  let leadImage: LeadImage | null = null;
  const imageBlock = rest[0];
  const imageParts = imageBlock ? splitImageBlock(imageBlock.text) : null;
  if (imageParts) {
    leadImage = { caption: imageParts.caption, credit: imageParts.credit };
    rest = rest.slice(1);
  }

  const { body, attribution } = takeAttribution(rest);
  const { blocks: bodyBlocks, author, outlet } = readBody(body, attribution?.outlet ?? null, warnings);
  if (!bodyBlocks.some((block) => block.kind === 'paragraph')) {
    warnings.push('the article has a title but no body paragraphs');
  }
  const firstParagraph = bodyBlocks.find((block) => block.kind === 'paragraph')?.text ?? null;
  return {
    format: 'text',
    slug,
    title,
    date,
    dek,
    leadImage,
    author,
    outlet,
    blocks: bodyBlocks,
    attribution,
    summary: summarise(dek, firstParagraph),
    tags: [],
    imageRef: null,
    warnings,
  };
}

function isBylineBlock(block: Block): boolean {
  return splitByline(block.text, null) !== null;
}

function isLeadImageBlock(block: Block): boolean {
  return splitImageBlock(block.text) !== null;
}

/** Only a plain block can be the dek: not a caption, byline or footer. */
function isDekCandidate(block: Block): boolean {
  return !isLeadImageBlock(block) && !isBylineBlock(block) && readAttribution(block.text) === null;
}

/** Removes the date line (the first line of the first block) and reads it; notes when there is none. */
function takeDateLine(
  blocks: Block[],
  warnings: string[],
): { found: boolean; date: string | null; blocks: Block[] } {
  const [first, ...others] = blocks;
  const dateLine = first ? readDateLine(first.lines[0] ?? '') : null;
  if (!first || !dateLine) {
    warnings.push('no date line: the article will be dated by its first upload time');
    return { found: false, date: null, blocks };
  }
  warnings.push(...dateLine.warnings);
  // A title typed on the line right after the date, with no blank line between, is still the title.
  const remainder = first.lines.slice(1);
  return {
    found: true,
    date: dateLine.date,
    blocks: remainder.length > 0 ? [blockOf(remainder), ...others] : others,
  };
}

/** Titles run to a line or two; a much longer one usually means the blank line after it is missing. */
const LONG_TITLE = 200;

function readTitle(block: Block | undefined, hadDateLine: boolean, warnings: string[]): string {
  if (!block) {
    throw new ArticleRejection(
      'missing-title',
      hadDateLine ? 'the file has a date line but no title after it' : 'the file has no title',
    );
  }
  const notATitle = isLeadImageBlock(block)
    ? 'an image caption'
    : isBylineBlock(block)
      ? 'a byline paragraph'
      : null;
  if (notATitle) {
    throw new ArticleRejection('missing-title', `the article has no title: the first block is ${notATitle}`);
  }
  if (block.text.length > LONG_TITLE) {
    warnings.push(`the title is ${block.text.length} characters long; is the blank line after it missing?`);
  }
  return block.text;
}

/** Body blocks in order: the byline comes off the first, `/ IMAGE:` and credited short blocks are captions. */
function readBody(
  body: readonly Block[],
  footerOutlet: string | null,
  warnings: string[],
): { blocks: BodyBlock[]; author: string | null; outlet: string | null } {
  const blocks: BodyBlock[] = [];
  let author: string | null = null;
  let outlet: string | null = null;
  body.forEach((block, index) => {
    const byline = index === 0 ? splitByline(block.text, footerOutlet) : null;
    if (byline) {
      author = byline.author;
      outlet = byline.outlet;
      if (byline.warning) warnings.push(byline.warning);
      if (byline.paragraph !== '') blocks.push({ kind: 'paragraph', text: byline.paragraph });
      return;
    }
    const caption = splitImageBlock(block.text) ?? parenthesisedCaption(block.text);
    blocks.push(
      caption
        ? { kind: 'caption', text: caption.caption, credit: caption.credit }
        : { kind: 'paragraph', text: block.text },
    );
  });
  return { blocks, author, outlet };
}

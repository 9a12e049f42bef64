import type { Block } from './blocks.ts';
import type { Attribution } from './model.ts';

// `This article originally appeared at X.`, `This story was first published in X.`, `… first ran on X.`
const FOOTER =
  /^this\s+(?:article|story|piece|report|post)\s+(?:was\s+)?(?:(?:first|originally)\s+)?(?:appeared|published|ran)\s+(?:at|on|in|by)\s+(.+?)[.!]?$/iu;
/** A footer is one short sentence; a long last paragraph that happens to start this way is body text. */
const MAX_FOOTER_LENGTH = 300;

/** Reads an attribution footer block; the whole sentence stays as written, the outlet is picked out. */
export function readAttribution(text: string): Attribution | null {
  if (text.length > MAX_FOOTER_LENGTH) return null;
  const named = FOOTER.exec(text)?.[1];
  // `… at Antiwar.com, and is republished with permission.` names Antiwar.com.
  const outlet = named?.split(/,\s/u)[0]?.trim();
  return outlet ? { text, outlet } : null;
}

/** Takes the attribution footer off the end of the body, when the last block is one. */
export function takeAttribution(blocks: readonly Block[]): {
  body: readonly Block[];
  attribution: Attribution | null;
} {
  const last = blocks.at(-1);
  const attribution = last ? readAttribution(last.text) : null;
  return attribution ? { body: blocks.slice(0, -1), attribution } : { body: blocks, attribution: null };
}

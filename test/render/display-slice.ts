import { displayWidth } from '../../src/render/display-width.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The clusters of `line` that lie wholly between display columns [from, to): how a terminal shows them. */
export function displaySlice(line: string, from: number, to: number): string {
  let at = 0;
  let out = '';
  for (const { segment } of segmenter.segment(line)) {
    const w = displayWidth(segment);
    if (at >= from && at + w <= to) out += segment;
    at += w;
  }
  return out;
}

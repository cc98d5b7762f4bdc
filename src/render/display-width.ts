/**
 * How many terminal columns a string takes, and how to cut it to a number of columns, by grapheme
 * cluster (what a reader sees as one character: a letter and its accents, a flag, a family emoji), so a
 * cut never splits a surrogate pair, a combining sequence or a ZWJ sequence.
 *
 * Per cluster, as terminals draw it (the rules of wcwidth and of string-width 7):
 *   - emoji presentation (an Emoji_Presentation character, or any character with VS16 U+FE0F; ZWJ
 *     sequences, skin tones and flags are one cluster): 2
 *   - a cluster that starts with a combining mark or a format character (ZWJ, ZWNJ, U+200B, a variation
 *     selector on its own): 0; marks after a base add nothing
 *   - East Asian Wide or Fullwidth (CJK, kana, Hangul, fullwidth forms): 2
 *   - anything else: 1 (text-presentation pictographs such as © and ↔ are drawn in one column)
 * Colour (SGR escape sequences, which only the palette writes: log text is escaped by clean()) takes none.
 */

// Made on first use: ICU's segmentation data costs every run ~0.5 MB of resident memory once loaded.
let segmenter: Intl.Segmenter | undefined;
const graphemes = (s: string): Intl.Segments => (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(s);
const SGR = /\u001b\[[0-9;]*m/g;
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]/u;

/**
 * East Asian Wide and Fullwidth ranges (first, last, …) of the assigned characters in Unicode 14's
 * EastAsianWidth.txt, with the CJK ideograph blocks and planes 2 and 3 whole, as the file's defaults
 * have them. Newer emoji are wide by Emoji_Presentation, which the regular expression engine knows.
 */
const WIDE: readonly number[] = [
  0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3, 0x25fd, 0x25fe,
  0x2614, 0x2615, 0x2648, 0x2653, 0x267f, 0x267f, 0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be,
  0x26c4, 0x26c5, 0x26ce, 0x26ce, 0x26d4, 0x26d4, 0x26ea, 0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa,
  0x26fd, 0x26fd, 0x2705, 0x2705, 0x270a, 0x270b, 0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e, 0x2753, 0x2755,
  0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf, 0x2b1b, 0x2b1c, 0x2b50, 0x2b50, 0x2b55, 0x2b55,
  0x2e80, 0x2e99, 0x2e9b, 0x2ef3, 0x2f00, 0x2fd5, 0x2ff0, 0x2ffb, 0x3000, 0x303e, 0x3041, 0x3096, 0x3099, 0x30ff,
  0x3105, 0x312f, 0x3131, 0x318e, 0x3190, 0x31e3, 0x31f0, 0x321e, 0x3220, 0x3247, 0x3250, 0x4dbf, 0x4e00, 0xa48c,
  0xa490, 0xa4c6, 0xa960, 0xa97c, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe52, 0xfe54, 0xfe66,
  0xfe68, 0xfe6b, 0xff01, 0xff60, 0xffe0, 0xffe6, 0x16fe0, 0x16fe4, 0x16ff0, 0x16ff1, 0x17000, 0x187f7, 0x18800,
  0x18cd5, 0x18d00, 0x18d08, 0x1aff0, 0x1aff3, 0x1aff5, 0x1affb, 0x1affd, 0x1affe, 0x1b000, 0x1b122, 0x1b150,
  0x1b152, 0x1b164, 0x1b167, 0x1b170, 0x1b2fb, 0x1f004, 0x1f004, 0x1f0cf, 0x1f0cf, 0x1f18e, 0x1f18e, 0x1f191,
  0x1f19a, 0x1f200, 0x1f202, 0x1f210, 0x1f23b, 0x1f240, 0x1f248, 0x1f250, 0x1f251, 0x1f260, 0x1f265, 0x1f300,
  0x1f320, 0x1f32d, 0x1f335, 0x1f337, 0x1f37c, 0x1f37e, 0x1f393, 0x1f3a0, 0x1f3ca, 0x1f3cf, 0x1f3d3, 0x1f3e0,
  0x1f3f0, 0x1f3f4, 0x1f3f4, 0x1f3f8, 0x1f43e, 0x1f440, 0x1f440, 0x1f442, 0x1f4fc, 0x1f4ff, 0x1f53d, 0x1f54b,
  0x1f54e, 0x1f550, 0x1f567, 0x1f57a, 0x1f57a, 0x1f595, 0x1f596, 0x1f5a4, 0x1f5a4, 0x1f5fb, 0x1f64f, 0x1f680,
  0x1f6c5, 0x1f6cc, 0x1f6cc, 0x1f6d0, 0x1f6d2, 0x1f6d5, 0x1f6d7, 0x1f6dd, 0x1f6df, 0x1f6eb, 0x1f6ec, 0x1f6f4,
  0x1f6fc, 0x1f7e0, 0x1f7eb, 0x1f7f0, 0x1f7f0, 0x1f90c, 0x1f93a, 0x1f93c, 0x1f945, 0x1f947, 0x1f9ff, 0x1fa70,
  0x1fa74, 0x1fa78, 0x1fa7c, 0x1fa80, 0x1fa86, 0x1fa90, 0x1faac, 0x1fab0, 0x1faba, 0x1fac0, 0x1fac5, 0x1fad0,
  0x1fad9, 0x1fae0, 0x1fae7, 0x1faf0, 0x1faf6, 0x20000, 0x2fffd, 0x30000, 0x3fffd
];

function isWide(cp: number): boolean {
  if (cp < WIDE[0]!) return false;
  let lo = 0;
  let hi = WIDE.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE[2 * mid]!) hi = mid - 1;
    else if (cp > WIDE[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * True where every code unit is one column and one cluster on its own: printable ASCII, Latin-1 and the
 * Latin extensions below the combining marks (U+0300), general punctuation up to U+2027 ('…', '•'), and
 * box drawing and blocks ('█'). Most text, all of the numbers and times, takes this path.
 */
function isSimple(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if ((c >= 0xa0 && c < 0x300) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2500 && c <= 0x25fc)) continue;
    return false;
  }
  return true;
}

/** The columns one grapheme cluster takes. */
export function clusterWidth(cluster: string): number {
  if (EMOJI_PRESENTATION.test(cluster) ? !cluster.includes('\ufe0e') : cluster.includes('\ufe0f')) return 2;
  if (ZERO_WIDTH.test(cluster)) return 0;
  const cp = cluster.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  return isWide(cp) ? 2 : 1;
}

/** The columns `s` takes on a terminal. */
export function displayWidth(s: string): number {
  if (isSimple(s)) return s.length;
  if (s.includes('\u001b')) {
    s = s.replace(SGR, '');
    if (isSimple(s)) return s.length;
  }
  let width = WIDTHS.get(s);
  if (width !== undefined) return width;
  width = 0;
  for (const { segment } of graphemes(s)) width += clusterWidth(segment);
  if (WIDTHS.size >= MAX_WIDTHS) WIDTHS.clear();
  WIDTHS.set(s, width);
  return width;
}

/**
 * Widths of strings that needed the segmenter (~1 µs a cluster), kept: a table measures each cell twice
 * and a large one repeats its service names and operations on thousands of rows. Bounded, so a log of
 * unique names cannot grow it without end.
 */
const WIDTHS = new Map<string, number>();
const MAX_WIDTHS = 10_000;

/**
 * `s` cut to at most `width` columns, whole clusters only, ending in '…' where anything was cut. A wide
 * cluster that does not fit leaves the result a column short: the caller pads by displayWidth.
 */
export function cutToWidth(s: string, width: number): string {
  if (width <= 0) return '';
  if (isSimple(s)) return s.length <= width ? s : width === 1 ? '…' : s.slice(0, width - 1) + '…';
  if (displayWidth(s) <= width) return s;
  if (width === 1) return '…';
  let out = '';
  let used = 0;
  for (const { segment } of graphemes(s)) {
    const w = clusterWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/** `s` followed by spaces up to `width` columns (padEnd by display width). */
export function padEndWidth(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/** Spaces up to `width` columns, then `s` (padStart by display width). */
export function padStartWidth(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : ' '.repeat(width - w) + s;
}

const SGR_PART = /(\u001b\[[0-9;]*m)/;

/**
 * A finished (possibly coloured) line cut to `width` columns with '…', colour sequences kept and
 * closed: the last guard of every text renderer's rows under `--width`.
 */
export function fitLine(line: string, width: number): string {
  if (line.length <= width && widthAtMost(line) <= width) return line;
  if (displayWidth(line) <= width) return line;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  let styled = false;
  for (const part of line.split(SGR_PART)) {
    if (part.startsWith('\u001b[')) {
      out += part;
      styled = true;
      continue;
    }
    for (const { segment } of graphemes(part)) {
      const w = clusterWidth(segment);
      if (used + w > width - 1) return out + '…' + (styled ? '\u001b[0m' : '');
      out += segment;
      used += w;
    }
  }
  return out;
}

/**
 * A bound that a line's display width never exceeds, in one pass over its code units: a unit below
 * U+1100 (where the wide ranges start), a box-drawing or block character, or half of a surrogate pair
 * takes at most one column; any other unit at most two. A tree's or table's rows (ASCII, │├└, █) fit
 * by it without being segmented (a million-row tree drawn to --width spent seconds in segmenting).
 */
function widthAtMost(line: string): number {
  let n = line.length;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 0x1100 && (c < 0x2500 || c > 0x259f) && (c < 0xd800 || c > 0xdfff)) n++;
  }
  return n;
}

/** Every line of `text` cut to `width` columns (fitLine); the text as it is for an unlimited width. */
export function fitLines(text: string, width: number): string {
  if (width === Infinity) return text;
  return text.split('\n').map((line) => fitLine(line, width)).join('\n');
}

/** fitLines over UTF-8 chunks that each end at the end of a line (a tree's text, tree-text.ts). */
export function* fitChunks(chunks: Iterable<Uint8Array>, width: number): Generator<Uint8Array> {
  if (width === Infinity) return yield* chunks;
  for (const chunk of chunks) {
    yield linesFitBytes(chunk, width) ? chunk : Buffer.from(fitLines(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8'), width));
  }
}

/**
 * Does every line of UTF-8 `b` fit `width` columns by widthAtMost's bound, read from the bytes (no
 * decoding): a character takes one column, two when it is a three-byte one from U+1100 up (lead byte
 * E1–EF) other than box drawing and blocks (E2 94–96), or a four-byte one (lead F0–F4).
 */
function linesFitBytes(b: Uint8Array, width: number): boolean {
  let cols = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x0a) {
      cols = 0;
      continue;
    }
    if ((c & 0xc0) === 0x80) continue; // a continuation byte
    cols += c >= 0xf0 || (c >= 0xe1 && !(c === 0xe2 && b[i + 1]! >= 0x94 && b[i + 1]! <= 0x96)) ? 2 : 1;
    if (cols > width) return false;
  }
  return true;
}

/**
 * Log text is untrusted: a message can carry escape sequences that move the cursor, rewrite the screen,
 * set the window title (OSC), hide text or reverse its direction (bidi overrides, "Trojan Source"). Every
 * string that came from a log is passed through `clean` before it reaches a terminal renderer, and such
 * characters are shown as visible escapes (`\x1b`, `\u202e`) so the reader sees that they were there.
 * Invisible characters that let two different names print alike (zero-width characters, tag
 * characters) are shown escaped too (`\u200b`, `\u{e0041}`).
 */

// C0 controls except none (tab and newline are escaped too: one entry is one row), DEL, C1 controls,
// bidi embeddings/overrides/isolates, the line/paragraph separators that break rows, the zero-width
// space, joiners (a ZWJ inside an emoji sequence excepted) and word joiner, the BOM (zero-width no-break space), and the tag characters
// U+E0000–U+E007F (a surrogate pair: high U+DB40, low U+DC00–U+DC7F).
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]/g;

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  switch (code) {
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
  }
  if (ch.length === 2) return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A ZWJ between two emoji joins them into one (👩‍👩‍👧): shown as is; anywhere else it is invisible. */
const EMOJI_BEFORE = /\p{Extended_Pictographic}(?:\ufe0f|\p{Emoji_Modifier})?$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;

/** Is the ZWJ at text[offset] between two emoji? */
export function joinsEmoji(text: string, offset: number): boolean {
  return EMOJI_BEFORE.test(text.slice(Math.max(0, offset - 4), offset)) && EMOJI_AFTER.test(text.slice(offset + 1, offset + 3));
}

function escapeAt(ch: string, offset: number, text: string): string {
  if (ch === '\u200d' && joinsEmoji(text, offset)) return ch;
  return escapeChar(ch);
}

export function clean(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escapeAt) : text;
}

/** `clean` line by line: a diagnostic's own line breaks kept, anything else escaped. */
export function cleanLines(text: string): string {
  return text.includes('\n') ? text.split('\n').map(clean).join('\n') : clean(text);
}

/** For values of unknown type from a log (attribute values): a string, safe to print. */
export function cleanValue(v: unknown): string {
  if (typeof v === 'string') return clean(v);
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    try {
      return clean(JSON.stringify(v) ?? '');
    } catch {
      return '[unprintable]';
    }
  }
  return clean(String(v));
}

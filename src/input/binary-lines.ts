// A line of binary data — a protobuf or compressed file, random bytes — is not text any layout could
// read: its bytes are dense in C0 control characters and in what UTF-8 decoding replaced (U+FFFD). Such a
// line, when no layout found a trace id in it, is skipped as binary rather than counted as a log line
// without a trace id: random bytes hold `=` and spaces, which logfmt and text layouts would take.

/** The skip reason of such a line, with what is read instead of the likeliest binary input. */
export const BINARY_REASON = 'binary data, not text (OTLP protobuf is not read; OTLP/JSON is)';

/** At least this many binary characters in a line, and at least one in BINARY_SHARE of its characters. */
const MIN_BINARY_CHARS = 2;
const BINARY_SHARE = 16;

/**
 * C0 controls but tab, CR and ESC (ANSI colours in text logs are text; a stray control character in a
 * long line is not binary), DEL, and U+FFFD.
 */
function isBinaryChar(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x1b) || c === 0x7f || c === 0xfffd;
}

/** Is `text` (one line, decoded as UTF-8) binary data rather than text? */
export function looksBinary(text: string): boolean {
  const need = Math.max(MIN_BINARY_CHARS, Math.ceil(text.length / BINARY_SHARE));
  let found = 0;
  for (let i = 0; i < text.length; i++) {
    if (isBinaryChar(text.charCodeAt(i)) && ++found >= need) return true;
  }
  return false;
}

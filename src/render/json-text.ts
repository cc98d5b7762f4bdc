/**
 * JSON text that is as safe to print as the text output (sanitize.ts). JSON.stringify escapes C0 controls
 * but writes DEL, the C1 controls (U+0080–U+009F: U+009B is an 8-bit CSI that starts an escape sequence on
 * many terminals), bidi marks, embeddings, overrides and isolates, and U+2028/U+2029 as they are. In JSON
 * text these can stand only inside strings, where `\uXXXX` means the same character: the document parses
 * to the same data, and the bytes reaching a terminal act on nothing.
 */
const UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

const escape = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `json` (JSON text, one document or many lines of them) with the characters above as `\u` escapes. */
export function terminalSafeJson(json: string): string {
  return UNSAFE.test(json) ? json.replace(UNSAFE_ALL, escape) : json;
}

/** JSON.stringify, terminal-safe: every JSON output goes through this or terminalSafeJson. */
export function stringifyJson(value: unknown): string {
  return terminalSafeJson(JSON.stringify(value));
}

import { joinsEmoji } from './sanitize.js';

/**
 * JSON text that is as safe to print as the text output (sanitize.ts). JSON.stringify escapes C0 controls
 * but writes DEL, the C1 controls (U+0080–U+009F: U+009B is an 8-bit CSI that starts an escape sequence on
 * many terminals), bidi marks, embeddings, overrides and isolates, U+2028/U+2029, and the invisible
 * characters that let two names print alike — zero-width space, joiners (a ZWJ inside an emoji sequence
 * excepted), word joiner, BOM, the tag characters U+E0000–U+E007F — as they are; text output shows the same
 * set escaped (sanitize.ts). In JSON text these can stand only inside strings, where `\uXXXX` means the
 * same character (a tag character as its two surrogates): the document parses to the same data, and the
 * bytes reaching a terminal act on nothing and hide nothing.
 */
const UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

const unit = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

function escape(ch: string, offset: number, text: string): string {
  if (ch === '\u200d' && joinsEmoji(text, offset)) return ch;
  return ch.length === 2 ? unit(ch.charCodeAt(0)) + unit(ch.charCodeAt(1)) : unit(ch.charCodeAt(0));
}

/** `json` (JSON text, one document or many lines of them) with the characters above as `\u` escapes. */
export function terminalSafeJson(json: string): string {
  return UNSAFE.test(json) ? json.replace(UNSAFE_ALL, escape) : json;
}

/** JSON.stringify, terminal-safe: every JSON output goes through this or terminalSafeJson. */
export function stringifyJson(value: unknown): string {
  return terminalSafeJson(JSON.stringify(value));
}

/**
 * A JSON document's text in pieces joined into strings of about CHUNK_CHARS: a document of a 2M-span
 * trace, or of one span with 150,000 log lines of 4 KB, is longer than the longest string V8 makes
 * (2^29 - 24 characters). Each piece is terminal-safe JSON text (stringifyJson) or ASCII punctuation, so
 * the joined text is what JSON.stringify of the whole would give.
 */
export class JsonPieces {
  private parts: string[] = [];
  private chars = 0;

  add(s: string): void {
    this.parts.push(s);
    this.chars += s.length;
  }

  /** An object's JSON without its closing brace, to add more fields to. */
  open(value: Record<string, unknown>): void {
    this.add(stringifyJson(value).slice(0, -1));
  }

  get full(): boolean {
    return this.chars >= CHUNK_CHARS;
  }

  take(): string {
    const s = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    return s;
  }
}

/** About how long a chunk of JSON text is (1 MiB of ASCII). */
const CHUNK_CHARS = 1 << 20;

// Which lines may continue the log line before them (a stack trace's frames and headers, as the JVM,
// Python, Go and .NET print them: shared/guide/LOGGERS.md §10), and where a source may therefore be cut.
//
// The reader of a chunk holds a text line until the next line says whether a stack follows it
// (ingest/source-processor.ts); a chunk that began in the middle of a stack would read its frames as
// lines of their own. So a source is cut into chunks (chunker.ts, cutAtLastLine in open-source.ts) and
// into parts for threads (read-range.ts, lineStartNear) only before a line that cannot continue the one
// before it. The test is on the line alone, wider than the reader's (which also knows the stack so far):
// a cut it refuses only moves, a cut it allows is one the reader would have ended the stack at too.
import { EnvelopeReader, PARTIAL_REACH, stackKey } from './envelopes.js';

const INDENTED = /^[ \t]+\S/;
const HEADERS = /^(?:Caused by: |Suppressed: |Wrapped by: |Traceback \(most recent call last\):|During handling of the above exception|The above exception was the direct cause|goroutine \d+ (?:gp=\S+ m=\S+ mp=\S+ )?\[|Exception in thread "|\.\.\. \d+ (?:more|common frames omitted))/;
/** A JVM exception's first line under a text log line (logback's %ex): `java.lang.IllegalStateException: boom`. */
const JAVA_EXCEPTION = /^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)\b/;
/**
 * Python's last traceback line, not indented, only right after an indented frame: `ValueError: boom`, or
 * a bare exception name (`KeyboardInterrupt`, `raise ValueError`). A bare word without an exception's
 * ending is no such line: a cut may fall before it (a one-word line is common, a message-less custom
 * exception without one of these endings is not).
 */
const PYTHON_LAST = /^[A-Za-z_][\w.]*(?::\s.*|(?<=Error|Exception|Interrupt|Exit|Iteration|Warning))$/;

/**
 * The head a logger writes on each line: a level word (after the line's own time, if any), as Spring
 * Boot, logback, Python logging and logrus' text print it. Behind an envelope that took the time
 * (`kubectl --timestamps`, or a logger's own ISO time that has its shape) the level comes after spaces,
 * so an indented line with such a head is still no stack frame. A line with a head never continues one.
 */
const LOG_HEAD = /^\s*(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\S*\s+)?(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)(?=[\s[:])/;

/** Does a line open with a logger's head (its time and level, or its level)? */
export function opensLogLine(line: string): boolean {
  return LOG_HEAD.test(line);
}

/**
 * Is a line that is not a record the continuation of the log line before it? `stack`: the lines joined
 * so far (Python's last line ends only a traceback, right after an indented frame).
 */
export function continuesStack(line: string, stack: readonly string[]): boolean {
  if (LOG_HEAD.test(line)) return false;
  if (INDENTED.test(line) || HEADERS.test(line) || JAVA_EXCEPTION.test(line)) return true;
  return stack.length > 1 && stack[0]!.startsWith('Traceback') && INDENTED.test(stack[stack.length - 1]!) && PYTHON_LAST.test(line);
}

/**
 * Could this payload (a line without its envelope) continue a stack, whatever came before it? Blank
 * lines too: the reader passes over them with the stack still open.
 */
export function mayContinue(payload: string): boolean {
  if (payload.trim().length === 0) return true;
  if (LOG_HEAD.test(payload)) return false;
  return INDENTED.test(payload) || HEADERS.test(payload) || JAVA_EXCEPTION.test(payload) || PYTHON_LAST.test(payload);
}

const NL = 0x0a;

/**
 * How many lines back a stack line may join the last line of its own prefix (stackKey, envelopes.ts):
 * the lines of other pods between them are fewer than this. The reader lets a line go once this many
 * lines have passed without one that continues it.
 */
export const STACK_REACH = 8;

/**
 * May a source be cut before the line that starts at b[start]? Only when the whole line is in
 * b[start, end), it cannot continue a stack, none of the PARTIAL_REACH lines before it is a partial piece
 * (CRI 'P', a Docker piece without its "\n": the pieces of a line stay together, and the other stream's
 * lines may come between them: envelopes.ts), and no line after it can join a line
 * before it: either every line in the STACK_REACH before it has its prefix (which it ends), or every line
 * in the STACK_REACH from it that may continue has the prefix of a line between (`eof`: b[end] is the end
 * of the source, and no line comes after those).
 */
export function cutsCleanlyBefore(b: Buffer, start: number, end: number, eof = false): boolean {
  const nl = b.indexOf(NL, start);
  if (nl < 0 || nl >= end) return false;
  if (partialPieceBefore(b, start)) return false;
  const reader = new EnvelopeReader();
  const first = judge(reader, b, start, nl);
  if (first === undefined || first.continues) return false;
  return ownPrefixBefore(reader, b, start, first.key) || ownPrefixesAfter(reader, b, nl + 1, end, first.key, eof);
}

/**
 * Does a line wait for its next piece at b[start]: is the last line of some stream among the PARTIAL_REACH
 * lines before it (those of them in b) a partial piece? The reader joins such a piece with a later line of
 * its stream (envelopes.ts), so a source may not be cut there.
 */
export function partialPieceBefore(b: Buffer, start: number): boolean {
  let to = start - 1;
  let seen: string[] | undefined;
  for (let n = 0; n < PARTIAL_REACH && to >= 0; n++) {
    const from = lineStartBefore(b, to);
    const piece = pieceOf(b, from, to);
    if (piece !== undefined && !(seen?.includes(piece.stream) ?? false)) {
      if (piece.partial) return true;
      (seen ??= []).push(piece.stream);
    }
    to = from - 1;
  }
  return false;
}

/**
 * Every one of the STACK_REACH - 1 lines before b[start] has the prefix `key`. A line starting at b[0] may
 * be a piece of one, and what is before it unknown: no answer then.
 */
function ownPrefixBefore(reader: EnvelopeReader, b: Buffer, start: number, key: string): boolean {
  let to = start - 1;
  for (let n = 1; n < STACK_REACH; n++) {
    if (to <= 0) return false;
    const from = lineStartBefore(b, to);
    if (from === 0) return false;
    if (judge(reader, b, from, to)?.key !== key) return false;
    to = from - 1;
  }
  return true;
}

/** Every line in the STACK_REACH - 1 after b[from] that may continue has the prefix of a line from the cut on. */
function ownPrefixesAfter(reader: EnvelopeReader, b: Buffer, from: number, end: number, key: string, eof: boolean): boolean {
  let keys: string[] | undefined;
  for (let n = 1; n < STACK_REACH; n++) {
    if (eof && from >= end) return true;
    let nl = b.indexOf(NL, from);
    if (eof && (nl < 0 || nl >= end)) nl = end;
    else if (nl < 0 || nl >= end) return false;
    const line = judge(reader, b, from, nl);
    if (line === undefined) return false;
    if (line.key !== key && !(keys?.includes(line.key) ?? false)) {
      if (line.continues) return false;
      (keys ??= []).push(line.key);
    }
    from = nl + 1;
  }
  return true;
}

/**
 * The line b[start, nl) on its own: its stack key and whether it may continue a stack; undefined when its
 * text is unknown (a piece of a longer line).
 */
function judge(reader: EnvelopeReader, b: Buffer, start: number, nl: number): { key: string; continues: boolean } | undefined {
  if (nl > start && b[nl - 1] === 0x0d) nl--;
  // A bare JSON object (the usual line) is decided by its first byte, without decoding it.
  if (b[start] === 0x7b /* { */ && b.toString('latin1', start, start + 7) !== '{"log":') return BARE_JSON;
  const u = reader.unwrap(b.toString('utf8', start, nl));
  // A partial piece opens its line: its own text decides.
  const payload = u.kind === 'payload' ? u.payload : u.kind === 'partial' ? reader.flush() : undefined;
  if (payload === undefined) return undefined;
  return { key: u.kind === 'payload' ? stackKey(u.info) : '', continues: mayContinue(payload) };
}

const BARE_JSON = { key: '', continues: false };

/**
 * The start of the last line in (from, at] (`at` a line start) before which the source may be cut
 * (cutsCleanlyBefore, the line judged on b[…, end)); -1 when there is none.
 */
export function lastCleanCut(b: Buffer, from: number, at: number, end: number): number {
  for (let cut = at; cut > from; cut = Math.max(from, lineStartBefore(b, cut - 1))) {
    if (cutsCleanlyBefore(b, cut, end)) return cut;
  }
  return -1;
}

/** The start of the line that ends at b[nl] (a negative offset would make lastIndexOf search from the end). */
function lineStartBefore(b: Buffer, nl: number): number {
  return nl <= 0 ? 0 : b.lastIndexOf(NL, nl - 1) + 1;
}

/** The start of the first line in (at, end) before which the source may be cut; -1 when there is none. */
export function nextCleanCut(b: Buffer, at: number, end: number): number {
  for (let nl = b.indexOf(NL, at); nl >= 0 && nl + 1 < end; nl = b.indexOf(NL, nl + 1)) {
    if (cutsCleanlyBefore(b, nl + 1, end)) return nl + 1;
  }
  return -1;
}

const DOCKER = Buffer.from('{"log":');
const DOCKER_END = Buffer.from('\\n","');

/** Is the line [from, to) a CRI 'P' piece or a Docker json-file piece without its "\n"? */
export function isPartialPiece(b: Buffer, from: number, to: number): boolean {
  return pieceOf(b, from, to)?.partial ?? false;
}

const STREAM = Buffer.from('"stream":"');

/** The stream of a CRI or Docker json-file line [from, to), and whether it is a partial piece; undefined for any other line. */
function pieceOf(b: Buffer, from: number, to: number): { stream: string; partial: boolean } | undefined {
  // Searched within the line's head only: a search to the end of a chunk for each line would cost a
  // chunk's length per line (partialPieceBefore looks at PARTIAL_REACH lines).
  const head = b.subarray(from, Math.min(to, from + 64));
  const p = head.indexOf(0x20 /* space */, 20);
  if (p > 0 && p < 48 && head[p + 7] === 0x20 && head[p + 9] === 0x20) {
    const stream = head.toString('latin1', p + 1, p + 7);
    const kind = head[p + 8];
    if ((stream === 'stdout' || stream === 'stderr') && (kind === 0x50 /* P */ || kind === 0x46 /* F */)) return { stream, partial: kind === 0x50 };
  }
  const d = head.indexOf(DOCKER);
  if (d < 0) return undefined;
  const e = b.indexOf(DOCKER_END, from + d);
  const at = b.lastIndexOf(STREAM, to);
  const stream = at >= from ? b.toString('latin1', at + STREAM.length, b.indexOf(0x22, at + STREAM.length)) : '';
  return { stream, partial: e < 0 || e >= to };
}

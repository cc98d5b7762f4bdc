// Generators of hostile and broken input for the property tests, and the checks every run must pass.
// Everything here builds *bytes* or *lines* as a log file would hold them; the tests feed them to the
// real program (test/cli/run-cli.ts) and hold it to the invariants of issue 6.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { CliResult } from '../cli/run-cli.js';

/** Runs per property: enough to meet every generator branch many times, cheap enough for 2-core CI. */
export const RUNS = Number(process.env.TRACECTL_PROPERTY_RUNS ?? 150);

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

/** Every text line of every fixture (not the gzipped ones): real-looking material to break. */
export const FIXTURE_LINES: readonly string[] = (() => {
  const out: string[] = [];
  for (const dir of readdirSync(FIXTURES)) {
    let names: string[];
    try {
      names = readdirSync(join(FIXTURES, dir));
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/\.(jsonl|log)$/.test(name)) continue;
      for (const line of readFileSync(join(FIXTURES, dir, name), 'utf8').split('\n')) if (line.length > 0) out.push(line);
    }
  }
  return out;
})();

/** The trace ids of the generated traces, so id-taking commands have something to find. */
export const TRACE_IDS = ['4bf92f3577b34da6a3ce929d0e0e4736', 'a3ce929d0e0e47364bf92f3577b34da6', 'ffff0000000000000000000000000006'] as const;
const SPAN_POOL = ['00f067aa0ba902b7', '53995c3f42cd8ad8', 'b7ad6b7169203331', '0020000000000001', 'e457b5a2e4d86bd1', '05e3ac9a4f6e3b90', '1f2e3d4c5b6a7988', 'c0ffee0000000001'];

/** Characters that break things: terminal controls, bidi overrides, separators, quotes, surrogates. */
export const NASTY_CHARS = ['\u001b', '\u001b[2J', '\u001b]0;pwned\u0007', '\u009b31m', '\u0000', '\u0007', '\r', '\t', '\u007f', '\u0085', '\u202e', '\u2066', '\u2028', '\u2029', '\ufeff', '"', '\\', '{', '}', '[', ']', ',', ':', '\ud800', '\udfff', '💥', 'é'];

const nastyString = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.array(fc.constantFrom(...NASTY_CHARS, 'a', 'b', ' '), { maxLength: 8 }).map((a) => a.join('')),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
);

/** One way to break a line: cut it, insert or delete, or swap a value for something nasty. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: nastyString }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 1, max: 3000 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(line: string, m: Mutation): string {
  const at = line.length === 0 ? 0 : 'at' in m ? m.at % (line.length + 1) : 0;
  switch (m.kind) {
    case 'truncate':
      return line.slice(0, at);
    case 'insert':
      return line.slice(0, at) + m.text + line.slice(at);
    case 'delete':
      return line.slice(0, at) + line.slice(at + m.len);
    case 'flip':
      return line.slice(0, at) + String.fromCharCode(m.byte) + line.slice(at + 1);
    case 'deep':
      // Deep nesting wherever the line opens an object: field lookup must not recurse without bound.
      return line.startsWith('{') ? `{"deep":${'{"a":'.repeat(m.depth)}1${'}'.repeat(m.depth)},${line.slice(1)}` : line;
  }
}

/** A fixture line, broken 0 to 3 times. */
export const mutatedFixtureLine: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...FIXTURE_LINES), fc.array(mutation, { maxLength: 3 }))
  .map(([line, ms]) => ms.reduce(mutate, line));

/** A time written the ways loggers write them, in every unit, some of them nonsense or out of range. */
export const timeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }).map((d) => 1714557610 + d / 1000), // seconds, fractional
  fc.integer({ min: 0, max: 10_000 }).map((d) => 1714557610000 + d), // ms
  fc.integer({ min: 0, max: 10_000_000 }).map((d) => 1714557610000000 + d), // µs
  fc.integer({ min: 0, max: 999_999 }).map((d) => `1714557610000${String(d).padStart(6, '0')}`), // ns string past 2^53
  fc.integer({ min: 0, max: 999_999 }).map((d) => 1714557610000000000 + d * 1000), // ns number (imprecise)
  fc.integer({ min: 0, max: 9_999_999 }).map((d) => `2024-05-01T10:00:${String(10 + (d % 50)).padStart(2, '0')}.${String(d).padStart(7, '0')}Z`),
  fc.constantFrom(0, -1, 1, -1714557610000, 1e30, -1e30, 1e300, 1e308, -1e308, 2 ** 64, 2 ** 53 + 2, '1e308', 'Infinity', '9007199254740993', '1e400', 'NaN', '', 'yesterday', '9999-99-99T99:99:99Z', '0001-01-01T00:00:00Z', '2262-04-11T23:47:16.854775807Z', null, true, [], {}),
);

export interface GenSpan {
  trace: number; // index into TRACE_IDS
  id: number; // index into SPAN_POOL (a small pool: duplicates and cycles come by themselves)
  parent: { kind: 'none' } | { kind: 'pool'; id: number } | { kind: 'self' } | { kind: 'missing' };
  start: unknown;
  durationMs: number; // may be negative
  service: string;
  operation: string;
  error: boolean;
  /** A level name for a line that is no error: real names in odd cases, and hostile text. */
  level: string | undefined;
  attrKey: string;
  attrValue: string;
  asRecord: boolean; // a span record line, else a log line
}

export const genSpan: fc.Arbitrary<GenSpan> = fc.record({
  trace: fc.integer({ min: 0, max: TRACE_IDS.length - 1 }),
  id: fc.integer({ min: 0, max: SPAN_POOL.length - 1 }),
  parent: fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.integer({ min: 0, max: SPAN_POOL.length - 1 }).map((id) => ({ kind: 'pool' as const, id })),
    fc.constant({ kind: 'self' as const }),
    fc.constant({ kind: 'missing' as const }),
  ),
  start: timeValue,
  durationMs: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: -5000, max: -1 }), fc.constantFrom(1e15, -1e15, 0.0001, 1e308, -1e308, 2 ** 64)),
  service: fc.oneof(fc.constantFrom('web', 'api', 'db'), nastyString),
  operation: fc.oneof(fc.constantFrom('GET /x', 'SELECT'), nastyString),
  error: fc.boolean(),
  level: fc.option(fc.oneof(fc.constantFrom('info', 'WARN', 'Warning', 'debug', 'ERROR2', 'fatal'), nastyString), { nil: undefined }),
  attrKey: fc.oneof(fc.constantFrom('authorization', 'http.method', '__proto__', 'password', 'set-cookie'), nastyString),
  attrValue: nastyString,
  asRecord: fc.boolean(),
});

export function spanLine(s: GenSpan): string {
  const traceId = TRACE_IDS[s.trace]!;
  const spanId = SPAN_POOL[s.id]!;
  const parentSpanId = s.parent.kind === 'pool' ? SPAN_POOL[s.parent.id] : s.parent.kind === 'self' ? spanId : s.parent.kind === 'missing' ? 'deadbeefdeadbeef' : undefined;
  if (s.asRecord) {
    const startMs = typeof s.start === 'number' && s.start > 1e11 && s.start < 1e14 ? s.start : typeof s.start === 'number' ? s.start : 1714557610000;
    return JSON.stringify({
      traceId,
      spanId,
      parentSpanId: parentSpanId ?? null,
      name: s.operation,
      serviceName: s.service,
      startTime: startMs,
      // An end past a double's range (JSON would write null) is written as the bare duration: every
      // record keeps numeric times, and the edge value is still given.
      endTime: Number.isFinite(startMs + s.durationMs) ? startMs + s.durationMs : s.durationMs,
      tags: { [s.attrKey]: s.attrValue },
      status: s.error ? { code: 'ERROR', message: s.attrValue } : { code: 'OK' },
    });
  }
  const rec: Record<string, unknown> = { time: s.start, trace_id: traceId, span_id: spanId, service: s.service, msg: s.operation, duration_ms: s.durationMs };
  if (parentSpanId !== undefined) rec.parent_span_id = parentSpanId;
  if (s.error) rec.level = 'error';
  else if (s.level !== undefined) rec.level = s.level;
  // A key set through JSON text, so "__proto__" is an own key as in a real log line.
  return JSON.stringify(rec).slice(0, -1) + `,${JSON.stringify(s.attrKey)}:${JSON.stringify(s.attrValue)}}`;
}

/** The envelopes a log line arrives in: kubectl prefix and timestamps, stern, Docker json-file, CRI. */
export const envelope: fc.Arbitrary<(line: string) => string[]> = fc.oneof(
  fc.constant((l: string) => [l]),
  fc.constant((l: string) => [`[pod/api-7d9f/api] ${l}`]),
  fc.constant((l: string) => [`2024-05-01T10:00:00.123456789Z ${l}`]),
  fc.constant((l: string) => [`api-7d9f api ${l}`]),
  fc.constant((l: string) => [JSON.stringify({ log: `${l}\n`, stream: 'stdout', time: '2024-05-01T10:00:00.1Z' })]),
  fc.integer({ min: 1, max: 40 }).map((cut) => (l: string) => [
    JSON.stringify({ log: l.slice(0, cut), stream: 'stdout', time: '2024-05-01T10:00:00.1Z' }),
    JSON.stringify({ log: `${l.slice(cut)}\n`, stream: 'stdout', time: '2024-05-01T10:00:00.1Z' }),
  ]),
  fc.constant((l: string) => [`2024-05-01T10:00:00.123456789Z stdout F ${l}`]),
  fc.integer({ min: 1, max: 40 }).map((cut) => (l: string) => [`2024-05-01T10:00:00.1Z stdout P ${l.slice(0, cut)}`, `2024-05-01T10:00:00.1Z stdout F ${l.slice(cut)}`]),
  fc.constant((l: string) => [`2024-05-01T10:00:00.1Z stdout P ${l}`]), // a partial with no final piece
  // kubectl --prefix with --timestamps, another pod's prefix, and what may follow a prefix besides JSON.
  fc.constant((l: string) => [`[pod/api-7d9f/api] 2024-05-01T10:00:00.123456789Z ${l}`]),
  fc.constant((l: string) => [`[pod/db-0/db] ${l}`, `[pod/api-7d9f/api] ${l}`]),
  fc.constant((l: string) => [`[pod/api-7d9f/api] 2024-05-01T10:00:00.1Z stdout F ${l}`]),
  fc.constant((l: string) => [`[pod/api-7d9f/api] ${JSON.stringify({ log: `${l}\n`, stream: 'stdout' })}`]),
  fc.constant((l: string) => [`[pod/api-7d9f/api] 2024-05-01T10:00:00Z ${JSON.stringify({ log: `${l}\n`, stream: 'stdout' })}`]),
  fc.constant((l: string) => [`[pod/api-7d9f/api] 2024-05-01 10:00:00 ${l}`, `2024-05-01T10:00:00+02:00 ${l}`]),
);

/** Any line of a hostile log. */
export const hostileLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: genSpan.map(spanLine) },
  { weight: 3, arbitrary: mutatedFixtureLine },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '{', '[', '[pod/x/y] not json', '{"a":1}{"b":2}', 'null', '[]', '[{"traceId":1}]') },
);

/** A whole input: hostile lines in envelopes, joined by LF or CRLF, maybe without a final newline. */
export const hostileInput: fc.Arbitrary<Buffer> = fc
  .record({
    lines: fc.array(fc.tuple(hostileLine, envelope), { maxLength: 25 }),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ lines, crlf, finalNewline, bom }) => {
    const text = lines.flatMap(([l, wrap]) => wrap(l)).join(crlf ? '\r\n' : '\n');
    return Buffer.from((bom ? '\ufeff' : '') + text + (finalNewline && text.length > 0 ? '\n' : ''));
  });

/** Random bytes with newlines sprinkled in (so there are lines to count), or gzip-looking garbage. */
export const randomBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
  fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)), fc.constant(Buffer.from('\n'))), { maxLength: 30 }).map((a) => Buffer.concat(a)),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from(a)])),
);

/** Lines in an input as the splitter counts them: LF-separated, a final piece without LF counts, BOM dropped. */
export function countLines(input: Buffer): number {
  let b = input;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  let n = 0;
  for (const byte of b) if (byte === 0x0a) n++;
  if (b.length > 0 && b[b.length - 1] !== 0x0a) n++;
  return n;
}

export interface Account {
  read: number;
  used: number;
  withoutTrace: number;
  joined: number;
  stack: number;
  notExamined: number;
  skipped: number;
}

const REPORT = /tracectl: ([\d,]+) lines? read from [\d,]+ sources?: ([\d,]+) used, ([\d,]+) without a trace id(?:, ([\d,]+) partial lines joined)?(?:, ([\d,]+) stack-trace lines joined to their log line)?(?:, ([\d,]+) not examined \(cannot hold the id\))?, ([\d,]+) skipped;/;

/** The stderr report line, read back into numbers (undefined when there is none). */
export function parseAccount(stderr: string): Account | undefined {
  const m = REPORT.exec(stderr);
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s.replace(/,/g, '')));
  return { read: n(m[1]), used: n(m[2]), withoutTrace: n(m[3]), joined: n(m[4]), stack: n(m[5]), notExamined: n(m[6]), skipped: n(m[7]) };
}

/** Every command, with a trace id for those that take one (the first generated trace, by prefix). */
export function commandLines(id: string = TRACE_IDS[0].slice(0, 8)): string[][] {
  return [
    ['group'],
    ['group', '--json', '--no-redact'],
    ['tree', id, '--logs'],
    ['tree', id, '--json', '--logs'],
    ['timeline', id],
    ['timeline', id, '--json'],
    ['slowest'],
    ['slowest', '--by', 'span', '--json'],
    ['latency', '--by', 'operation'],
    ['errors'],
    ['errors', '--summary'],
    ['critical-path', id],
    ['services'],
    ['services', '--format', 'dot'],
  ];
}

/**
 * The invariants every run holds, whatever the input: no exception, a documented exit code, no
 * "internal error", and the line account balances and covers every line of the input.
 */
export function expectWellBehaved(r: CliResult, input: Buffer, argv: readonly string[]): void {
  const what = `tracectl ${argv.join(' ')}`;
  expect([0, 1, 2], `${what}: exit code\n${r.stderr}`).toContain(r.code);
  expect(r.stderr, what).not.toContain('internal error');
  expect(r.stderr, what).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
  const account = parseAccount(r.stderr);
  expect(account, `${what}: no line account on stderr\n${r.stderr}`).toBeDefined();
  const a = account!;
  // Gzip (by its magic bytes, whatever the name) is counted in the lines it unpacks to; bad gzip data
  // fails the source, which must say so and exit 2.
  if (input[0] === 0x1f && input[1] === 0x8b) {
    if (r.code === 2) expect(r.stderr, what).toMatch(/gzip/);
  } else expect(a.read, `${what}: lines read vs lines given`).toBe(countLines(input));
  expect(a.used + a.withoutTrace + a.joined + a.stack + a.notExamined + a.skipped, `${what}: account does not balance\n${r.stderr}`).toBe(a.read);
}

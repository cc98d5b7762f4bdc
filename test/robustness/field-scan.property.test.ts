import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { envelope, hostileInput, hostileLine, mutatedFixtureLine, RUNS, timeValue, TRACE_IDS } from './gen.js';

/**
 * Plain JSON log lines are read by the field scanner (src/entries/scan-fields.ts) straight from their
 * bytes; every other line, and every line under TRACECTL_PARSE_ALL=1, through JSON.parse. Whatever the
 * input, every command must print the same with both, the account on stderr included.
 */

/** Keys of the field conventions (and of span formats), with near misses and logger keys. */
const KEYS = [
  'traceId', 'trace_id', 'traceID', 'TraceId', 'trace.id', 'spanId', 'span_id', 'parentSpanId', 'parent_id', 'parentId',
  'service', 'serviceName', 'service.name', 'name', 'hostname', 'pid', 'v', 'level', 'severity', 'severityNumber',
  'time', 'timestamp', 'ts', '@timestamp', 'timeUnixNano', 'msg', 'message', 'body', 'operation', 'method', 'route',
  'url', 'http.method', 'duration', 'duration_ms', 'durationNs', 'duration_us', 'status', 'statusCode', 'error', 'err',
  'event.outcome', 'requestId', 'correlationId', 'traceparent', 'b3', 'attributes', 'resource', 'startTime', 'endTime',
  'id', 'data', 'trace', 'spans', 'transaction', 'log', 'tags', 'traceIdx', 'msgs', 'leve',
  'req', 'request', 'http', 'headers',
];

const id = fc.oneof(
  fc.constantFrom(...TRACE_IDS, TRACE_IDS[0].toUpperCase(), TRACE_IDS[1].slice(16), `0x${TRACE_IDS[2]}`, '00000000000000000000000000000000'),
  fc.constantFrom('00f067aa0ba902b7', '53995c3f42cd8ad8', 'B7AD6B7169203331', ' 00f067aa0ba902b7', 'req-42', ''),
  fc.integer({ min: -5, max: 2 ** 40 }),
);
const text = fc.oneof(
  fc.constantFrom('GET /x', 'payment failed', 'info', 'error', 'ERROR', 'warn', 'failure', 'false', '500', '', 'é💥', 'a\u0000b', 'q"uo\\te', '\u001b[2J'),
  fc.string({ maxLength: 10 }),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: id },
  { weight: 3, arbitrary: timeValue },
  { weight: 3, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, 0, -0, 1e21, 3.5, 500, 30, 50, 17) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('id', 'name', 'service.name', 'message', 'type', 'trace_id', 'seconds', 'nanos', 'traceparent'), fc.oneof(id, text, timeValue), { maxKeys: 3 }) },
  // What pino's `req` and its kin hold: roles inside an object (method, url, route, a request id header),
  // nested again, beside keys nobody reads and integer-like keys (JSON.parse visits those first).
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom('id', 'method', 'url', 'route', 'headers', 'x-request-id', 'headers.x-request-id', 'remoteAddress', '0', '7'),
      fc.oneof(text, id, fc.dictionary(fc.constantFrom('x-request-id', 'host', '1'), fc.oneof(text, id), { maxKeys: 3 })),
      { maxKeys: 5 },
    ),
  },
);
/** Lines whose nested objects the scanner must leave to JSON.parse: a key twice, an escaped key, deep nesting. */
const nestedOddLine = fc.constantFrom(
  `{"traceId":"${TRACE_IDS[0]}","msg":"a","req":{"method":"GET","url":"/a","method":"POST"}}`,
  `{"traceId":"${TRACE_IDS[0]}","msg":"b","req":{"met\\u0068od":"PUT","url":"/b"}}`,
  `{"traceId":"${TRACE_IDS[1]}","msg":"c","req":{"headers":{"x-request-id":"r-1","x-request-id":"r-2"},"method":"GET","url":"/c?q=1"}}`,
  `{"traceId":"${TRACE_IDS[1]}","msg":"d","req":{"url":"/d","method":"DELETE","req":{"method":"X"}},"operation":"op"}`,
  `{"traceId":"${TRACE_IDS[2]}","msg":"e","req":{"7":"x","method":"GET","0":{"a":1},"url":"/e"}}`,
  `{"traceId":"${TRACE_IDS[2]}","msg":"f","req":{"method":null,"url":"/f","route":"/r/:id"}}`,
);
/** A log line of convention keys, written as loggers write them, sometimes with a key given twice or odd blanks. */
const logLine: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { minLength: 1, maxLength: 9 }), fc.constantFrom('', ' ', '\t'), fc.boolean())
  .map(([members, blank, dup]) => {
    const all = dup && members.length > 0 ? [...members, members[0]!] : members;
    return `{${all.map(([k, v]) => `${JSON.stringify(k)}:${blank}${JSON.stringify(v) ?? 'null'}`).join(`,${blank}`)}}`;
  });

/** bunyan and pino records, where `name` is the service only beside the logger's own keys. */
const loggerLine: fc.Arbitrary<string> = fc
  .record(
    { name: fc.constantFrom('web', 'GET /x'), v: fc.constant(0), hostname: fc.constant('h'), pid: fc.constant(1), traceId: id, msg: text, level: fc.constantFrom(30, 50), time: timeValue },
    { requiredKeys: ['traceId', 'name'] },
  )
  .map((r) => JSON.stringify(r));

/**
 * Runs of lines with the same keys in the same order and values of changing kinds (an empty trace id,
 * a number for a string, an object for a service): the scanner's lookup is worked out once per shape
 * of line, and must be redone whenever a kind changes which field wins.
 */
const alikeLines: fc.Arbitrary<string[]> = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 7 }), fc.integer({ min: 2, max: 12 }))
  .chain(([keys, n]) => fc.array(fc.tuple(...keys.map(() => value)), { minLength: n, maxLength: n }).map((rows) => rows.map((vs) => `{${keys.map((k, i) => `${JSON.stringify(k)}:${JSON.stringify(vs[i]) ?? 'null'}`).join(',')}}`)));

const logHeavyInput: fc.Arbitrary<Buffer> = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.tuple(logLine, fc.constant((l: string) => [l])) },
      { weight: 2, arbitrary: fc.tuple(loggerLine, fc.constant((l: string) => [l])) },
      { weight: 2, arbitrary: fc.tuple(fc.oneof(logLine, mutatedFixtureLine), envelope) },
      // A prefix past ASCII: its chars and bytes differ in number, so the payload's bytes start elsewhere.
      { weight: 1, arbitrary: fc.tuple(logLine, fc.constantFrom((l: string) => [`[pod/café-0/x] ${l}`], (l: string) => [`[pod/日本-0/x] 2024-05-01T10:00:00Z ${l}`])) },
      { weight: 1, arbitrary: fc.tuple(hostileLine, envelope) },
      { weight: 2, arbitrary: fc.tuple(alikeLines.map((ls) => ls.join('\n')), fc.constant((l: string) => [l])) },
      { weight: 1, arbitrary: fc.tuple(nestedOddLine, envelope) },
    ),
    { maxLength: 30 },
  )
  .map((lines) => Buffer.from(lines.flatMap(([l, wrap]) => wrap(l)).join('\n') + '\n'));

const COMMANDS: string[][] = [
  ['group', '--json', '--no-redact'],
  ['slowest', '--by', 'span', '--json'],
  ['latency', '--by', 'operation', '--json'],
  ['errors', '--summary'],
  ['tree', TRACE_IDS[0].slice(0, 6), '--json', '--logs'],
  ['services'],
];

describe('field scanner: property', () => {
  it('every command prints the same with the field scanner and with every line through JSON.parse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(logHeavyInput, hostileInput), fc.constantFrom(...COMMANDS), async (input, argv) => {
        const scanned = await runCli(argv, { stdin: input });
        const parsed = await runCli(argv, { stdin: input, env: { NO_COLOR: '1', TRACECTL_PARSE_ALL: '1' } });
        expect(scanned.code).toBe(parsed.code);
        expect(scanned.stdout).toBe(parsed.stdout);
        // tree's account differs by design: its byte search leaves lines "not examined" (id-search test).
        if (argv[0] !== 'tree') expect(scanned.stderr).toBe(parsed.stderr);
      }),
      { numRuns: RUNS * 2 },
    );
  }, 180_000); // ~20 s alone on 2 cores, three times that beside other test files
});

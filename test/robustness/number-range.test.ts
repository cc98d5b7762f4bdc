// Issue 30: numbers at the edges of a double in duration and time fields. A value outside the range its
// field allows (model/time.ts) is as if absent and counted, never turned into NaN, Infinity or null, and
// every µs figure in JSON is a plain integer.
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
/** The edges, as JSON text: numbers JSON.parse turns into huge or lossy doubles, and strings. */
const EDGES = ['1e308', '-1e308', '18446744073709551616', '"NaN"', '"Infinity"', '"1e308"'];
const NUMERIC = new Set(['1e308', '-1e308', '18446744073709551616']);

/** Log lines: the edge as the first line's duration (ms) or time. */
function logLines(field: 'duration' | 'time', v: string): string {
  const first = field === 'duration'
    ? `{"time":"2024-05-01T10:00:00Z","trace_id":"${T}","span_id":"a000000000000001","service":"web","msg":"a","duration":${v}}`
    : `{"time":${v},"trace_id":"${T}","span_id":"a000000000000001","service":"web","msg":"a","duration":3}`;
  return `${first}\n{"time":"2024-05-01T10:00:01Z","trace_id":"${T}","span_id":"b000000000000001","parent_span_id":"a000000000000001","service":"db","msg":"b","duration":5}\n`;
}

/** Span records: the edge as the root's end time and a child's start time. */
function spanRecords(v: string): string {
  const rec = (id: string, parent: string | null, start: string, end: string) =>
    `{"traceId":"${T}","spanId":"${id}","parentSpanId":${parent === null ? 'null' : `"${parent}"`},"name":"op","serviceName":"${parent === null ? 'web' : 'db'}","startTime":${start},"endTime":${end}}`;
  return [rec('a000000000000001', null, '1714557610000', v), rec('b000000000000001', 'a000000000000001', v, '1714557610005'), rec('c000000000000001', 'a000000000000001', '1714557610001', '1714557610004')].join('\n') + '\n';
}

/** Zipkin v2: the edge as a span's timestamp (µs) or duration (µs). */
function zipkin(field: 'timestamp' | 'duration', v: string): string {
  const span = (id: string, parent: string | undefined, ts: string, d: string) =>
    `{"traceId":"${T}","id":"${id}",${parent ? `"parentId":"${parent}",` : ''}"name":"op","timestamp":${ts},"duration":${d},"localEndpoint":{"serviceName":"${parent ? 'db' : 'web'}"}}`;
  return `[${span('a000000000000001', undefined, '1714557610000000', '9000')},${span('b000000000000001', 'a000000000000001', field === 'timestamp' ? v : '1714557610001000', field === 'duration' ? v : '2000')}]\n`;
}

/** OTLP/JSON traces: the edge as a child's end (ns); OTLP logs: as a record's time (ns). */
function otlpTraces(v: string): string {
  const span = (id: string, parent: string, start: string, end: string) =>
    `{"traceId":"${T}","spanId":"${id}","parentSpanId":"${parent}","name":"op","startTimeUnixNano":${start},"endTimeUnixNano":${end}}`;
  return `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web"}}]},"scopeSpans":[{"spans":[${span('a000000000000001', '', '"1714557610000000000"', '"1714557610009000000"')},${span('b000000000000001', 'a000000000000001', '"1714557610001000000"', v)}]}]}]}\n`;
}
function otlpLogs(v: string): string {
  const rec = (time: string) => `{"timeUnixNano":${time},"traceId":"${T}","spanId":"a000000000000001","body":{"stringValue":"x"}}`;
  return `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web"}}]},"scopeLogs":[{"logRecords":[${rec('"1714557610000000000"')},${rec(v)}]}]}]}\n`;
}

/** Each input, and the edges it must count as out of range (the others are not numbers it reads). */
const INPUTS: [string, (v: string) => string, string[]][] = [
  ['log duration', (v) => logLines('duration', v), [...NUMERIC]],
  ['log time', (v) => logLines('time', v), [...NUMERIC]],
  ['span record start and end', spanRecords, [...NUMERIC]],
  ['zipkin timestamp', (v) => zipkin('timestamp', v), [...NUMERIC]],
  ['zipkin duration', (v) => zipkin('duration', v), [...NUMERIC]],
  ['otlp span end', otlpTraces, ['1e308', '18446744073709551616']],
  ['otlp log time', otlpLogs, ['1e308', '18446744073709551616']],
];

/** Every number in a JSON value; keys ending in Us must be safe integers. */
function checkNumbers(value: unknown, path: string): void {
  if (value === null) throw new Error(`null at ${path}`);
  if (typeof value === 'number') {
    expect(Number.isFinite(value), path).toBe(true);
    if (/Us$/.test(path)) expect(Number.isSafeInteger(value), `${path} = ${value}`).toBe(true);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => checkNumbers(v, `${path}[${i}]`));
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value as object)) if (k !== 'parentSpanId') checkNumbers(v, k);
}

/** JSON text without its strings and booleans: what is left of numbers and null. */
const bare = (json: string) => json.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/true|false/g, '');

function checkJsonLines(stdout: string): void {
  expect(bare(stdout)).not.toMatch(/null|NaN|Infinity|[eE]/);
  for (const line of stdout.split('\n').filter((l) => l.trim() !== '')) checkNumbers(JSON.parse(line), '');
}

describe('numbers at the edges in duration and time fields (issue 30)', () => {
  describe.each(INPUTS)('%s', (_name, make, counted) => {
    it.each(EDGES)('%s: group, latency, slowest --json and critical-path stay numbers', async (v) => {
      const input = make(v);
      for (const argv of [['group', '--json'], ['latency', '--json'], ['latency', '--by', 'operation', '--json'], ['slowest', '--json'], ['slowest', '--by', 'span', '--json']]) {
        const r = await runCli(argv, { stdin: input });
        expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(0);
        checkJsonLines(r.stdout);
        if (counted.includes(v)) expect(r.stderr).toMatch(/warning: \d+ (durations?|times?) out of range/);
      }
      const cp = await runCli(['critical-path', T.slice(0, 8)], { stdin: input });
      // 1: a root of no length has no critical path (a documented answer, not a failure)
      expect([0, 1], cp.stderr).toContain(cp.code);
      expect(cp.stdout).toContain('critical path of');
      expect(cp.stdout).not.toMatch(/NaN|Infinity|null/);
      const tree = await runCli(['tree', T.slice(0, 8), '--json'], { stdin: input });
      expect(bare(tree.stdout)).not.toMatch(/NaN|Infinity|[eE]/);
    });
  });

  it('an out-of-range duration is as if absent: the span keeps its place, the trace its length', async () => {
    const r = await runCli(['group', '--json'], { stdin: logLines('duration', '1e308') });
    expect(JSON.parse(r.stdout)).toMatchObject({ startUs: 1714557600000000, durationUs: 1_000_000, spans: 2 });
    expect(r.stderr).toContain('warning: 1 duration out of range (over 10^13 µs, ~115 days, either way) read as absent');
  });

  it('is counted once per value, not a warning per line', async () => {
    const lines = Array.from({ length: 50 }, (_, i) =>
      `{"time":"2024-05-01T10:00:00Z","trace_id":"${T}","span_id":"a0000000000000${String(i).padStart(2, '0')}","msg":"x","duration":1e300}`).join('\n');
    const r = await runCli(['group'], { stdin: lines });
    expect(r.stderr).toContain('warning: 50 durations out of range');
    expect(r.stderr.match(/out of range/g)).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { readFixture, project, T0, type Ingested, type Projected } from './ingest-fixture.js';

/**
 * One fixture line per logging convention (fixtures/conventions/*.jsonl), read through the real
 * ingest(). Each table row is [line, expected]: the listed fields must equal these values, and any of
 * them left out of `expected` must be absent from the entry.
 */
type Row = [line: number, expected: Projected];

const DIR = 'fixtures/conventions/';
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const T2 = '0af7651916cd43dd8448eb211c80319c';
const trace = (traceId: string, more: Projected = {}): Projected => ({ traceId, traceIdKind: 'trace', ...more });
const corr = (traceId: string): Projected => ({ traceId, traceIdKind: 'correlation' });

function table(file: string, keys: readonly (keyof Projected)[], rows: Row[], lines = rows.length): void {
  describe(file, () => {
    let got: Ingested;
    it('reads every line, balanced', async () => {
      got = await readFixture(DIR + file);
      expect(got.stats.read).toBe(lines);
      expect(got.entries).toHaveLength(lines);
      expect(got.stats.balanced).toBe(true);
      expect(got.stats.failedSources).toEqual([]);
    });
    it.each(rows)('line %i', (line, expected) => {
      const e = got.byLine.get(line);
      expect(e?.source).toBe(DIR + file);
      expect(project(e, keys)).toEqual(expected);
    });
  });
}

table('trace-id.jsonl', ['traceId', 'traceIdKind', 'spanId', 'parentSpanId'], [
  [1, trace(T, { spanId: '00f067aa0ba902b7' })], // upper case hex is lowercased
  [2, trace(T2, { spanId: 'b7ad6b7169203331' })],
  [3, trace('5b8aa5a2d2c872e8321cf37308d69df2', { spanId: '051581bf3cb55c13' })],
  [4, trace('6e3e2ab9b2b1e0d5a2b5f7c4d9e8f1a0', { spanId: 'a1b2c3d4e5f60718' })], // ECS dotted; transaction.id as span
  [5, trace('7e3e2ab9b2b1e0d5a2b5f7c4d9e8f1a1', { spanId: 'b1b2c3d4e5f60718' })], // ECS nested
  [6, trace('1c5a8d2b3e4f60718293a4b5c6d7e8f9', { spanId: '2c3d4e5f60718293' })], // CLEF @tr/@sp
  [7, trace('0000000000000000112210f47de98115', { spanId: '0db4da5f7ef412b1' })], // dd nested, decimal
  [8, trace('0000000000000000f00016bcc55b3715', { spanId: '4f999e207e6b0200' })], // dd dotted, > 2^63
  [9, trace('7f3a2b1c4d5e6f708192a3b4c5d6e7f8', { spanId: '000000000000004a' })], // GCP
  [10, trace('9a8b7c6d5e4f30211a2b3c4d5e6f7081')], // x-trace-id
  [11, trace(T2, { parentSpanId: 'b7ad6b7169203331' })], // req.headers.traceparent: the caller is the parent
  [12, trace(T, { parentSpanId: '00f067aa0ba902b7' })], // traceparent where no rule names it
  [13, trace('80f198ee56343ba864fe8b2a57d3eff7', { spanId: 'e457b5a2e4d86bd1', parentSpanId: '05e3ac9a4f6e3b90' })], // b3 single
  [14, trace('0000000000000000a3ce929d0e0e4736', { spanId: 'e0e4736a3ce929d0', parentSpanId: 'a3ce929d0e0e4736' })], // X-B3-*, 64-bit padded
  [15, corr('c0a8-42-ord-17')],
  [16, corr('9f1c2b7e-0c4d-4e5f-8a9b-0c1d2e3f4a5b')],
  [17, corr('ee3c4f1a9b2d')],
  [18, trace(T)], // a trace id beats a request id
  [19, corr('req-5678')], // an all-zero trace id is no trace id
  [20, {}],
  [21, trace(T, { spanId: '00f067aa0ba902b7' })], // Python OTel logging: otelTraceID, otelSpanID
  [22, trace(T, { spanId: '00f067aa0ba902b7', parentSpanId: '5fb397be34d26b51' })], // .NET Scopes[].TraceId
  [23, trace(T, { spanId: '00f067aa0ba902b7' })], // Serilog Properties.TraceId
  [24, trace(T, { spanId: '00f067aa0ba902b7' })], // log4j2 JsonLayout contextMap
  [25, trace(T, { spanId: '00f067aa0ba902b7' })], // Logstash layout mdc
  [26, trace(T, { parentSpanId: '00f067aa0ba902b7' })], // nginx $http_traceparent beats $request_id
  [27, corr('5e0b2f6c9d1a4b7e8f3c2d1e0a9b8c7d')], // no header ("-"): the request id
  [28, trace(T, { parentSpanId: '00f067aa0ba902b7' })], // any key ending in traceparent
  [29, trace(T, { spanId: '00f067aa0ba902b7' })], // GELF _traceId, _spanId
]);

table('span-ids.jsonl', ['traceId', 'spanId', 'parentSpanId'], [
  [1, { traceId: T, spanId: '53995c3f42cd8ad8', parentSpanId: '00f067aa0ba902b7' }],
  [2, { traceId: T, spanId: '1b2c3d4e5f607182', parentSpanId: '53995c3f42cd8ad8' }],
  [3, { traceId: T, spanId: '2c3d4e5f60718293', parentSpanId: '1b2c3d4e5f607182' }],
  [4, { traceId: T, spanId: '3d4e5f6071829304', parentSpanId: '2c3d4e5f60718293' }],
  [5, { traceId: T, spanId: '4e5f607182930415' }],
  [6, { traceId: '0000000000000000112210f47de98115', spanId: '0db4da5f7ef412b1' }],
  [7, { traceId: '80f198ee56343ba864fe8b2a57d3eff7', spanId: 'e457b5a2e4d86bd1', parentSpanId: '05e3ac9a4f6e3b90' }],
  [8, { traceId: T, spanId: '5f60718293041526', parentSpanId: '4e5f607182930415' }],
  [9, { traceId: T, spanId: '6071829304152637', parentSpanId: '5f60718293041526' }],
  [10, { traceId: T, spanId: '7182930415263748', parentSpanId: '6071829304152637' }],
  [11, { traceId: T2, spanId: 'e457b5a2e4d86bd1', parentSpanId: 'b7ad6b7169203331' }], // incoming traceparent
  [12, { traceId: T2, spanId: 'b7ad6b7169203331' }], // the header names our own span: no self-parent
  [13, { traceId: T, spanId: 'e457b5a2e4d86bd1' }], // the header is from another trace: not our parent
  [14, { traceId: T, spanId: '8293041526374859' }], // Elastic APM transaction.id
]);

table('service.jsonl', ['service', 'operation'], [
  [1, { service: 'web' }],
  [2, { service: 'worker' }],
  [3, { service: 'cart' }],
  [4, { service: 'catalog' }],
  [5, { service: 'checkout', operation: undefined }],
  [6, { service: 'orders' }], // bunyan name
  [7, { service: 'api' }], // pino name
  [8, { service: 'recommender' }],
  [9, { service: 'billing' }], // dd.service
  [10, { operation: 'ReserveStock' }], // no logger markers: `name` is an operation
  [11, { service: 'first' }], // first in priority; `name` of a logger is no operation
]);

table('time.jsonl', ['time', 'nanos'], [
  [1, { time: T0 + 123000 }],
  [2, { time: T0 + 123000 }],
  [3, { time: T0 + 123456 }], // float seconds read as the decimal they print as
  [4, { time: T0 }],
  [5, { time: T0 + 123456 }],
  [6, { time: T0 + 123456, nanos: 700 }],
  [7, { time: T0 + 123000 }],
  [8, { time: T0 + 123456, nanos: 789 }],
  [9, { time: T0 + 123000 }],
  [10, { time: T0 + 123456, nanos: 789 }], // ns string: exact
  [11, { time: T0 + 123456 }],
  [12, { time: T0 + 123456, nanos: 800 }], // ns number: the double's shortest decimal
  [13, { time: T0 + 500000 }],
  [14, { time: T0 }],
  [15, { time: T0 + 123000 }],
  [16, { time: T0 + 123456, nanos: 789 }],
  [17, { time: T0 + 123456, nanos: 789 }], // GCP {seconds, nanos}
  [18, { time: T0 }],
  [19, {}], // month 13
  [20, {}], // 1e30
  [21, {}],
  [22, { time: T0 + 123000 }], // log4j2 timeMillis
  [23, { time: T0 + 123000 }], // Python asctime, comma before the ms
]);

const lv = (level: Projected['level']): Projected => (level ? { level } : {});
table('level.jsonl', ['level'], [
  [1, lv('trace')], [2, lv('debug')], [3, lv('info')], [4, lv('warn')], [5, lv('error')], [6, lv('fatal')],
  [7, lv('warn')], // logrus "warning"
  [8, lv('fatal')], // zap dpanic
  [9, lv('debug')],
  [10, lv('info')], // Serilog "Information"
  [11, lv('error')], // GCP severity
  [12, lv('error')], // syslog 3
  [13, lv('warn')], [14, lv('error')], [15, lv('fatal')], // OTel
  [16, lv('warn')], [17, lv('error')], // ECS dotted, nested
  [18, lv('warn')], // CLEF @l
  [19, lv('error')], // log15 "eror"
  [20, lv('fatal')], // python CRITICAL
  [21, lv('info')], // "30"
  [22, lv('trace')], [23, lv('trace')],
  [24, lv('error')], // OTel "ERROR2"
  [25, lv(undefined)],
  [26, lv('warn')], // .NET JSON console LogLevel
  [27, lv('error')], [28, lv('info')], // GELF: a syslog severity, 3 and 6 (pino numbers would say trace)
]);

table('message-operation.jsonl', ['message', 'operation'], [
  [1, { message: 'pino msg' }],
  [2, { message: 'winston message' }],
  [3, { message: 'OTel body' }],
  [4, { message: 'OTLP AnyValue body' }],
  [5, { message: 'Processed 17 in 034 ms' }],
  [6, { message: 'Template only 17' }], // CLEF @mt rendered from the event's properties
  [7, { message: 'structlog event' }],
  [8, { message: 'span finished', operation: 'charge-card' }],
  [9, { message: 'otel dotted', operation: 'SELECT orders' }],
  [10, { message: 'otel nested', operation: 'HTTP GET' }],
  [11, { message: 'name without a logger', operation: 'ReserveStock' }],
  [12, { message: 'bunyan name is not an operation' }],
  [13, { message: 'request completed', operation: 'GET /orders/17' }], // query and fragment cut
  [14, { message: 'express-winston', operation: 'POST /checkout' }],
  [15, { message: 'ECS access', operation: 'PUT /cart/17' }],
  [16, { message: 'operation beats method', operation: 'refund' }],
  [17, { message: 'gelf short' }], // GELF short_message
]);

const d = (duration?: number): Projected => (duration === undefined ? {} : { duration });
table('duration.jsonl', ['duration'], [
  [1, d(480_000)], [2, d(12_500)], [3, d(7_000)], [4, d(37_000)], [5, d(250_000)],
  [6, d(250)], [7, d(1_235)],
  [8, d(1_235)], [9, d(2_000_000)], // ECS event.duration is ns
  [10, d(123_000)], [11, d(1_500_000)], [12, d(90_000_000)], [13, d(15_000)], [14, d(1_500)], [15, d(45_000)],
  [16, d()], [17, d()],
  [18, d(4_900_000)], // slog JSON: a time.Duration is integer ns
  [19, d(1_500)], // slog, level WARN+2
  [20, d(1_500_000)], // logrus JSON: ns
  [21, d(1_500)], // zap production: float seconds
  [22, d(123_000)], // nginx request_time: seconds
  [23, d(12_346)], // Traefik JSON Duration: ns
  [24, d(37_000)], // pino with level labels: still ms
  [25, d(1_500)], // zerolog: float ms
  [26, d(12_346)], // Serilog request log Elapsed: ms
  [27, d(42_000)], // logstash-logback access elapsed_time: ms
  [28, d(1_500)], // a unit in the string wins over the logger's
]);

table('error.jsonl', ['error', 'errorMessage', 'httpStatus', 'level', 'stack'], [
  [1, { error: true, errorMessage: 'payment failed', level: 'error' }],
  [2, { error: true, errorMessage: 'upstream timeout' }], // Datadog status
  [3, { error: true, errorMessage: 'HTTP 503', httpStatus: 503, level: 'info' }],
  [4, { error: true, errorMessage: 'PaymentError: card declined', level: 'error' }],
  [5, { error: true, errorMessage: 'java.lang.IllegalStateException: no such order', level: 'error' }],
  // A multi-line exception is the line's stack: the message stays the event's, the exception's line beside it.
  [6, { error: true, errorMessage: 'task crashed (ZeroDivisionError: division by zero)', level: 'error', stack: 'Traceback (most recent call last):\n  File "tasks.py", line 9, in run\nZeroDivisionError: division by zero' }],
  [7, { error: true, errorMessage: 'flagged', level: 'info' }],
  [8, { error: false, level: 'info' }],
  [9, { error: true, errorMessage: 'ECS outcome' }],
  [10, { error: false, httpStatus: 404, level: 'info' }],
  [11, { error: true, errorMessage: 'HTTP 500', httpStatus: 500, level: 'info' }],
  [12, { error: true, errorMessage: 'connect ECONNREFUSED 10.0.0.5:5432', level: 'warn' }],
  [13, { error: true, errorMessage: 'Unhandled exception (System.InvalidOperationException: Sequence contains no elements)', level: 'error', stack: 'System.InvalidOperationException: Sequence contains no elements\n   at Program.Main()' }],
  [14, { error: true, errorMessage: 'out of memory', level: 'fatal' }],
  [15, { error: false, level: 'info' }],
]);

const ALL = ['traceId', 'spanId', 'service', 'time', 'nanos', 'level', 'message', 'operation', 'duration', 'error', 'errorMessage', 'httpStatus'] as const;
table('otel-shaped.jsonl', ALL, [
  [1, { traceId: T, spanId: '00f067aa0ba902b7', service: 'storage', time: T0 + 123456, nanos: 789, level: 'warn', message: 'disk almost full', error: false }],
  [2, { traceId: T2, spanId: 'b7ad6b7169203331', service: 'checkout', time: T0 + 123456, nanos: 789, level: 'error', message: 'payment declined', operation: 'POST /pay', duration: 42_000, error: true, errorMessage: 'payment declined' }],
  [3, { traceId: '5b8aa5a2d2c872e8321cf37308d69df2', spanId: '051581bf3cb55c13', service: 'inventory', time: T0 + 123456, level: 'info', message: 'item reserved', error: false }], // Python's "0x…" ids
  [4, { traceId: '6e3e2ab9b2b1e0d5a2b5f7c4d9e8f1a0', spanId: 'a1b2c3d4e5f60718', service: 'search', level: 'debug', message: 'roles only inside attributes', httpStatus: 503, error: true, errorMessage: 'HTTP 503' }],
  [5, { traceId: T, service: 'attr-svc', message: 'top level wins', error: false }],
]);

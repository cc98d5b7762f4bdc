import { describe, expect, it } from 'vitest';
import { parseLogfmt } from '../../src/entries/parse-logfmt.js';
import { parseTextLine } from '../../src/entries/parse-text-line.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('parseLogfmt', () => {
  it.each([
    ['ts=2025-03-14T09:25:01Z level=info msg=done', { ts: '2025-03-14T09:25:01Z', level: 'info', msg: 'done' }],
    ['level=warn msg="slow \\"call\\" \\u00e9\\n" dur=1.5ms', { level: 'warn', msg: 'slow "call" é\n', dur: '1.5ms' }],
    ['at=info method=GET path="/" connect= service=22ms', { at: 'info', method: 'GET', path: '/', connect: '', service: '22ms' }],
    ['a=1 flag b=2', { a: '1', flag: true, b: '2' }],
    ['a=1 a=2 b=3', { a: '1', b: '3' }], // the first of a repeated key
    ['__proto__=x constructor=y', { ['__proto__']: 'x', constructor: 'y' }],
  ])('%s', (line, record) => {
    const got = parseLogfmt(line);
    expect(got).toEqual(record);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
  });

  it.each([
    'Starting orders v2.3.1 on port 9000', // prose
    'x=1', // one pair
    'the answer is x=1 y=2', // does not start with a pair
    'a="unterminated b=2',
    'a="x"y b=2',
    '',
  ])('not logfmt: %s', (line) => {
    expect(parseLogfmt(line)).toBeUndefined();
  });
});

describe('parseTextLine', () => {
  it.each([
    [`2020-10-21 12:01:16.285  INFO [backend,${T.slice(16)},0b6aaf642574edd3] 289589 --- [nio-9000-exec-1] Example : Hello world!`,
      { trace_id: T.slice(16), span_id: '0b6aaf642574edd3', service: 'backend', time: '2020-10-21 12:01:16.285', level: 'INFO', message: 'Hello world!' }],
    ['2016-02-26 11:15:47.895  INFO [service3,2485ec27856c56f4,1210be13194bfe5,true] 68060 --- [nio-8083-exec-1] c.e.Foo : hi', // Sleuth 1.x: a 15-digit span id
      { trace_id: '2485ec27856c56f4', span_id: '01210be13194bfe5', service: 'service3', time: '2016-02-26 11:15:47.895', level: 'INFO', message: 'hi' }],
    [`2025-01-15T10:15:00.123+01:00  INFO 12345 --- [myapp] [nio-8080-exec-1] [${T}-3425F23BB2432450] c.e.demo.DemoController                  : hello`,
      { trace_id: T, span_id: '3425F23BB2432450', service: 'myapp', time: '2025-01-15T10:15:00.123+01:00', level: 'INFO', message: 'hello' }],
    [`2025-03-05 09:40:04,398 WARNING [root] [example.py:7] [trace_id=${T} span_id=00f067aa0ba902b7 resource.service.name=shop trace_sampled=True] - OTel test`,
      { trace_id: T, span_id: '00f067aa0ba902b7', service: 'shop', time: '2025-03-05 09:40:04,398', level: 'WARNING', message: 'OTel test' }],
    [`10:49:03 INFO  traceId=${T}, parentId=3125c8bee75b7ad6, spanId=58ce77c86dd23457, sampled=true [or.ac.op.TracedResource] (executor-thread-1) hello`,
      { trace_id: T, span_id: '58ce77c86dd23457', parent_id: '3125c8bee75b7ad6', level: 'INFO', message: '[or.ac.op.TracedResource] (executor-thread-1) hello' }],
    [`info: Demo.Worker[0] => SpanId:00f067aa0ba902b7, TraceId:${T}, ParentId:5fb397be34d26b51 hello`,
      { trace_id: T, span_id: '00f067aa0ba902b7', parent_id: '5fb397be34d26b51', level: 'info', message: `info: Demo.Worker[0] => SpanId:00f067aa0ba902b7, TraceId:${T}, ParentId:5fb397be34d26b51 hello` }],
    [`GET /a 200 traceparent 00-${T}-00f067aa0ba902b7-01`, { traceparent: `00-${T}-00f067aa0ba902b7-01`, message: `GET /a 200 traceparent 00-${T}-00f067aa0ba902b7-01` }],
  ])('%s', (line, record) => {
    expect(parseTextLine(line)).toEqual(record);
  });

  // A logger's head (time and level) makes a line a record without ids: counted as a line without a trace id.
  it.each([
    ['2025-03-05 09:40:04,398 WARNING [root] [example.py:7] [trace_id=0 span_id=0 resource.service.name= trace_sampled=False] - OTel test', // no span: "0"
      { time: '2025-03-05 09:40:04,398', level: 'WARNING', message: 'OTel test' }],
    [`2025-01-15T10:15:00.123+01:00  INFO 12345 --- [myapp] [nio-8080-exec-1] [${' '.repeat(49)}] c.e.demo.DemoController : hello`, // Spring's blank correlation
      { service: 'myapp', time: '2025-01-15T10:15:00.123+01:00', level: 'INFO', message: 'hello' }],
  ])('a log line without ids: %s', (line, record) => {
    expect(parseTextLine(line)).toEqual(record);
  });

  it.each([
    'Starting orders v2.3.1 on port 9000',
    '\tat com.example.Foo.bar(Foo.java:10)',
  ])('no trace id: %s', (line) => {
    expect(parseTextLine(line)).toBeUndefined();
  });
});

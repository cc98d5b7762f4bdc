/**
 * Trace ids in plain-text log lines, where the common layouts put them, as a record the role table
 * reads (`trace_id`, `span_id`, `service`, `time`, `level`, `message`); undefined when the line holds no
 * trace id. The shapes (shared/guide/LOGGERS.md §9, each from its project's source):
 *
 *   Sleuth / Micrometer   2020-10-21 12:01:16.285  INFO [backend,0b6aaf642574edd3,0b6aaf642574edd3] 289589 --- [nio-9000-exec-1] Example : Hello
 *   Spring Boot ≥ 3.2     2025-01-15T10:15:00.123+01:00  INFO 12345 --- [myapp] [exec-1] [803b448a…-3425f23b…] c.e.Demo : hello
 *   OTel Python logging   2025-03-05 09:40:04,398 WARNING [root] [example.py:7] [trace_id=4bf9… span_id=00f0… resource.service.name=shop trace_sampled=True] - hello
 *   tokens                … trace_id=4bf9… span_id=…   traceId=…, parentId=…, spanId=…   (Quarkus, logback MDC patterns)
 *   .NET console scopes   => SpanId:00f067aa0ba902b7, TraceId:4bf92f35…, ParentId:5fb397be34d26b51
 *   a W3C traceparent     00-4bf92f35…-00f067aa0ba902b7-01 anywhere in the line
 */
import { opensLogLine } from '../input/continuation.js';

const SLEUTH = /\[([\w.-]*),([0-9a-fA-F]{16}|[0-9a-fA-F]{32}),([0-9a-fA-F]{1,16})(?:,(?:true|false)?)?\]/;
const SPRING_CORRELATION = /\[([0-9a-fA-F]{32})-([0-9a-fA-F]{16})\]/;
const TRACE_TOKEN = /(?:^|[\s[,;(])(?:trace_id|traceId|traceID|TraceId|otelTraceID|trace\.id|dd\.trace_id)[=:]\s?([0-9a-fA-F]{16,32}|\d{1,20})(?![0-9a-zA-Z])/;
const SPAN_TOKEN = /(?:^|[\s[,;(])(?:span_id|spanId|spanID|SpanId|otelSpanID|span\.id|dd\.span_id)[=:]\s?([0-9a-fA-F]{1,16}|\d{1,20})(?![0-9a-zA-Z])/;
const PARENT_TOKEN = /(?:^|[\s[,;(])(?:parent_id|parentId|ParentId|parent_span_id)[=:]\s?([0-9a-fA-F]{16})(?![0-9a-zA-Z])/;
const SERVICE_TOKEN = /(?:^|[\s[,;(])(?:resource\.service\.name|service\.name|otelServiceName|dd\.service)=([\w.-]+)/;
const TRACEPARENT = /(?:^|[^0-9a-fA-F-])(00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})(?![0-9a-fA-F-])/;
const LEADING_TIME = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\s/;
const LEVEL = /(?:^|[\s[])(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL|trce|dbug|info|warn|fail|crit)(?=[\s\]:])/;
/** Spring Boot's application name: `--- [myapp] [thread]` (with a thread bracket after it, as `%esb` writes). */
const SPRING_APP = /\s---\s\[\s*([\w.-]+)\]\s\[/;
/** What is left of a line without a message marker once its time, level and id tokens are cut. */
const PREFIX_TOKENS = /^(?:\d{4}-\d{2}-\d{2}[T ])?\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?\s+|^[A-Za-z]{4,8}\s+|^(?:trace_id|traceId|span_id|spanId|parent_id|parentId|sampled|trace_flags)=[\w-]*,?\s*/;
/** Where the common layouts start the message: Spring's " : ", Python OTel's "] - ". */
const MESSAGE_AFTER = /\s:\s|\]\s-\s/;
const MAX_SCAN = 4096; // ids sit near the start; a huge line is not searched whole

/**
 * The record of a text line: with its ids, or without any when it opens with a logger's head (time and
 * level: an ordinary line written with no trace in scope, e.g. Spring Boot's blank correlation `[   ]`);
 * undefined for other text.
 */
export function parseTextLine(line: string): Record<string, unknown> | undefined {
  const head = line.length > MAX_SCAN ? line.slice(0, MAX_SCAN) : line;
  const record: Record<string, unknown> = {};
  const sleuth = SLEUTH.exec(head);
  const spring = sleuth ? null : SPRING_CORRELATION.exec(head);
  if (sleuth) {
    record.trace_id = sleuth[2];
    record.span_id = sleuth[3]!.padStart(16, '0');
    if (sleuth[1]) record.service = sleuth[1];
  } else if (spring) {
    record.trace_id = spring[1];
    record.span_id = spring[2];
    const app = SPRING_APP.exec(head);
    if (app) record.service = app[1];
  } else {
    const trace = TRACE_TOKEN.exec(head);
    if (trace && !/^0+$/.test(trace[1]!)) {
      record.trace_id = trace[1];
      const span = SPAN_TOKEN.exec(head);
      if (span && !/^0+$/.test(span[1]!)) record.span_id = span[1];
      const parent = PARENT_TOKEN.exec(head);
      if (parent) record.parent_id = parent[1];
    } else {
      const tp = TRACEPARENT.exec(head);
      if (tp) record.traceparent = tp[1];
      else if (!opensLogLine(head)) return undefined;
      else {
        const app = SPRING_APP.exec(head);
        if (app) record.service = app[1];
      }
    }
    const service = SERVICE_TOKEN.exec(head);
    if (service) record.service = service[1];
  }
  const time = LEADING_TIME.exec(head);
  if (time) record.time = time[1];
  const level = LEVEL.exec(head.slice(0, 200));
  if (level) record.level = level[1];
  const cut = MESSAGE_AFTER.exec(line);
  record.message = cut ? line.slice(cut.index + cut[0].length) : withoutPrefix(line);
  return record;
}

function withoutPrefix(line: string): string {
  let rest = line;
  for (let i = 0; i < 8; i++) {
    const m = PREFIX_TOKENS.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
  }
  return rest.length > 0 ? rest : line;
}

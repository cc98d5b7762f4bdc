/**
 * The field conventions of real loggers: for each role, the fields that can hold it, first match wins.
 * This table is the README's "Field conventions" table; keep the two in step.
 *
 * A path like "trace.id" matches a dotted key ("trace.id": …) and nested objects (trace: {id: …}) alike,
 * and every rule is also looked for inside OTel-shaped `attributes` and `resource` objects, after the
 * top-level fields.
 */

export const ROLES = [
  'traceId', 'spanId', 'parentSpanId', 'correlationId', 'service', 'time', 'level', 'message',
  'operation', 'method', 'route', 'duration', 'status', 'error',
] as const;
export type Role = (typeof ROLES)[number];

/** How a field's value is read; 'plain' means by the role's default reader. */
export type How =
  | 'plain'
  | 'dd-decimal' // Datadog: unsigned 64-bit decimal id
  | 'gcp-trace' // "projects/P/traces/ID"
  | 'traceparent' // W3C header: trace id, or (for parentSpanId) the caller's span id
  | 'b3' // B3 single header
  | 'pino-level' // numeric pino/bunyan level (a string level is read by name)
  | 'otel-level' // severityNumber
  | 'syslog-level' // numeric `severity` (syslog 0–7; larger numbers read as OTel)
  | 'ns' // a duration or time in nanoseconds
  | 'us' // a duration in microseconds
  | 'ms' // a duration in milliseconds, whatever wrote it
  | 's' // a duration (or time) in seconds
  | 'bunyan-name' // `name` is the logger (service) name when the record is bunyan/pino-shaped
  | 'plain-name' // `name` is an operation when it is not
  | 'outcome' // ECS event.outcome: "failure" is an error
  | 'gelf' // GELF's `short_message`: the record's numeric `level` is then a syslog severity
  | 'proxy-traefik' // Traefik's access log (its `RouterName`): the line's service is the proxy, "traefik"
  | 'start' // a time at which the line's duration began (Traefik's `StartUTC`): the line stands at its end
  | 'serilog-template'; // a Serilog message template, rendered from the event's properties (render-template.ts)

export interface Rule {
  role: Role;
  path: string;
  how: How;
}

const HEADERS = ['', 'headers.', 'req.headers.', 'request.headers.', 'http.request.headers.'];
const headerRules = (role: Role, names: string[], how: How): Rule[] =>
  HEADERS.flatMap((prefix) => names.map((n) => ({ role, path: prefix + n, how })));

const r = (role: Role, paths: string[], how: How = 'plain'): Rule[] => paths.map((path) => ({ role, path, how }));

export const CONVENTIONS: readonly Rule[] = [
  // TraceId: OTel log data model and .NET's activity scope; otelTraceID: the Python OTel logging
  // instrumentation's record attribute; _traceId: GELF's prefixed MDC.
  ...r('traceId', ['traceId', 'trace_id', 'traceID', 'trace.id', '@tr', 'TraceId', 'otelTraceID', '_traceId']),
  ...r('traceId', ['dd.trace_id'], 'dd-decimal'),
  ...r('traceId', ['logging.googleapis.com/trace'], 'gcp-trace'),
  ...headerRules('traceId', ['x-trace-id', 'X-Trace-Id'], 'plain'),
  ...headerRules('traceId', ['traceparent', 'http_traceparent'], 'traceparent'), // http_traceparent: nginx's $http_traceparent
  ...headerRules('traceId', ['b3'], 'b3'),
  ...headerRules('traceId', ['X-B3-TraceId', 'x-b3-traceid'], 'plain'),

  ...r('spanId', ['spanId', 'span_id', 'spanID', 'span.id', '@sp', 'SpanId', 'otelSpanID', '_spanId']),
  ...r('spanId', ['dd.span_id'], 'dd-decimal'),
  ...r('spanId', ['logging.googleapis.com/spanId']),
  ...headerRules('spanId', ['X-B3-SpanId', 'x-b3-spanid'], 'plain'),
  // Elastic APM: outside a span, the transaction is the service's own span.
  ...r('spanId', ['transaction.id']),

  ...r('parentSpanId', ['parentSpanId', 'parent_span_id', 'parentId', 'parent_id', 'parent.id', 'ParentId']), // ParentId: .NET's activity scope
  ...headerRules('parentSpanId', ['x-parent-span-id', 'X-Parent-Span-Id', 'X-B3-ParentSpanId', 'x-b3-parentspanid'], 'plain'),
  ...headerRules('parentSpanId', ['traceparent', 'http_traceparent'], 'traceparent'),
  ...headerRules('parentSpanId', ['b3'], 'b3'),

  ...r('correlationId', ['correlationId', 'correlation_id', 'requestId', 'request_id', 'x-request-id', 'req.headers.x-request-id', 'headers.x-request-id']),

  ...r('service', ['serviceName', 'service', 'service.name', 'service_name', 'dd.service', 'otelServiceName']),
  ...r('service', ['name'], 'bunyan-name'),
  // A proxy's access line is the proxy's own span; the router and backend (`ServiceName`) stay fields (D127).
  ...r('service', ['RouterName'], 'proxy-traefik'),

  // Traefik's access log: `StartUTC` to the ns, where its `time` is whole seconds (logrus' RFC 3339).
  ...r('time', ['StartUTC'], 'start'),
  // timeMillis: log4j2's JsonLayout; asctime: Python logging's default time, in JSON formatters' output.
  ...r('time', ['timestamp', 'time', 'ts', '@timestamp', '@t', 'date', 'Timestamp', 'datetime', 'timeMillis', 'asctime']),
  ...r('time', ['timeUnixNano', 'observedTimeUnixNano'], 'ns'),

  // LogLevel: .NET's JSON console formatter ("Information", "Error", "Critical").
  ...r('level', ['level', 'log.level', '@l', 'lvl', 'severityText', 'severity_text', 'SeverityText', 'Level', 'levelname', 'loglevel', 'LogLevel'], 'pino-level'),
  ...r('level', ['severity'], 'syslog-level'),
  ...r('level', ['severityNumber', 'SeverityNumber'], 'otel-level'),

  // RenderedMessage / MessageTemplate: Serilog's JsonFormatter; Body: OTel log data model.
  // @mt / MessageTemplate without a rendering beside it: rendered from the properties (CLEF: the record's
  // own keys; JsonFormatter: `Properties`).
  ...r('message', ['msg', 'message', 'body', '@m']),
  ...r('message', ['@mt'], 'serilog-template'),
  ...r('message', ['event', 'Message', 'Body', 'RenderedMessage']),
  ...r('message', ['MessageTemplate'], 'serilog-template'),
  // GELF 1.1 (Graylog): `short_message` is required, and `level` is a syslog severity (0 emerg … 7 debug).
  ...r('message', ['short_message'], 'gelf'),

  ...r('operation', ['operation', 'operationName', 'operation_name', 'span.name', 'spanName']),
  ...r('operation', ['name'], 'plain-name'),
  // RequestMethod / RequestPath: Traefik's access log and Serilog.AspNetCore's request log.
  ...r('method', ['req.method', 'method', 'http.method', 'http.request.method', 'request.method', 'RequestMethod']),
  ...r('route', ['req.route', 'route', 'http.route', 'req.url', 'url', 'http.target', 'url.path', 'path', 'request.url', 'http.url', 'url.full', 'RequestPath']),

  // A duration's unit: named by the field, else ms unless the logger's signature says otherwise
  // ('plain': see duration-unit.ts). Strings with a unit ("1.5s") always say their own.
  ...r('duration', ['duration']),
  ...r('duration', ['duration_ms', 'durationMs', 'responseTime'], 'ms'),
  ...r('duration', ['response_time', 'elapsed']),
  ...r('duration', ['elapsed_ms'], 'ms'),
  ...r('duration', ['latency']),
  ...r('duration', ['latency_ms'], 'ms'),
  ...r('duration', ['took']),
  ...r('duration', ['duration_us', 'durationUs'], 'us'),
  ...r('duration', ['event.duration', 'duration_ns', 'durationNs'], 'ns'),
  ...r('duration', ['dur']),
  ...r('duration', ['elapsed_time', 'Elapsed'], 'ms'), // logstash-logback access encoder; Serilog request log
  ...r('duration', ['Duration'], 'ns'), // Traefik's JSON access log
  // request_time, upstream_response_time: nginx, seconds with ms resolution.
  ...r('duration', ['request_time', 'upstream_response_time', 'duration_s', 'duration_seconds', 'elapsed_s', 'elapsed_seconds', 'latency_s', 'latency_seconds'], 's'),

  ...r('status', ['status', 'statusCode', 'status_code', 'res.statusCode', 'res.status', 'http.status_code', 'http.response.status_code', 'response.status', 'otel.status_code', 'status.code', 'DownstreamStatus', 'StatusCode']), // Traefik (what the client got); Serilog.AspNetCore

  ...r('error', ['error', 'err', 'exception', '@x', 'error.message', 'exc_info', 'error.type']), // @x: Serilog CLEF
  ...r('error', ['event.outcome'], 'outcome'),
];

/**
 * Prefixes under which records carry the same fields, searched after the top level: OTel-shaped
 * `attributes` and `resource`; Serilog's `Properties`; the MDC as log4j2's JsonLayout (`contextMap`) and
 * Logstash layouts (`mdc`) nest it; .NET's JSON console `Scopes` (an array of objects, each searched).
 */
export const NESTED_SCOPES = ['attributes.', 'resource.', 'resource.attributes.', 'Attributes.', 'Resource.', 'Properties.', 'contextMap.', 'mdc.', 'Scopes.'];

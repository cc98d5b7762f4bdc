#!/usr/bin/env node
// A realistic multi-service incident, as nine logger styles write it, for checking tracectl on the logs
// people actually have.
//
//   node scripts/corpus/generate.js --out DIR [--requests 40] [--seed 7]
//
// Writes, for the same requests:
//   DIR/kubectl/<service>.log   what `kubectl logs deploy/<service> --prefix --timestamps` prints
//   DIR/var/log/pods/<ns>_<pod>_<uid>/<container>/0.log   the kubelet's CRI files
//   DIR/truth.json              per request: trace id, customer, each service's span (id, parent, start,
//                               end, duration as the service logged it), whether it failed and in which
//                               service the failure started; the slow request; the customers
// The same arguments give the same bytes (seeded PRNG, fixed clock). The first 40 requests hold the planted
// failures (two in fraud, one in inventory); past them ~4.5% more fail, so a large corpus has its share.
//
// One request: edge (nginx) → gateway → checkout → recommender, then orders → inventory, payments → fraud,
// then notifications. Each service logs in its own style, with its own field names and duration unit:
//   edge           nginx JSON access log: $time_iso8601 (seconds), $request_time (s), $http_traceparent
//   gateway        Go log/slog JSONHandler: RFC 3339 nano time, upper-case level, latency in integer ns
//   checkout       pino with the OTel instrumentation: epoch ms, numeric level, trace_id/span_id, req/res, responseTime (ms)
//   orders         Spring Boot logback JSON (LogstashEncoder) with Micrometer's MDC traceId/spanId, local offset, stack_trace
//   inventory      Spring Cloud Sleuth plain text: [app,traceId,spanId], Java stack traces on failure
//   payments       Python structlog JSON (event, timestamp) and stdlib logging with the OTel logging format, tracebacks
//   fraud          Go zap production: float-seconds ts, caller, latency in float seconds, stacktrace
//   recommender    Go slog TextHandler (logfmt): dur as a Go duration string (12.5ms)
//   notifications  winston format.json() with format.timestamp(): durationMs
// Every container starts with a banner or plain-text noise; no line names its service where the logger
// would not (the pod does).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../../bench/generate.js';

const NAMESPACE = 'shop';
const BASE_US = Date.UTC(2026, 10, 3, 14, 2, 0) * 1000;
// The kubelet's pod names use this alphabet for the ReplicaSet hash and the suffix.
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

const STYLES = {
  edge: 'nginx',
  gateway: 'slog-json',
  checkout: 'pino',
  orders: 'logback-json',
  inventory: 'sleuth-text',
  payments: 'structlog',
  fraud: 'zap',
  recommender: 'logfmt',
  notifications: 'winston',
};
const CONTAINER = { edge: 'nginx' };

export function generate({ requests = 40, seed = 7 } = {}) {
  const rnd = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const hex = (n) => {
    let s = '';
    while (s.length < n) s += Math.floor(rnd() * 4294967296).toString(16).padStart(8, '0');
    return s.slice(0, n);
  };
  const safe = (n) => Array.from({ length: n }, () => SAFE[int(0, SAFE.length - 1)]).join('');
  const pods = {};
  for (const svc of Object.keys(STYLES)) pods[svc] = { pod: `${svc}-${safe(9)}-${safe(5)}`, uid: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` };

  const customers = ['cus_4242', 'cus_1001', 'cus_7310', 'cus_5120', 'cus_9001'];
  // The incident: one request with a 4.9 s fraud check; card declines that start in fraud; stock-outs
  // that start in inventory; customer cus_4242 has three requests, one of which fails.
  const slowAt = Math.floor(requests / 2);
  const fraudFailAt = new Set([3, Math.floor(requests * 0.75)]);
  const stockFailAt = new Set([Math.floor(requests / 3)]);
  const planted = new Map([[1, 'cus_4242'], [3, 'cus_4242'], [slowAt, 'cus_7310'], [requests - 2, 'cus_4242']]);

  const lines = Object.fromEntries(Object.keys(STYLES).map((s) => [s, []])); // [timeUs, receivedUs, text, stream]
  // What each line is, for the truth's count: a log line with a trace id, a stack-trace line, other.
  const counts = { total: 0, withTraceId: 0, stack: 0 };
  const emit = (svc, us, text, stream = 'stdout', exact = false, noise = false) => {
    // The runtime stamps a line when it reads it: a little after the logger's own time. A multi-line
    // record (a line and its stack trace, given as one text) is one write: its lines a µs apart.
    if (text.includes('\n')) {
      const at = us + int(40, 900);
      text.split('\n').forEach((l, i) => emit(svc, at + i, l, stream, true, false));
      return;
    }
    lines[svc].push([us, exact ? us : us + int(40, 900), text, stream]);
    counts.total++;
    if (noise) return;
    if (/^(?:\t| {2}|Traceback|Caused by|[\w.]+(?:Exception|Error): )/.test(text)) counts.stack++;
    else if (/[0-9a-f]{32}/.test(text)) counts.withTraceId++;
  };
  banners(emit, pods);

  const truth = { seed, requests: [], slow: undefined, customers: {} };
  let t0 = BASE_US + 5_000_000;
  for (let r = 0; r < requests; r++) {
    t0 += int(150_000, 900_000);
    const traceId = hex(32);
    const customer = planted.get(r) ?? customers[1 + (r % (customers.length - 1))];
    const order = `ord_${hex(10)}`;
    const slow = r === slowAt;
    // Past the first 40 requests, ~3% more fail (a large corpus has as many failures as its size calls for).
    const stockFails = stockFailAt.has(r) || (r >= 40 && !slow && r % 53 === 11);
    const fraudFails = !stockFails && (fraudFailAt.has(r) || (r >= 40 && !slow && r % 37 === 5));
    const span = (service, parent, start) => ({ service, spanId: hex(16), parentSpanId: parent?.spanId ?? null, start, end: start, error: false });
    const clientSpan = hex(16); // the browser's span in the incoming traceparent: in no log
    const edge = { service: 'edge', spanId: null, parentSpanId: clientSpan, start: t0, end: t0, error: false };
    const gw = span('gateway', { spanId: clientSpan }, t0 + int(300, 700));
    const co = span('checkout', gw, gw.start + int(400, 900));
    const rec = span('recommender', co, co.start + int(800, 1500));
    rec.end = rec.start + int(8000, 30000);
    const ord = span('orders', co, rec.end + int(500, 1500));
    const inv = span('inventory', ord, ord.start + int(1000, 2000));
    inv.end = inv.start + int(5000, 20000);
    let pay, fr;
    if (!stockFails) {
      pay = span('payments', ord, inv.end + int(800, 1500));
      fr = span('fraud', pay, pay.start + int(1000, 2000));
      fr.end = fr.start + (slow ? 4_900_000 + int(0, 20000) : int(5000, 15000));
      pay.end = fr.end + int(1500, 3000);
      ord.end = pay.end + int(800, 1500);
    } else ord.end = inv.end + int(800, 1500);
    const failed = fraudFails || stockFails;
    let notif;
    if (!failed) {
      notif = span('notifications', co, ord.end + int(500, 1000));
      notif.end = notif.start + int(3000, 8000);
      co.end = notif.end + int(500, 1000);
    } else co.end = ord.end + int(300, 800);
    gw.end = co.end + int(200, 600);
    edge.end = gw.end + int(100, 400);
    // nginx's $request_time has millisecond resolution; the truth is what it writes.
    edge.end = edge.start + Math.round((edge.end - edge.start) / 1000) * 1000;

    const spans = [edge, gw, co, rec, ord, inv, pay, fr, notif].filter(Boolean);
    let origin = null;
    if (fraudFails) {
      origin = 'fraud';
      for (const s of [fr, pay, ord, co, gw, edge]) s.error = true;
    } else if (stockFails) {
      origin = 'inventory';
      for (const s of [inv, ord, co, gw, edge]) s.error = true;
    }
    const ctx = { traceId, customer, order, clientSpan, fraudFails, stockFails, amount: int(500, 25000), int, hex };

    writeEdge(emit, edge, ctx);
    writeGateway(emit, gw, ctx);
    writeCheckout(emit, co, ctx, pods.checkout.pod);
    writeRecommender(emit, rec, ctx);
    writeOrders(emit, ord, ctx);
    writeInventory(emit, inv, ctx);
    if (pay) writePayments(emit, pay, ctx);
    if (fr) writeFraud(emit, fr, ctx);
    if (notif) writeNotifications(emit, notif, ctx);

    const req = {
      traceId,
      customer,
      start: iso(edge.start),
      durationMs: (edge.end - edge.start) / 1000,
      status: failed ? 502 : 201, // what the client got; `cause` says what the failing service answered
      cause: fraudFails ? 'card declined by the fraud check (402)' : stockFails ? 'out of stock (409)' : null,
      error: failed,
      origin,
      spans: spans.map((s) => ({
        service: s.service,
        style: STYLES[s.service],
        spanId: s.spanId,
        parentSpanId: s.parentSpanId,
        start: iso(s.start),
        startUs: s.start,
        end: iso(s.end),
        durationUs: s.end - s.start,
        error: s.error,
      })),
    };
    truth.requests.push(req);
    if (slow) truth.slow = { traceId, durationMs: req.durationMs, service: 'fraud', spanDurationMs: (fr.end - fr.start) / 1000 };
    (truth.customers[customer] ??= []).push(traceId);
  }
  truth.lines = { ...counts, files: Object.keys(STYLES).length };
  truth.failures = truth.requests.filter((r) => r.error).map((r) => ({ traceId: r.traceId, origin: r.origin, cause: r.cause }));

  const files = {};
  for (const [svc, list] of Object.entries(lines)) {
    list.sort((a, b) => a[1] - b[1]);
    const { pod } = pods[svc];
    const container = CONTAINER[svc] ?? svc;
    files[`kubectl/${svc}.log`] = list.map(([, at, text]) => `[pod/${pod}/${container}] ${isoNanos(at)} ${text}`).join('\n') + '\n';
    files[`var/log/pods/${NAMESPACE}_${pod}_${pods[svc].uid}/${container}/0.log`] = list.map(([, at, text, stream]) => `${isoNanos(at)} ${stream} F ${text}`).join('\n') + '\n';
  }
  truth.pods = Object.fromEntries(Object.entries(pods).map(([svc, p]) => [svc, { pod: p.pod, container: CONTAINER[svc] ?? svc, style: STYLES[svc] }]));
  files['truth.json'] = JSON.stringify(truth, null, 1) + '\n';
  return files;
}

// --- one writer per style ---------------------------------------------------------------------------

function writeEdge(emit, s, c) {
  // log_format main escape=json '{"time":"$time_iso8601","remote_addr":"$remote_addr","request_id":"$request_id",
  //   "request":"$request","status":$status,"body_bytes_sent":$body_bytes_sent,"request_time":$request_time,
  //   "upstream_response_time":"$upstream_response_time","traceparent":"$http_traceparent","http_user_agent":"$http_user_agent"}'
  const rt = ((s.end - s.start) / 1e6).toFixed(3);
  const upstream = ((s.end - s.start - c.int(100, 400)) / 1e6).toFixed(3);
  emit('edge', s.end, JSON.stringify({
    time: isoSeconds(s.end),
    remote_addr: `10.2.${c.int(0, 9)}.${c.int(2, 250)}`,
    request_id: c.hex(32),
    request: 'POST /api/checkout HTTP/1.1',
    status: c.fraudFails || c.stockFails ? 502 : 201, // what the gateway answered
    body_bytes_sent: c.int(80, 900),
    request_time: Number(rt),
    upstream_response_time: upstream,
    traceparent: `00-${c.traceId}-${c.clientSpan}-01`,
    http_user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)',
  }).replace(`"request_time":${Number(rt)}`, `"request_time":${rt}`));
}

function writeGateway(emit, s, c) {
  const base = { trace_id: c.traceId, span_id: s.spanId, parent_span_id: s.parentSpanId };
  emit('gateway', s.start + 20, JSON.stringify({ time: rfc3339Nano(s.start + 20), level: 'INFO', msg: 'request received', ...base, method: 'POST', path: '/api/checkout', customer_id: c.customer }));
  const ns = (s.end - s.start) * 1000 + c.int(0, 999);
  const line = { time: rfc3339Nano(s.end), level: s.error ? 'ERROR' : 'INFO', msg: 'request done', ...base, status: s.error ? 502 : 201, latency: ns, customer_id: c.customer };
  if (s.error) line.err = 'upstream checkout: 502 Bad Gateway';
  emit('gateway', s.end, JSON.stringify(line));
}

function writeCheckout(emit, s, c, pod) {
  const head = (us, level) => ({ level, time: Math.floor(us / 1000), pid: 1, hostname: pod });
  const ids = { trace_id: c.traceId, span_id: s.spanId, trace_flags: '01' };
  emit('checkout', s.start + 50, JSON.stringify({ ...head(s.start + 50, 30), ...ids, customer_id: c.customer, cart_items: c.int(1, 6), msg: 'checkout started' }));
  const ms = Math.round((s.end - s.start) / 1000);
  // pino-http writes the request line at the end; responseTime = Date.now() - start: whole ms.
  const done = { ...head(s.start + ms * 1000, s.error ? 50 : 30), ...ids, req: { id: c.int(1, 99999), method: 'POST', url: '/checkout', headers: { host: 'checkout.shop.svc', 'x-forwarded-for': '203.0.113.7', authorization: `Bearer ${c.hex(24)}` } }, res: { statusCode: s.error ? 502 : 201 }, customer_id: c.customer, responseTime: ms };
  if (s.error) done.err = { type: 'Error', message: 'failed with status code 502', stack: 'Error: failed with status code 502\n    at onResFinished (/app/node_modules/pino-http/logger.js:129:39)' };
  emit('checkout', s.start + ms * 1000, JSON.stringify({ ...done, msg: s.error ? 'request errored' : 'request completed' }));
}

function writeRecommender(emit, s, c) {
  const ids = `trace_id=${c.traceId} span_id=${s.spanId}`;
  emit('recommender', s.start + 10, `time=${rfc3339Milli(s.start + 10)} level=INFO msg="recommend for cart" ${ids} customer_id=${c.customer}`);
  const ms = (s.end - s.start) / 1000;
  emit('recommender', s.end, `time=${rfc3339Milli(s.end)} level=INFO msg="recommendations ready" ${ids} model=als-v7 items=${c.int(3, 12)} dur=${goDuration(ms)}`);
}

function writeOrders(emit, s, c) {
  const line = (us, level, message, extra = {}) => JSON.stringify({
    '@timestamp': isoOffset(us, 60),
    '@version': '1',
    message,
    logger_name: 'com.shop.orders.OrderController',
    thread_name: `http-nio-8080-exec-${c.int(1, 10)}`,
    level,
    level_value: level === 'ERROR' ? 40000 : level === 'WARN' ? 30000 : 20000,
    traceId: c.traceId,
    spanId: s.spanId,
    customer_id: c.customer,
    order_id: c.order,
    ...extra,
  });
  emit('orders', s.start + 30, line(s.start + 30, 'INFO', `Creating order ${c.order}`));
  const ms = Math.round((s.end - s.start) / 1000);
  if (!s.error) emit('orders', s.end, line(s.end, 'INFO', `Order ${c.order} placed`, { elapsed_ms: ms }));
  else {
    const why = c.stockFails ? 'com.shop.orders.OutOfStockException: SKU-4411 out of stock' : 'com.shop.orders.PaymentDeclinedException: card declined (do_not_honor)';
    emit('orders', s.end, line(s.end, 'ERROR', `Order ${c.order} failed`, {
      elapsed_ms: ms,
      stack_trace: `${why}\n\tat com.shop.orders.OrderService.place(OrderService.java:88)\n\tat com.shop.orders.OrderController.create(OrderController.java:41)\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n\t... 48 common frames omitted`,
    }));
  }
}

function writeInventory(emit, s, c) {
  const prefix = (us, level) => `${sleuthTime(us)} ${level.padStart(5)} [inventory,${c.traceId},${s.spanId}] 1 --- [nio-8080-exec-${c.int(1, 9)}] c.s.inventory.StockController        :`;
  emit('inventory', s.start + 40, `${prefix(s.start + 40, 'INFO')} Reserving stock for order ${c.order}`);
  if (!c.stockFails) {
    emit('inventory', s.end, `${prefix(s.end, 'INFO')} Reserved ${c.int(1, 6)} items for order ${c.order} in ${Math.round((s.end - s.start) / 1000)} ms`);
    return;
  }
  const stack = [
    `${prefix(s.end, 'ERROR')} Reservation failed for order ${c.order}`,
    'com.shop.inventory.OutOfStockException: SKU-4411 out of stock (wanted 3, have 0)',
    '\tat com.shop.inventory.StockService.reserve(StockService.java:57)',
    '\tat com.shop.inventory.StockController.reserve(StockController.java:33)',
    '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
    'Caused by: java.sql.SQLException: row lock timeout on stock_levels',
    '\tat org.postgresql.jdbc.PgStatement.execute(PgStatement.java:412)',
    '\t... 3 more',
  ];
  emit('inventory', s.end, stack.join('\n'));
}

function writePayments(emit, s, c) {
  // structlog's JSONRenderer, with a processor that adds the OTel ids (user keys trace_id, span_id)…
  const json = (us, level, event, extra = {}) => JSON.stringify({ event, customer_id: c.customer, order_id: c.order, amount_cents: c.amount, trace_id: c.traceId, span_id: s.spanId, level, timestamp: isoMicros(us), ...extra });
  emit('payments', s.start + 60, json(s.start + 60, 'info', 'charge requested'));
  // …and stdlib logging from a library, in the OTel logging instrumentation's format.
  const text = (us, level, msg) => `${pyTime(us)} ${level} [payments.gateway] [client.py:${c.int(40, 200)}] [trace_id=${c.traceId} span_id=${s.spanId} resource.service.name=payments trace_sampled=True] - ${msg}`;
  emit('payments', s.start + 900, text(s.start + 900, 'INFO', 'POST http://fraud.shop.svc:8080/v1/score'));
  const ms = Math.round((s.end - s.start) / 100) / 10;
  if (!s.error) {
    emit('payments', s.end, json(s.end, 'info', 'charge captured', { duration_ms: ms }));
    return;
  }
  emit('payments', s.end - 200, [
    text(s.end - 200, 'ERROR', 'fraud check rejected the charge'),
    'Traceback (most recent call last):',
    '  File "/app/payments/gateway/client.py", line 118, in score',
    '    resp.raise_for_status()',
    '  File "/usr/local/lib/python3.12/site-packages/httpx/_models.py", line 829, in raise_for_status',
    '    raise HTTPStatusError(message, request=request, response=self)',
    "httpx.HTTPStatusError: Client error '402 Payment Required' for url 'http://fraud.shop.svc:8080/v1/score'",
  ].join('\n'));
  emit('payments', s.end, json(s.end, 'error', 'charge declined', { duration_ms: ms, decline_code: 'do_not_honor' }));
}

function writeFraud(emit, s, c) {
  const ids = { trace_id: c.traceId, span_id: s.spanId };
  emit('fraud', s.start + 15, JSON.stringify({ level: 'info', ts: s.start / 1e6 + 0.000015, caller: 'score/handler.go:61', msg: 'scoring charge', ...ids, customer_id: c.customer }));
  const latency = (s.end - s.start) / 1e6;
  if (!s.error) {
    const line = { level: latency > 1 ? 'warn' : 'info', ts: s.end / 1e6, caller: 'score/handler.go:97', msg: latency > 1 ? 'slow model call' : 'charge scored', ...ids, score: c.int(1, 40) / 100, latency };
    emit('fraud', s.end, JSON.stringify(line));
    return;
  }
  emit('fraud', s.end, JSON.stringify({
    level: 'error', ts: s.end / 1e6, caller: 'score/handler.go:104', msg: 'charge rejected', ...ids, score: 0.97, latency,
    error: 'risk above threshold: velocity rule R17',
    stacktrace: 'main.(*Handler).Score\n\t/app/score/handler.go:104\nnet/http.HandlerFunc.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:2220',
  }));
}

function writeNotifications(emit, s, c) {
  const ids = { trace_id: c.traceId, span_id: s.spanId, trace_flags: '01' };
  emit('notifications', s.start + 25, JSON.stringify({ level: 'info', message: 'sending order confirmation', ...ids, channel: 'email', timestamp: isoMillis(s.start + 25) }));
  const ms = Math.round((s.end - s.start) / 1000);
  emit('notifications', s.start + ms * 1000, JSON.stringify({ durationMs: ms, level: 'info', message: 'email queued', ...ids, provider: 'ses', timestamp: isoMillis(s.start + ms * 1000) }));
}

function banners(write, pods) {
  const at = BASE_US;
  // Start-up lines come a millisecond apart, in the order written.
  let n = 0;
  const emit = (svc, us, text, stream = 'stdout') => write(svc, us + 1000 * n++, text, stream, true, true);
  emit('edge', at, '/docker-entrypoint.sh: Configuration complete; ready for start up', 'stderr');
  emit('edge', at + 10, `${nginxErrTime(at + 10)} [notice] 1#1: start worker processes`, 'stderr');
  emit('gateway', at + 5, JSON.stringify({ time: rfc3339Nano(at + 5), level: 'INFO', msg: 'listening', addr: ':8080' }));
  emit('checkout', at + 7, JSON.stringify({ level: 30, time: Math.floor(at / 1000), pid: 1, hostname: pods.checkout.pod, msg: 'Server listening at http://0.0.0.0:3000' }));
  for (const l of ['', '  .   ____          _            __ _ _', ' /\\\\ / ___\'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\', " :: Spring Boot ::                (v3.3.5)", '']) emit('orders', at + 1, l);
  emit('orders', at + 900, JSON.stringify({ '@timestamp': isoOffset(at + 900, 60), '@version': '1', message: 'Started OrdersApplication in 4.21 seconds', logger_name: 'com.shop.orders.OrdersApplication', thread_name: 'main', level: 'INFO', level_value: 20000 }));
  emit('inventory', at + 2, ' :: Spring Boot ::        (v2.7.18)');
  emit('inventory', at + 800, `${sleuthTime(at + 800)}  INFO [inventory,,] 1 --- [           main] c.s.inventory.InventoryApplication       : Started InventoryApplication in 6.3 seconds`);
  emit('payments', at + 3, '[2026-11-03 14:01:59 +0000] [1] [INFO] Starting gunicorn 22.0.0', 'stderr');
  emit('payments', at + 600, `${pyTime(at + 600)} WARNING [root] [app.py:12] [trace_id=0 span_id=0 resource.service.name=payments trace_sampled=False] - PAYMENTS_SANDBOX is set: test cards only`);
  emit('fraud', at + 4, JSON.stringify({ level: 'info', ts: at / 1e6, caller: 'cmd/fraud/main.go:40', msg: 'model loaded', model: 'gbt-2026-10' }));
  emit('recommender', at + 6, `time=${rfc3339Milli(at + 6)} level=INFO msg="starting recommender" version=1.14.2`);
  emit('notifications', at + 8, 'npm WARN config production Use `--omit=dev` instead.', 'stderr');
}

// --- time formats -----------------------------------------------------------------------------------

function isoMicros(us) {
  const ms = Math.floor(us / 1000);
  return new Date(ms).toISOString().slice(0, 23) + String(us - ms * 1000).padStart(3, '0') + 'Z';
}
const iso = isoMicros;
const isoNanos = (us) => isoMicros(us).slice(0, 26) + '000Z';
const rfc3339Nano = (us) => isoMicros(us).slice(0, 26) + '000Z';
const rfc3339Milli = (us) => new Date(Math.floor(us / 1000)).toISOString();
const isoMillis = rfc3339Milli;
const isoSeconds = (us) => new Date(Math.floor(us / 1e6) * 1000).toISOString().slice(0, 19) + '+00:00';
/** ISO with a local offset in minutes, as logback's ISO_OFFSET_DATE_TIME writes it: 2026-11-03T15:02:01.123+01:00. */
function isoOffset(us, minutes) {
  const local = new Date(Math.floor(us / 1000) + minutes * 60_000).toISOString().slice(0, 23);
  const sign = minutes >= 0 ? '+' : '-';
  const m = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
/** Sleuth's default on Boot 2.x: `yyyy-MM-dd HH:mm:ss.SSS`, the container's zone (UTC). */
const sleuthTime = (us) => new Date(Math.floor(us / 1000)).toISOString().slice(0, 23).replace('T', ' ');
/** Python's %(asctime)s: comma before the milliseconds. */
const pyTime = (us) => sleuthTime(us).replace('.', ',');
const nginxErrTime = (us) => new Date(Math.floor(us / 1000)).toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/');
/** Go's Duration.String() for a duration in ms: 12.5ms, 1.2s. */
function goDuration(ms) {
  if (ms >= 1000) return `${+(ms / 1000).toFixed(6)}s`;
  return `${+ms.toFixed(3)}ms`;
}

function main(argv) {
  const args = { requests: 40, seed: 7, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') args.out = argv[++i];
    else if (a === '--requests') args.requests = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.out || !(args.requests >= 8) || !Number.isInteger(args.seed)) {
    throw new Error('usage: node scripts/corpus/generate.js --out DIR [--requests N≥8] [--seed S]');
  }
  const files = generate(args);
  for (const [name, text] of Object.entries(files)) {
    const path = join(args.out, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  const truth = JSON.parse(files['truth.json']);
  console.log(`${args.out}: ${truth.requests.length} requests, ${truth.failures.length} failing, slow ${truth.slow.traceId} ${truth.slow.durationMs} ms`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));

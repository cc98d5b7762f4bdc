#!/usr/bin/env node
// Deterministic benchmark corpora for tracectl.
//
//   node bench/generate.js --style a|b|c|onetrace [--size 250MB] [--traces N] [--spans N] [--seed 1] --out FILE
//
// Writes FILE and FILE.truth.json ({traces, lines, plainLines, middleTraceId, bytes, …}): what a correct
// reader must find. The same arguments always give the same bytes (seeded PRNG, no clock, no Math.random).
//
// Styles:
//   a         the project's own traced logger: traceId/spanId/parentSpanId/serviceName, ISO timestamp
//   b         pino with OTel ids: trace_id/span_id/trace_flags, epoch-ms time, numeric level, msg, pid, hostname
//   c         mixed: services log in style a or b, every line behind `kubectl logs --prefix` and some also
//             `--timestamps`; ~1% plain-text lines (stack frames, startup notes)
//   onetrace  ONE trace of --spans (default 1,000,000) span records, one line per span: a 1,000-deep
//             chain, 100,000 children of the root, the rest random (recent parents preferred)
//
// Shape of a, b, c: six services; each trace is a tree of 4-7 spans; each span logs a start line, an end
// line with its duration, and log lines in between, 10-20 lines per trace (or size / traces when --traces
// fixes the count); traces start ~5 ms apart and overlap, and lines are written in time order, so traces
// interleave as they do in a real log. Lines are ~300 bytes. Nothing is built in memory beyond the traces
// in flight: the file is streamed with backpressure.
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';

export function parseSize(s) {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|K|M|G)?$/i.exec(String(s).trim());
  if (!m) throw new Error(`bad size: ${s} (e.g. 250MB)`);
  const mult = { B: 1, K: 1e3, KB: 1e3, M: 1e6, MB: 1e6, G: 1e9, GB: 1e9 }[(m[2] ?? 'B').toUpperCase()];
  return Math.round(Number(m[1]) * mult);
}

// mulberry32: tiny, fast, good enough for synthetic data, and the same on every machine.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRandom(seed) {
  const rnd = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const hex = (chars) => {
    let s = '';
    while (s.length < chars) s += Math.floor(rnd() * 4294967296).toString(16).padStart(8, '0');
    return s.slice(0, chars);
  };
  return { rnd, int, pick, hex };
}

const BASE_US = Date.UTC(2024, 4, 1, 10, 0, 0) * 1000;

// ISO time with microseconds, as the traced logger writes it: 2024-05-01T10:00:00.123456Z
function isoMicros(us) {
  const ms = Math.floor(us / 1000);
  return new Date(ms).toISOString().slice(0, 23) + String(us - ms * 1000).padStart(3, '0') + 'Z';
}
// RFC 3339 with nanoseconds, as `kubectl logs --timestamps` prints it.
function isoNanos(us) {
  return isoMicros(us).slice(0, 26) + '000Z';
}

const SERVICES = {
  web: { pod: 'web-6f9c7d5b8-k2m4x', ops: ['GET /checkout', 'GET /orders/:id', 'POST /cart', 'GET /search'] },
  api: { pod: 'api-7d4b9c6f5-x2x9k', ops: ['POST /charge', 'GET /orders/:id', 'GET /users/:id', 'PUT /cart'] },
  auth: { pod: 'auth-5c8d7f6b9-p7q3z', ops: ['verify token', 'load session'] },
  payments: { pod: 'payments-8b7c6d5f4-m9n8b', ops: ['charge card', 'refund', 'authorize'] },
  inventory: { pod: 'inventory-9a8b7c6d5-t5r4e', ops: ['reserve items', 'check stock'] },
  'db-proxy': { pod: 'db-proxy-4e3d2c1b0-w1v2u', ops: ['SELECT orders', 'UPDATE stock', 'INSERT payment', 'SELECT users'] },
};
const CHILD_SERVICES = ['api', 'auth', 'payments', 'inventory', 'db-proxy'];
const MID_MESSAGES = ['cache miss', 'validating input', 'loaded 12 rows', 'retrying upstream', 'feature flag checkout-v2 on', 'acquired lock', 'queue depth 3', 'serialised response'];
// In style c, which services log in which style, and which pods also run with --timestamps.
const MIXED_STYLE = { web: 'a', api: 'b', auth: 'a', payments: 'b', inventory: 'a', 'db-proxy': 'b' };
const MIXED_TIMESTAMPS = { web: true, api: false, auth: true, payments: true, inventory: false, 'db-proxy': true };
const PLAIN_LINES = ['    at charge (/app/src/pay.js:42:11)', '    at processTicksAndRejections (node:internal/process/task_queues:95:5)', 'listening on :8080', 'GC pause 12ms', 'connection pool resized to 20'];
const LEVEL_NUM = { debug: 20, info: 30, warn: 40, error: 50 };

// Binary min-heap of pending lines ordered by (time, sequence): lines of overlapping traces come out in
// time order, ties in the order they were made (so the output is deterministic).
class Heap {
  constructor() {
    this.a = [];
  }
  get size() {
    return this.a.length;
  }
  less(x, y) {
    return x.t < y.t || (x.t === y.t && x.seq < y.seq);
  }
  push(v) {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  peek() {
    return this.a[0];
  }
  pop() {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Buffered writer that honours backpressure: never more than ~1 MB queued. */
class Out {
  constructor(path) {
    this.ws = createWriteStream(path);
    this.buf = [];
    this.bufBytes = 0;
    this.bytes = 0;
    this.lines = 0;
  }
  async line(s) {
    this.buf.push(s);
    const n = Buffer.byteLength(s) + 1;
    this.bufBytes += n;
    this.bytes += n;
    this.lines++;
    if (this.bufBytes >= 1 << 16) await this.flush();
  }
  async flush() {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('\n') + '\n';
    this.buf = [];
    this.bufBytes = 0;
    if (!this.ws.write(chunk)) await once(this.ws, 'drain');
  }
  async close() {
    await this.flush();
    this.ws.end();
    await once(this.ws, 'finish');
  }
}

/**
 * One trace: a tree of spans with times, and the lines each span logs (not yet rendered).
 *
 *   root  |------------------------------------------|   web
 *   child    |---------|   |----------------|            api, auth, payments, ...
 *   grand       |--|          |----|  |---|              db-proxy, ...
 */
function makeTrace(R, t0, linesTarget) {
  const traceId = R.hex(32);
  const nSpans = Math.max(2, Math.min(R.int(4, 7), Math.floor(linesTarget / 2)));
  // Root duration: log-uniform between 5 ms and 2 s, in whole microseconds.
  const rootLen = Math.round(5000 * Math.pow(400, R.rnd()));
  const root = { id: R.hex(16), parent: undefined, svc: 'web', op: R.pick(SERVICES.web.ops), start: t0, end: t0 + rootLen, depth: 0 };
  const spans = [root];
  while (spans.length < nSpans) {
    const candidates = spans.filter((s) => s.depth < 3 && s.end - s.start >= 10);
    const p = R.pick(candidates);
    const len = p.end - p.start;
    const start = p.start + 1 + Math.floor(R.rnd() * len * 0.5);
    const end = Math.min(p.end - 1, start + 1 + Math.floor(R.rnd() * len * 0.45));
    const svc = p.depth >= 1 && R.rnd() < 0.5 ? 'db-proxy' : R.pick(CHILD_SERVICES);
    spans.push({ id: R.hex(16), parent: p.id, svc, op: R.pick(SERVICES[svc].ops), start, end, depth: p.depth + 1 });
  }
  // Every span writes a start and an end line; the rest of the budget goes to lines in between.
  const mids = new Array(spans.length).fill(0);
  for (let k = Math.max(0, linesTarget - 2 * spans.length); k > 0; k--) mids[R.int(0, spans.length - 1)]++;
  const lines = [];
  let errors = 0;
  spans.forEach((s, i) => {
    const failed = R.rnd() < 0.02;
    if (failed) errors++;
    lines.push({ t: s.start, span: s, kind: 'start' });
    for (let k = 0; k < mids[i]; k++) lines.push({ t: s.start + Math.floor(R.rnd() * (s.end - s.start)), span: s, kind: 'mid', msg: R.pick(MID_MESSAGES) });
    lines.push({ t: s.end, span: s, kind: 'end', failed });
  });
  return { traceId, spans, lines, durationUs: rootLen, errors };
}

// ---- rendering one line per style -------------------------------------------------------------------

function fieldsOf(R, ev) {
  const s = ev.span;
  const level = ev.kind === 'end' && ev.failed ? 'error' : ev.kind === 'mid' && R.rnd() < 0.1 ? 'warn' : ev.kind === 'mid' && R.rnd() < 0.3 ? 'debug' : 'info';
  const message = ev.kind === 'start' ? `started ${s.op}` : ev.kind === 'end' ? (ev.failed ? `${s.op} failed` : `finished ${s.op}`) : ev.msg;
  return { level, message };
}

function renderA(R, tr, ev) {
  const s = ev.span;
  const { level, message } = fieldsOf(R, ev);
  let line = `{"timestamp":"${isoMicros(ev.t)}","level":"${level}","message":"${message}","serviceName":"${s.svc}","traceId":"${tr.traceId}","spanId":"${s.id}"`;
  if (s.parent) line += `,"parentSpanId":"${s.parent}"`;
  line += `,"operation":"${s.op}","userId":"u-${R.int(1000, 99999)}"`;
  if (ev.kind === 'end') {
    line += `,"status":${ev.failed ? 502 : 200},"duration_ms":${((s.end - s.start) / 1000).toFixed(3)}`;
    if (ev.failed) line += `,"error":{"type":"UpstreamError","message":"upstream ${s.svc} returned 502"}`;
  } else {
    line += `,"requestId":"req-${R.hex(12)}","tags":{"tenant":"t-${R.int(1, 40)}","plan":"${R.pick(['free', 'pro', 'team'])}"}`;
  }
  return line + '}';
}

function renderB(R, tr, ev) {
  const s = ev.span;
  const { level, message } = fieldsOf(R, ev);
  // pino writes epoch milliseconds; the span's true start and end are in microseconds.
  let line = `{"level":${LEVEL_NUM[level]},"time":${Math.floor(ev.t / 1000)},"pid":${1 + (s.svc.length % 7)},"hostname":"${SERVICES[s.svc].pod}","name":"${s.svc}","trace_id":"${tr.traceId}","span_id":"${s.id}","trace_flags":"01","msg":"${message}"`;
  line += `,"operation":"${s.op}","userId":"u-${R.int(1000, 99999)}"`;
  if (ev.kind === 'end') {
    line += `,"res":{"statusCode":${ev.failed ? 502 : 200}},"responseTime":${Math.round((s.end - s.start) / 1000)}`;
    if (ev.failed) line += `,"err":{"type":"UpstreamError","message":"upstream ${s.svc} returned 502","stack":"UpstreamError: upstream"}`;
  } else {
    line += `,"req":{"id":"req-${R.hex(12)}","method":"${R.pick(['GET', 'POST'])}","url":"/v1/${R.pick(['orders', 'cart', 'users'])}/${R.int(1, 9999)}"}`;
  }
  return line + '}';
}

function renderC(R, tr, ev) {
  const svc = ev.span.svc;
  const json = MIXED_STYLE[svc] === 'a' ? renderA(R, tr, ev) : renderB(R, tr, ev);
  return kubectlPrefix(svc, ev.t) + json;
}

function kubectlPrefix(svc, t) {
  const p = `[pod/${SERVICES[svc].pod}/${svc}] `;
  return MIXED_TIMESTAMPS[svc] ? `${p}${isoNanos(t)} ` : p;
}

// A JSON line with no trace id (startup, health checks): real logs have them; no reader counts them.
function renderUntraced(style, R, t) {
  const svc = R.pick(CHILD_SERVICES);
  if (style === 'b') return `{"level":30,"time":${Math.floor(t / 1000)},"pid":1,"hostname":"${SERVICES[svc].pod}","name":"${svc}","msg":"health check ok","uptimeSec":${R.int(1, 99999)}}`;
  const a = `{"timestamp":"${isoMicros(t)}","level":"info","message":"health check ok","serviceName":"${svc}","uptimeSec":${R.int(1, 99999)}}`;
  return style === 'c' ? kubectlPrefix(svc, t) + a : a;
}

// ---- the generators ----------------------------------------------------------------------------------

async function generateLogs(opts) {
  const R = makeRandom(opts.seed);
  const render = { a: renderA, b: renderB, c: renderC }[opts.style];
  const out = new Out(opts.out);
  const heap = new Heap();
  let seq = 0;
  let t = BASE_US;
  let made = 0;
  let plainLines = 0;
  let untracedLines = 0;
  let middle;
  const durations = [];
  const serviceSpans = {};
  // With --traces fixed, lines per trace follow from the size (style a/b lines average ~320 bytes).
  const perTrace = opts.traces ? Math.max(8, Math.round(opts.size / 320 / opts.traces)) : 0;

  const wantMore = () => (opts.traces ? made < opts.traces : out.bytes + heap.size * 300 < opts.size);
  while (wantMore() || heap.size > 0) {
    if (wantMore()) {
      const linesTarget = perTrace ? R.int(Math.max(8, perTrace - 2), perTrace + 2) : R.int(10, 20);
      const tr = makeTrace(R, t, linesTarget);
      made++;
      for (const s of tr.spans) serviceSpans[s.svc] = (serviceSpans[s.svc] ?? 0) + 1;
      durations.push([tr.durationUs, tr.traceId]);
      if (!middle && out.bytes >= opts.size / 2) middle = { traceId: tr.traceId, spans: tr.spans.length, lines: tr.lines.length, durationUs: tr.durationUs };
      for (const ev of tr.lines) heap.push({ t: ev.t, seq: seq++, tr, ev });
      t += 1 + Math.floor(-Math.log(1 - R.rnd()) * 5000); // Poisson arrivals, mean 5 ms apart
    }
    // Everything earlier than the next trace's start can be written now.
    const horizon = wantMore() ? t : Infinity;
    while (heap.size > 0 && heap.peek().t < horizon) {
      const { tr, ev } = heap.pop();
      if (opts.style === 'c' && R.rnd() < 0.01) {
        const svc = ev.span.svc;
        await out.line(kubectlPrefix(svc, ev.t) + R.pick(PLAIN_LINES));
        plainLines++;
      }
      if (R.rnd() < 0.005) {
        await out.line(renderUntraced(opts.style, R, ev.t));
        untracedLines++;
      }
      await out.line(render(R, tr, ev));
    }
  }
  await out.close();
  durations.sort((x, y) => y[0] - x[0] || (x[1] < y[1] ? -1 : 1));
  return {
    style: opts.style,
    seed: opts.seed,
    requestedBytes: opts.size,
    bytes: out.bytes,
    lines: out.lines,
    traces: made,
    plainLines,
    untracedLines,
    middleTraceId: middle?.traceId ?? durations[0]?.[1],
    middle,
    services: Object.keys(serviceSpans).length,
    serviceSpans,
    spans: Object.values(serviceSpans).reduce((x, y) => x + y, 0),
    // Trace duration = root span's end - start; tracectl sees it exactly in style a (µs times and
    // durations). In style b pino's millisecond times round it.
    slowest10: durations.slice(0, 10).map(([us, id]) => ({ traceId: id, durationUs: us })),
  };
}

/**
 * One trace of N spans as span records ({traceId, spanId, parentSpanId, name, serviceName, startTime,
 * endTime} in epoch ms): spans 1..1000 form a chain (depth 1,000), the next 100,000 are children of the
 * root (one very wide level), the rest hang under a random recent span (a bushy, moderately deep middle).
 * Each child lies inside its parent.
 */
async function generateOneTrace(opts) {
  const R = makeRandom(opts.seed);
  const n = opts.spans;
  const out = new Out(opts.out);
  const traceId = R.hex(32);
  const ids = new Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const depth = new Int32Array(n);
  const services = Object.keys(SERVICES);
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    ids[i] = R.hex(16);
    let p = -1;
    if (i === 0) {
      start[0] = BASE_US;
      end[0] = BASE_US + 3600e6; // one hour
    } else {
      if (i <= 1000) p = i - 1;
      else if (i <= 101000) p = 0;
      else p = R.rnd() < 0.3 ? i - 1 - Math.floor(R.rnd() * Math.min(i - 1, 50)) : Math.floor(R.rnd() * i);
      const len = end[p] - start[p];
      if (i <= 1000) {
        start[i] = start[p] + 1;
        end[i] = end[p] - 1;
      } else {
        start[i] = start[p] + Math.floor(R.rnd() * len * 0.5);
        end[i] = start[i] + Math.floor(R.rnd() * len * 0.5);
      }
      depth[i] = depth[p] + 1;
      if (depth[i] > maxDepth) maxDepth = depth[i];
    }
    const svc = i === 0 ? 'web' : services[i % services.length];
    let line = `{"traceId":"${traceId}","spanId":"${ids[i]}"`;
    if (p >= 0) line += `,"parentSpanId":"${ids[p]}"`;
    line += `,"name":"${R.pick(SERVICES[svc].ops)}","serviceName":"${svc}","startTime":${start[i] / 1000},"endTime":${end[i] / 1000},"kind":"${i === 0 ? 'server' : 'internal'}","status":{"code":${R.rnd() < 0.001 ? 2 : 0}}}`;
    await out.line(line);
  }
  await out.close();
  return { style: 'onetrace', seed: opts.seed, bytes: out.bytes, lines: out.lines, traces: 1, spans: n, plainLines: 0, untracedLines: 0, middleTraceId: traceId, maxDepth, services: services.length };
}

export async function generate(opts) {
  const truth = opts.style === 'onetrace' ? await generateOneTrace(opts) : await generateLogs(opts);
  await writeFile(`${opts.out}.truth.json`, JSON.stringify(truth, null, 2) + '\n');
  return truth;
}

function parseArgs(argv) {
  const o = { style: 'a', size: parseSize('250MB'), seed: 1, spans: 1_000_000, traces: undefined, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--style') o.style = v();
    else if (k === '--size') o.size = parseSize(v());
    else if (k === '--seed') o.seed = Number(v());
    else if (k === '--traces') o.traces = Number(v());
    else if (k === '--spans') o.spans = Number(v());
    else if (k === '--out') o.out = v();
    else throw new Error(`unknown argument ${k}`);
  }
  if (!['a', 'b', 'c', 'onetrace'].includes(o.style)) throw new Error(`--style must be a, b, c or onetrace`);
  if (!o.out) throw new Error('--out FILE is required');
  return o;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const truth = await generate(parseArgs(process.argv.slice(2)));
    process.stderr.write(`generate: ${truth.lines.toLocaleString('en-US')} lines, ${(truth.bytes / 1e6).toFixed(1)} MB, ${truth.traces.toLocaleString('en-US')} traces\n`);
  } catch (e) {
    process.stderr.write(`generate: ${e.message}\n`);
    process.exit(2);
  }
}

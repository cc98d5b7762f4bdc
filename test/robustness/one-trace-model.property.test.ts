// One trace, one set of facts: `group --json`, `slowest --json` and `tree --json` give each trace the same
// start, duration, span count and error count, `critical-path --json` the same start and duration
// (model/trace-summary.ts follows the tree's rules), on one thread and with the input split across two.
// Inputs as services write them: log lines with trace, span and parent ids (parents sometimes missing or
// not logged), lines with no span id, span records, lines repeated, error lines, span records read twice or again with
// a later end, client and server halves of one RPC sharing a span id (repeated-records.ts), and now and
// then a line whose time is far off (a zero timestamp, 1970-01-20 from seconds read as milliseconds, a
// year-2200 counter) in a span of its own or among the lines of a span (its first line in the input or
// its last); and traces whose lines carry a trace id only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { RUNS } from './gen.js';

const T0 = Date.UTC(2025, 2, 14, 9, 25); // ms
const SERVICES = ['gateway', 'orders', 'payments'];
const iso = (ms: number) => new Date(ms).toISOString();
const FAR = [0, 1_741_944_300, Date.UTC(2200, 0, 1)]; // ms: 1970, seconds as ms, year 2200

const spanArb = fc.record({
  service: fc.nat(2),
  offset: fc.integer({ min: 0, max: 400 }), // ms after the trace's start
  length: fc.integer({ min: 1, max: 300 }),
  lines: fc.integer({ min: 1, max: 3 }),
  reportsDuration: fc.boolean(),
  error: fc.boolean(),
  dropParent: fc.boolean(), // the parent id names a span no line or record has
  // Names no parent at all, as logs without parent ids do (pino, zap with the OTel log instrumentations):
  // the tree infers one from timing where another span encloses it.
  namesNone: fc.boolean(),
  // Lines that name no service (a logger without the service binding): the span is then "unknown"'s. (A
  // span whose lines disagree takes its first line's that names one, which group's summary, keeping no
  // line per span, does not know for its root: D110. The lines of a recorded span keep theirs: `tree` files
  // a service's lines without a span id under its log span before the record names the span's service.)
  serviceless: fc.constantFrom('none', 'none', 'all'),
  asRecord: fc.boolean(),
  alsoLines: fc.boolean(), // a record whose span also logged
  repeatLine: fc.boolean(),
  repeatRecord: fc.boolean(), // the record read twice (a span file given twice, an exporter's retry)
  // The record again under its id but different: re-sent with a later end, or as the client half of an
  // RPC whose server half (the record, inside it) shares the id, as Zipkin instrumentation writes them.
  sameId: fc.constantFrom('none', 'none', 'later-end', 'rpc-halves'),
});
const traceArb = fc.record({
  spans: fc.array(spanArb, { minLength: 1, maxLength: 5 }),
  loose: fc.array(fc.record({ service: fc.nat(2), offset: fc.integer({ min: 0, max: 700 }), error: fc.boolean(), serviceless: fc.boolean() }), { maxLength: 2 }),
  far: fc.option(fc.record({ at: fc.nat(FAR.length - 1), service: fc.nat(2) }), { nil: undefined }),
  // A far-off line of span `span` (modulo the trace's spans), written before its lines or after them.
  farInSpan: fc.option(fc.record({ at: fc.nat(FAR.length - 1), span: fc.nat(4), before: fc.boolean() }), { nil: undefined }),
  traceIdOnly: fc.boolean(), // lines with a trace id only, no span records: a placeholder span per service
  // An nginx access line logging the incoming traceparent (D81): no span id, the caller's span as parent,
  // [time - request_time, time] around the whole trace; the first span names the same missing caller.
  proxy: fc.boolean(),
});

type TraceIn = typeof traceArb extends fc.Arbitrary<infer T> ? T : never;

/** The trace's lines: every span's parent is the span before it (the first is the root). */
function linesOf(t: TraceIn, k: number): string[] {
  const traceId = (0xabc0 + k).toString(16).padStart(32, '0');
  const start = T0 + k * 10_000;
  const out: string[] = [];
  // The proxy's rule hangs a logged span under the access line; a first span that is a record keeps the
  // missing caller as its parent, a root beside the access line, as does a span with a missing parent.
  const proxy = t.proxy && !t.traceIdOnly;
  const CALLER = 'cafe0000cafe0000';
  if (proxy) out.push(JSON.stringify({ time: iso(start + 701), remote_addr: '10.2.4.141', request: 'POST /api/checkout HTTP/1.1', status: 201, request_time: 0.702, http_traceparent: `00-${traceId}-${CALLER}-01` }));
  t.spans.forEach((s: TraceIn['spans'][number], i: number) => {
    const spanId = (0x1000 + k * 16 + i).toString(16).padStart(16, '0');
    const parent = i === 0 ? (proxy ? CALLER : undefined) : s.namesNone ? undefined : s.dropParent ? 'dead00000000beef' : (0x1000 + k * 16 + i - 1).toString(16).padStart(16, '0');
    const service = SERVICES[s.service]!;
    const from = start + s.offset;
    const to = from + s.length;
    const farHere = t.farInSpan !== undefined && t.farInSpan.span % t.spans.length === i;
    const farLine = (): void => {
      const line: Record<string, unknown> = { time: iso(FAR[t.farInSpan!.at]!), level: 'info', msg: 'clock reset', service, trace_id: traceId };
      if (s.serviceless === 'all' && !s.asRecord) delete line.service;
      if (!t.traceIdOnly) line.span_id = spanId;
      if (parent && !t.traceIdOnly) line.parent_span_id = parent;
      out.push(JSON.stringify(line));
    };
    if (s.asRecord && !t.traceIdOnly) {
      const rec: Record<string, unknown> = { traceId, spanId, name: `op${i}`, serviceName: service, startTime: from, endTime: to, status: { code: s.error ? 'ERROR' : 'OK' } };
      if (parent) rec.parentSpanId = parent;
      if (s.sameId === 'rpc-halves') rec.kind = 'server';
      out.push(JSON.stringify(rec));
      if (s.repeatRecord) out.push(JSON.stringify(rec));
      if (s.sameId === 'later-end') out.push(JSON.stringify({ ...rec, endTime: to + 25 }));
      if (s.sameId === 'rpc-halves') out.push(JSON.stringify({ ...rec, kind: 'client', name: `call op${i}`, startTime: from - 1, endTime: to + 1 }));
      if (!s.alsoLines) {
        if (farHere) farLine(); // a log line of a recorded span: the record keeps its times
        return;
      }
    }
    if (farHere && t.farInSpan!.before) farLine();
    for (let l = 0; l < s.lines; l++) {
      const last = l === s.lines - 1;
      const at = s.lines === 1 ? to : from + Math.round(((to - from) * l) / (s.lines - 1));
      const line: Record<string, unknown> = { time: iso(at), level: last && s.error ? 'error' : 'info', msg: l === 0 ? `op${i}` : `step ${l}`, service, trace_id: traceId };
      if (s.serviceless === 'all' && !s.asRecord) delete line.service;
      if (!t.traceIdOnly) line.span_id = spanId;
      if (parent && !t.traceIdOnly) line.parent_span_id = parent;
      if (last && s.reportsDuration) line.duration_ms = to - from;
      out.push(JSON.stringify(line));
      if (s.repeatLine) out.push(JSON.stringify(line));
    }
    if (farHere && !t.farInSpan!.before) farLine();
  });
  for (const l of t.loose) out.push(JSON.stringify({ time: iso(start + l.offset), level: l.error ? 'error' : 'info', msg: 'no span', service: l.serviceless ? undefined : SERVICES[l.service], trace_id: traceId }));
  if (t.far) out.push(JSON.stringify({ time: iso(FAR[t.far.at]!), level: 'info', msg: 'far off', service: SERVICES[t.far.service], trace_id: traceId, span_id: 'f0f0f0f0f0f0f0f0' }));
  return out;
}

interface Facts {
  startUs: number;
  durationUs: number;
  spans: number;
  errors: number;
}
interface Root {
  rootService: string | null;
  rootOperation: string | null;
}
const facts = (o: Facts): Facts => ({ startUs: o.startUs, durationUs: o.durationUs, spans: o.spans, errors: o.errors });
const SPLIT = { TRACECTL_CHUNK_BYTES: '512', TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' };

async function check(traces: TraceIn[], threads: number): Promise<void> {
  const lines: string[] = [];
  traces.forEach((t, k) => lines.push(...linesOf(t, k)));
  // Lines of the traces interleaved as services write them at once: by a fixed shuffle.
  const stdin = lines.map((l, i) => ({ l, k: (i * 7919) % 104729 })).sort((a, b) => a.k - b.k).map((x) => x.l).join('\n') + '\n';
  const opts = { stdin, threads, env: threads > 1 ? SPLIT : { NO_COLOR: '1' } };
  const group = (await runCli(['group', '--json', '-q', '--threads', String(threads)], opts)).stdout.trim().split('\n').map((l) => JSON.parse(l) as Facts & { traceId: string; rootService: string | null; root: string | null; services: string[] });
  const slowest = (await runCli(['slowest', '--json', '-q', '--top', '100', '--threads', String(threads)], opts)).stdout.trim().split('\n').map((l) => JSON.parse(l) as Facts & Root & { traceId: string; services: string[] });
  expect(group).toHaveLength(traces.length);
  const bySlowest = new Map(slowest.map((r) => [r.traceId, facts(r)]));
  const rootBySlowest = new Map(slowest.map((r) => [r.traceId, [r.rootService, r.rootOperation]]));
  const servicesBySlowest = new Map(slowest.map((r) => [r.traceId, r.services]));
  for (const g of group) {
    const tree = JSON.parse((await runCli(['tree', '--json', '-q', g.traceId], { stdin })).stdout) as Facts & Root & { roots: { spanId: string; service: string; operation: string }[] };
    const want = facts(tree);
    expect(facts(g), `group ${g.traceId}`).toEqual(want);
    const path = JSON.parse((await runCli(['critical-path', '--json', '-q', g.traceId], { stdin })).stdout) as Facts & { rootSpanId: string };
    expect([path.startUs, path.durationUs], `critical-path ${g.traceId}`).toEqual([want.startUs, want.durationUs]);
    const pathRoot = tree.roots.find((r) => r.spanId === path.rootSpanId);
    expect([pathRoot?.service, pathRoot?.operation], `critical-path's root ${g.traceId}`).toEqual([tree.rootService, tree.rootOperation]);
    // The services of the trace's spans, "unknown" for a span none of whose lines names one.
    expect(g.services, `group's services ${g.traceId}`).toEqual(servicesBySlowest.get(g.traceId));
    expect(bySlowest.get(g.traceId), `slowest ${g.traceId}`).toEqual(want);
    expect(rootBySlowest.get(g.traceId), `slowest's root ${g.traceId}`).toEqual([tree.rootService, tree.rootOperation]);
    // One root for the trace (model/root-rule.ts): a span naming no parent where spans name parents the
    // trace holds (it then keeps no parent from timing), then the earliest span whose parent is missing
    // (dropParent, the proxy's caller), then log spans naming none, placeholders, far-off spans. (Open,
    // D109: where no span names a parent it holds, a parentless log span starting in the same ms as a
    // longer one hangs under it in the tree while group names it; the generator makes that rarely.)
    expect([g.rootService, g.root], `group's root ${g.traceId}`).toEqual([tree.rootService, tree.rootOperation]);
  }
}

describe('one trace model', () => {
  it.each([1, 2])('group, slowest and tree agree per trace on %i thread(s)', async (threads) => {
    await fc.assert(
      fc.asyncProperty(fc.array(traceArb, { minLength: 1, maxLength: 3 }), (traces) => check(traces, threads)),
      { numRuns: Math.max(10, Math.floor(RUNS / 5)) },
    );
  }, 600_000);
});

// Logs that carry trace and span ids but never a parent (pino, zap, structlog, logback with the OTel log
// instrumentations): the tree is inferred from timing, and every command reads the same structure.
//
// fixtures/logs-only/ (scripts/fixtures/logs-only.py): 12 checkouts, 7.3 s apart, each
//
//   gateway POST /checkout   |==========================================|   pino, whole ms
//     gateway verify token    |=|                                              same service, nested
//     orders POST /orders        |=====================================|      zap, float seconds
//       db SELECT stock            |==|                                       logback, 1 ms behind
//       payments POST /charges          |========================|            structlog, µs
//         db SELECT card              |=====|                                 starts 0.9 ms "before" payments
//       db UPDATE order                                            |==|
//
// request 7 (truth.slowTrace): the card provider takes 2.4 s inside payments; request 10: it times out
// after 1 s (payments fails, then orders and the gateway). truth.json holds every span's parent and times.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';
import { expectGolden, jsonLines } from './golden.js';

interface TruthSpan {
  spanId: string;
  service: string;
  operation: string;
  startUs: number;
  endUs: number;
  parentSpanId: string | null;
}
interface Truth {
  slowTrace: string;
  slowOperation: { service: string; operation: string };
  traces: { traceId: string; durationUs: number; error: boolean; spans: TruthSpan[] }[];
}

const truth = JSON.parse(readFileSync(fixture('logs-only/truth.json'), 'utf8')) as Truth;
const FILES = ['gateway', 'orders', 'payments', 'db'].map((s) => fixture(`logs-only/${s}.log`));
/** The span records the gateway's and orders' tracers export, with parents: the logs' spans merge into them. */
const RECORDS = fixture('logs-only/gateway-orders.spans.jsonl');

/** A span's time not covered by its (truth) children, clipped to it. */
function selfTime(s: TruthSpan, all: TruthSpan[]): number {
  const kids = all
    .filter((c) => c.parentSpanId === s.spanId)
    .map((c) => [Math.max(c.startUs, s.startUs), Math.min(c.endUs, s.endUs)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let reach = s.startUs;
  for (const [a, b] of kids) {
    if (b <= reach) continue;
    covered += b - Math.max(a, reach);
    reach = b;
  }
  return s.endUs - s.startUs - covered;
}

interface JsonSpan {
  spanId: string;
  parentSpanId: string | null;
  parentInferred?: boolean;
  startUs: number;
  durationUs: number;
  children: JsonSpan[];
}

function flatten(roots: JsonSpan[]): JsonSpan[] {
  const out: JsonSpan[] = [];
  const stack = [...roots];
  for (let s = stack.pop(); s !== undefined; s = stack.pop()) {
    out.push(s);
    stack.push(...s.children);
  }
  return out;
}

describe('logs with trace and span ids but no parents', () => {
  it('tree --json: every span under its true parent, each inferred link marked, times as logged', async () => {
    for (const t of truth.traces) {
      const r = await runCli(['tree', t.traceId, ...FILES, '--json', '-q']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { durationUs: number; parentsInferred: unknown; roots: JsonSpan[] };
      expect(doc.durationUs).toBe(t.durationUs);
      expect(doc.parentsInferred).toEqual({ count: 6, ambiguous: 0 });
      expect(doc.roots).toHaveLength(1);
      const got = flatten(doc.roots).map((s) => ({ spanId: s.spanId, parentSpanId: s.parentSpanId, inferred: s.parentInferred === true, startUs: s.startUs, endUs: s.startUs + s.durationUs }));
      const want = t.spans.map((s) => ({ spanId: s.spanId, parentSpanId: s.parentSpanId, inferred: s.parentSpanId !== null, startUs: s.startUs, endUs: s.endUs }));
      const byId = (a: { spanId: string }, b: { spanId: string }) => (a.spanId < b.spanId ? -1 : 1);
      expect(got.sort(byId)).toEqual(want.sort(byId));
    }
  });

  it('tree: the inferred structure, marked ≈, the header says how much was inferred (golden)', async () => {
    const r = await runCli(['tree', truth.slowTrace.slice(0, 8), ...FILES, '--width', '120']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('≈ parents inferred from timing: 6 of 7');
    expect(r.stdout.match(/≈ /g)).toHaveLength(7); // the header's and six spans'
    // the db call that starts 0.9 ms before payments (its clock is behind) is skew, not another parent
    expect(r.stderr).toContain('starts 900 µs before its parent');
    expectGolden(r.stdout, 'logs-only-tree');
  });

  it('timeline, critical-path and latency --trace say it in their headers too', async () => {
    const id = truth.slowTrace.slice(0, 8);
    for (const argv of [['timeline', id], ['critical-path', id], ['latency', '--trace', id]]) {
      const r = await runCli([...argv, ...FILES, '-q', '--width', '120']);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').slice(0, 3)).toContain('≈ parents inferred from timing: 6 of 7');
    }
  });

  it('critical-path puts most of the time on the planted slow operation', async () => {
    const r = await runCli(['critical-path', truth.slowTrace, ...FILES, '--json', '-q']);
    expect(r.code).toBe(0);
    const cp = JSON.parse(r.stdout) as { pathUs: number; perSpan: { service: string; operation: string; onPathUs: number }[] };
    const t = truth.traces.find((x) => x.traceId === truth.slowTrace)!;
    const pay = t.spans.find((s) => s.service === 'payments')!;
    const card = t.spans.find((s) => s.parentSpanId === pay.spanId)!;
    expect(cp.pathUs).toBe(t.durationUs);
    expect(cp.perSpan[0]).toMatchObject(truth.slowOperation);
    // payments waits for its card query (which began before it, on a clock 1 ms behind), then works alone
    expect(cp.perSpan[0]!.onPathUs).toBe(pay.endUs - card.endUs);
    expect(cp.perSpan[0]!.onPathUs / cp.pathUs).toBeGreaterThan(0.95);
  });

  it('slowest --top 1 is the planted slow request, its duration within 5% (here: exact)', async () => {
    const r = await runCli(['slowest', '--top', '1', '--json', ...FILES, '-q']);
    const [row] = jsonLines(r.stdout) as { traceId: string; durationUs: number; rootService: string }[];
    const t = truth.traces.find((x) => x.traceId === truth.slowTrace)!;
    expect(row!.traceId).toBe(truth.slowTrace);
    expect(Math.abs(row!.durationUs - t.durationUs) / t.durationUs).toBeLessThan(0.05);
    expect(row!.durationUs).toBe(t.durationUs);
    expect(row!.rootService).toBe('gateway');
  });

  it("latency's self times are the truth tree's, across all traces and for one (two ways in)", async () => {
    const want = new Map<string, number>();
    for (const t of truth.traces) for (const s of t.spans) want.set(s.service, (want.get(s.service) ?? 0) + selfTime(s, t.spans));
    for (const env of [{ NO_COLOR: '1' }, { NO_COLOR: '1', TRACECTL_PARSE_ALL: '1' }] as Record<string, string>[]) {
      const r = await runCli(['latency', '--json', ...FILES, '-q'], { env });
      const got = new Map((jsonLines(r.stdout) as { service: string; selfUs: number }[]).map((x) => [x.service, x.selfUs]));
      expect(got).toEqual(want);
    }
    // one trace through `latency --trace` (the one-trace reader and buildTree) adds up to the same
    const sum = new Map<string, number>();
    for (const t of truth.traces) {
      const r = await runCli(['latency', '--trace', t.traceId, '--json', ...FILES, '-q']);
      for (const x of jsonLines(r.stdout) as { service: string; selfUs: number }[]) sum.set(x.service, (sum.get(x.service) ?? 0) + x.selfUs);
    }
    expect(sum).toEqual(want);
  });

  it('services: the calls follow the inferred structure', async () => {
    const r = await runCli(['services', '--json', ...FILES, '-q']);
    const edges = (jsonLines(r.stdout) as { from?: string; to?: string; calls?: number }[]).filter((e) => e.from !== undefined).map((e) => `${e.from}->${e.to} ${e.calls}`);
    expect(edges.sort()).toEqual(['gateway->orders 12', 'orders->db 24', 'orders->payments 12', 'payments->db 12']);
  });

  it('with the span records of gateway and orders added: named parents for those, the same tree and answers', async () => {
    for (const t of truth.traces) {
      const r = await runCli(['tree', t.traceId, ...FILES, RECORDS, '--json', '-q']);
      const doc = JSON.parse(r.stdout) as { durationUs: number; parentsInferred: unknown; roots: JsonSpan[] };
      expect(doc.parentsInferred).toEqual({ count: 4, ambiguous: 0 }); // db and payments spans only
      const got = flatten(doc.roots).map((s) => [s.spanId, s.parentSpanId, s.parentInferred === true]).sort();
      const named = new Set(['gateway', 'orders']);
      expect(got).toEqual(t.spans.map((s) => [s.spanId, s.parentSpanId, s.parentSpanId !== null && !named.has(s.service)]).sort());
    }
    const cp = JSON.parse((await runCli(['critical-path', truth.slowTrace, ...FILES, RECORDS, '--json', '-q'])).stdout) as { perSpan: { service: string; operation: string }[] };
    expect(cp.perSpan[0]).toMatchObject(truth.slowOperation);
    const [row] = jsonLines((await runCli(['slowest', '--top', '1', '--json', ...FILES, RECORDS, '-q'])).stdout) as { traceId: string }[];
    expect(row!.traceId).toBe(truth.slowTrace);
    const logsOnly = await runCli(['latency', '--json', ...FILES, '-q']);
    const withRecords = await runCli(['latency', '--json', ...FILES, RECORDS, '-q']);
    expect(withRecords.stdout).toBe(logsOnly.stdout);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, peerdata, runCli } from './run-cli.js';

const M = (f: string) => fixture(`mixed/${f}`);
const FILES = [M('web.log'), M('api.kubectl.log'), M('worker.docker.log'), M('payments.ecs.log.gz'), '-'];
const STDIN = readFileSync(M('cri.stdin.log'));
const golden = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');

describe('tracectl tree', () => {
  /*
   * Trace 4bf92f35 across three services and three logger styles:
   *   web      GET /checkout  [0 ──────────────────────── 480ms]  ✗ 502
   *   api      POST /charge     [10 ───────────────────── 470]    ✗ card declined
   *   payments authorizing        [20 ─────────────────── 440]    ✗ do_not_honor
   */
  it('draws the tree across services with errors and log lines (golden)', async () => {
    const r = await runCli(['tree', '4bf9', '--logs', '--width', '160', ...FILES], { stdin: STDIN });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('tree-mixed-logs.txt'));
    // lines that cannot hold the id are counted, not parsed
    expect(r.stderr).toMatch(/24 lines read from 5 sources: \d+ used, 0 without a trace id, 1 partial lines joined, \d+ not examined/);
  });

  it('--json gives the nested tree by value', async () => {
    const r = await runCli(['tree', '4bf92f35', '--json', '-q', ...FILES], { stdin: STDIN });
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', durationUs: 480_000, spans: 3 });
    const web = t.roots[0];
    expect(web).toMatchObject({ spanId: '00f067aa0ba902b7', service: 'web', operation: 'GET /checkout', durationUs: 480_000, error: true, depth: 0 });
    const api = web.children[0];
    expect(api).toMatchObject({ spanId: '53995c3f42cd8ad8', parentSpanId: '00f067aa0ba902b7', service: 'api', offsetUs: 10_000, durationUs: 460_000, errorMessage: 'PaymentError: card declined' });
    const pay = api.children[0];
    // the ECS line at 01.440 reports event.duration 420 ms: the span began at 01.020
    expect(pay).toMatchObject({ service: 'payments', offsetUs: 20_000, durationUs: 420_000, errorMessage: 'IssuerDeclined: do_not_honor', children: [] });
  });

  it('timeline draws a waterfall with event markers (golden)', async () => {
    const r = await runCli(['timeline', '0af7', '--width', '100', '-q', ...FILES], { stdin: STDIN });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('timeline-mixed.txt'));
  });

  it('timeline --json is flat, in tree order, with depth and offsets', async () => {
    const r = await runCli(['timeline', '0af7', '--json', '-q', ...FILES], { stdin: STDIN });
    const t = JSON.parse(r.stdout);
    expect(t.spanList.map((s: { service: string; depth: number; offsetUs: number }) => [s.service, s.depth, s.offsetUs])).toEqual([
      ['web', 0, 0],
      ['api', 1, 10_000],
      ['db-proxy', 2, 20_000],
    ]);
    expect(t.spanList[2].events).toHaveLength(2);
  });

  it('a 64-bit B3 id is found by the id as it was logged', async () => {
    const r = await runCli(['tree', 'a3ce929d', '-q', ...FILES], { stdin: STDIN });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('worker job started');
  });

  it('not found: exit 1 with how much was read; ambiguous: exit 2 with candidates', async () => {
    const none = await runCli(['tree', 'ffff', '-q', M('web.log')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no trace id starts with 'ffff' (5 lines read)");
    const two = '{"traceId":"abc1000000000000000000000000000a","spanId":"1","msg":"x"}\n{"traceId":"abc2000000000000000000000000000b","spanId":"2","msg":"y"}\n';
    const amb = await runCli(['tree', 'abc', '-q'], { stdin: two });
    expect(amb.code).toBe(2);
    expect(amb.stderr).toContain("'abc' matches 2 traces");
    expect(amb.stderr).toContain('abc1000000000000000000000000000a');
  });

  it('the same trace read from OTLP and from Jaeger JSON gives the same tree', async () => {
    const fromOtlp = await runCli(['tree', 'c620759e', '--json', '-q', peerdata('jaeger-ui/packages/jaeger-ui/src/utils/fixtures/otlp2jaeger-multi-in-combined.json')]);
    const fromJaeger = await runCli(['tree', 'c620759e', '--json', '-q', peerdata('jaeger-ui/packages/jaeger-ui/src/utils/fixtures/oltp2jaeger-multi-out.json')]);
    expect(fromOtlp.code).toBe(0);
    const shape = (out: string) => {
      const rows: string[] = [];
      const walk = (n: { spanId: string; service: string; operation: string; startUs: number; durationUs: number; depth: number; children: unknown[] }) => {
        rows.push(`${n.depth} ${n.spanId} ${n.service} ${n.operation} ${n.startUs} ${n.durationUs}`);
        (n.children as (typeof n)[]).forEach(walk);
      };
      JSON.parse(out).roots.forEach(walk);
      return rows;
    };
    expect(shape(fromOtlp.stdout)).toEqual(shape(fromJaeger.stdout));
    expect(shape(fromOtlp.stdout)).toHaveLength(4);
  });

  it('spans and their log lines from different files come together (OTLP trace + OTLP logs)', async () => {
    const r = await runCli(['tree', '5b8efff7', '--logs', '--json', '-q', peerdata('opentelemetry-proto/examples/trace.json'), peerdata('opentelemetry-proto/examples/logs.json')]);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.spans).toBe(1);
    expect(t.roots[0].missingParent).toBe('eee19b7ec3c1b173');
    expect(t.roots[0].events).toHaveLength(1);
  });

  it('--adjust-skew shifts the skewed Zipkin server span and says so', async () => {
    const plain = await runCli(['tree', '1e223ff1', '--json', '-q', peerdata('zipkin/zipkin-lens/testdata/skew.json')]);
    const adjusted = await runCli(['tree', '1e223ff1', '--json', '--adjust-skew', peerdata('zipkin/zipkin-lens/testdata/skew.json')]);
    expect(plain.code).toBe(0);
    expect(JSON.stringify(JSON.parse(plain.stdout))).toContain('"skew"');
    expect(JSON.stringify(JSON.parse(adjusted.stdout))).toContain('"shiftUs"');
    // skew.json's RPC: client 127.0.0.0 at 074202 for 94539 µs, server 192.0.0.0 at 008761 for 93577 µs.
    // Jaeger's clock-skew adjuster centres the server in its client: 74202 + (94539 − 93577) / 2 − 8761.
    expect(adjusted.stderr).toContain('shifted by +65922 µs with 1 same-host descendant(s) to fit its parent');
  });

  it("reads the collector's debug-exporter text as span data", async () => {
    const r = await runCli(['tree', '0102', '--json', peerdata('opentelemetry-collector/exporter/debugexporter/internal/otlptext/testdata/traces/two_spans.out')]);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t).toMatchObject({ traceId: '0102030405060708090a0b0c0d0e0f10', durationUs: 1_000_000, spans: 1 });
    expect(t.roots[0]).toMatchObject({ operation: 'operationA', error: true });
    // 58 lines, all accounted for; the span without ids is named in a warning with its line
    expect(r.stderr).toContain('58 lines read from 1 source: 58 used');
    expect(r.stderr).toContain('two_spans.out:33: collector-text: span "operationB" without Trace ID (skipped)');
  });
});

describe('tree: async children are not skew', () => {
  // fixtures/analyses/incidents.spans.jsonl, trace B (ms from its start):
  //   s-b1 web GET /orders   |==========|             0-50
  //     s-b4 mail send               |======|        40-70   another host; starts inside, ends 20 after
  it('a child that starts inside its parent and ends after it is ↷ async, in text and JSON', async () => {
    const F = fixture('analyses/incidents.spans.jsonl');
    const text = await runCli(['tree', 'bbbb', F, '--width', '160']);
    expect(text.code).toBe(0);
    const mail = text.stdout.split('\n').find((l) => l.includes('mail send'))!;
    expect(mail).toContain('↷ async: ends 20ms after parent');
    expect(text.stdout).not.toContain('skew');
    expect(text.stderr).not.toContain('clock-skew');
    const json = JSON.parse((await runCli(['tree', 'bbbb', F, '--json', '-q'])).stdout) as { warnings: unknown[]; roots: { children: { spanId: string; asyncEndsAfterUs?: number; skew?: unknown }[] }[] };
    const b4 = json.roots[0]!.children.find((c) => c.spanId === 's-b4')!;
    expect(b4.asyncEndsAfterUs).toBe(20_000);
    expect(b4.skew).toBeUndefined();
    expect(json.warnings).toEqual([]);
  });
});

describe('tracectl tree, timeline and critical-path: parents that form a cycle', () => {
  const CYCLE = fixture('hostile/parent-cycle.otlp.jsonl');
  it('cut the cycle into roots that say why, in text and JSON', async () => {
    const tree = await runCli(['tree', 'c0c0', CYCLE]);
    expect(tree.code).toBe(0);
    const row = (op: string) => tree.stdout.split('\n').find((l) => l.includes(`cyc ${op} `)) ?? '';
    expect(row('A')).toContain('⟲ parent cycle cut (named 00000000000000a2)');
    expect(row('self')).toContain('⟲ names itself as its parent');
    expect(row('B')).not.toContain('⟲');
    expect(row('root')).not.toContain('⟲');
    interface Node { operation: string; cutParent?: string; children?: Node[] }
    const json = JSON.parse((await runCli(['tree', 'c0c0', '--json', CYCLE])).stdout) as { roots: Node[] };
    const all = (ns: Node[]): Node[] => ns.flatMap((n) => [n, ...all(n.children ?? [])]);
    const cut = Object.fromEntries(all(json.roots).map((s) => [s.operation, s.cutParent]));
    expect(cut).toEqual({ root: undefined, A: '00000000000000a2', B: undefined, self: '00000000000000a3' });
    const timeline = await runCli(['timeline', 'c0c0', CYCLE]);
    expect(timeline.stdout).toContain('⟲ parent cycle cut (named 00000000000000a2)');
    const cp = await runCli(['critical-path', 'c0c0', CYCLE]);
    expect(cp.stdout).toContain('the trace has 3 roots (a parent cycle cut, a span naming itself as its parent)');
  });
});


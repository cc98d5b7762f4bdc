// The producing side and the reading side together: three real services on loopback write their logs and
// span records, and the real tracectl CLI rebuilds what happened from them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { checkout, collect, startSystem, toLogText, type System } from './three-services.js';

interface Node {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  operation: string;
  durationUs: number;
  error: boolean;
  errorMessage?: string;
  kind?: string;
  children: Node[];
}

let system: System;
let log: string;
let okTrace = '';
let failedTrace = '';

beforeAll(async () => {
  system = await startSystem();
  const ok = await checkout(system, { items: 2 });
  const failed = await checkout(system, { items: 3, fail: true });
  okTrace = ok.headers.get('x-trace-id') ?? '';
  failedTrace = failed.headers.get('x-trace-id') ?? '';
  // As `kubectl logs --prefix` of the three pods would show them.
  log = toLogText(await collect(system), { kubectlPrefix: true });
});

afterAll(async () => {
  await system.stop();
});

/** Depth-first list of (depth, service, kind) from the tree JSON. */
function walk(n: Node, depth = 0, out: { depth: number; node: Node }[] = []) {
  out.push({ depth, node: n });
  for (const c of n.children) walk(c, depth + 1, out);
  return out;
}

describe('instrumented services → tracectl', () => {
  it('tree: one root, and the parent chain crosses gateway → orders → payments through the client spans', async () => {
    const r = await runCli(['tree', okTrace.slice(0, 12), '--json', '-q'], { stdin: log });
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.roots).toHaveLength(1);
    const rows = walk(t.roots[0]);
    expect(rows.every((x) => !('missingParent' in x.node))).toBe(true);
    // the request path: server and client spans alternate down the chain
    const path = rows.filter((x) => x.node.kind === 'server' || x.node.kind === 'client').map((x) => `${x.depth}:${x.node.service}:${x.node.kind}`);
    expect(path).toEqual(['0:gateway:server', '1:gateway:client', '2:orders:server', '3:orders:client', '4:payments:server']);
    // durations nest: each hop is no longer than the one that called it
    const durations = rows.filter((x) => x.node.kind === 'server' || x.node.kind === 'client').map((x) => x.node.durationUs);
    for (let i = 1; i < durations.length; i++) expect(durations[i]!).toBeLessThanOrEqual(durations[i - 1]!);
    // log lines hang on their spans
    const withLogs = await runCli(['tree', okTrace.slice(0, 12), '--logs', '-q', '--width', '140'], { stdin: log });
    expect(withLogs.stdout).toContain('request started');
  });

  it('errors: the failed checkout leads from the gateway down to the origin in payments', async () => {
    const r = await runCli(['errors', '--json', '-q'], { stdin: log });
    expect(r.code).toBe(0);
    const paths = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((p) => p.traceId === failedTrace);
    expect(paths.length).toBeGreaterThan(0);
    const deepest = paths[0];
    const services = deepest.hops.map((h: { service: string }) => h.service);
    expect(services[0]).toBe('gateway');
    expect(services.at(-1)).toBe('payments');
    expect(services).toContain('orders');
    expect(JSON.stringify(deepest)).toContain('card network timeout');
  });

  it('group: both traces, the failed one with errors, across the three services', async () => {
    const r = await runCli(['group', '--json', '-q'], { stdin: log });
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const byId = new Map(rows.map((x) => [x.traceId, x]));
    expect(byId.get(okTrace)).toMatchObject({ errors: 0, services: ['gateway', 'orders', 'payments'] });
    expect(byId.get(failedTrace).errors).toBeGreaterThan(0);
    expect(byId.get(failedTrace).services).toEqual(['gateway', 'orders', 'payments']);
  });
});

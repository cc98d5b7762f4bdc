// One root per trace in every command (model/root-rule.ts, D109), where `group`'s streaming summary cannot
// see the tree's inferred parents or the order of its roots; and one list of services (D110).
//
// fixtures/roots/lost-parent.log (ms after T = 2025-03-14T09:25:00Z): the logs carry parent ids (orders
// names gateway), so gateway, naming none, is the root by its word; audit's parent line was lost.
//
//   audit    (parent b7ad… missing)  |-5=============================================250|   error
//   gateway  (names no parent)          |0==================100|
//     orders (parent gateway)               |10=====60|
//
// audit encloses gateway, so inference from timing would hang gateway under audit: the span the rule
// picks keeps no inferred parent, and every command names gateway.
//
// fixtures/roots/proxy-record.log: nginx's access line under the caller's traceparent (D81) and a span
// record of gateway naming the same missing caller (a record is never adopted): two roots naming a
// missing parent, and the access line, earlier, stands for the trace.
//
//   edge     (access line, parent cafe… missing)  |-1==========================================701|
//   gateway  (record, parent cafe… missing)          |0====================================650|
//     orders (parent gateway)                           |20======150|
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

async function roots(file: string): Promise<Record<string, unknown[]>> {
  const run = async (argv: string[]) => JSON.parse((await runCli([...argv, '--json', '-q', file])).stdout) as Record<string, unknown>;
  const group = await run(['group']);
  const slowest = await run(['slowest']);
  const tree = await run(['tree', TRACE]);
  const path = await run(['critical-path', TRACE]);
  const pathRoot = (path.sections as { spanId: string; service: string; operation: string }[]).find((s) => s.spanId === path.rootSpanId);
  return {
    group: [group.rootService, group.root],
    slowest: [slowest.rootService, slowest.rootOperation],
    tree: [tree.rootService, tree.rootOperation],
    'critical-path': [pathRoot?.service, pathRoot?.operation],
  };
}

const every = (root: unknown[]) => ({ group: root, slowest: root, tree: root, 'critical-path': root });

describe('one root per trace (#27)', () => {
  it('a root naming no parent in logs that carry parent ids keeps no parent inferred from timing', async () => {
    expect(await roots('fixtures/roots/lost-parent.log')).toEqual(every(['gateway', 'POST /checkout']));
    const tree = (await runCli(['tree', TRACE, '-q', 'fixtures/roots/lost-parent.log'])).stdout;
    expect(tree).not.toContain('≈');
  });

  it("a proxy's access line and a span record naming the same missing caller: the earlier stands", async () => {
    expect(await roots('fixtures/roots/proxy-record.log')).toEqual(every(['unknown', '(no span id)']));
  });

  it('a span whose lines name no service is "unknown"\'s in group as in slowest and tree', async () => {
    const stdin = [
      { time: '2025-03-14T09:25:00.000Z', msg: 'POST /checkout', service: 'gateway', trace_id: TRACE, span_id: '00f067aa0ba902b7' },
      { time: '2025-03-14T09:25:00.010Z', msg: 'cache lookup', trace_id: TRACE, span_id: '53995c3f42cd8ad8', parent_span_id: '00f067aa0ba902b7' },
      { time: '2025-03-14T09:25:00.020Z', msg: 'cache miss', trace_id: TRACE, span_id: '53995c3f42cd8ad8', parent_span_id: '00f067aa0ba902b7' },
      // A span whose first line lacks the service but a later one names it is that service's.
      { time: '2025-03-14T09:25:00.030Z', msg: 'charge', trace_id: TRACE, span_id: 'a3ce929d0e0e4736', parent_span_id: '00f067aa0ba902b7' },
      { time: '2025-03-14T09:25:00.040Z', msg: 'charged', service: 'payments', trace_id: TRACE, span_id: 'a3ce929d0e0e4736', parent_span_id: '00f067aa0ba902b7' },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n';
    for (const threads of ['1', '2']) {
      const env = { TRACECTL_CHUNK_BYTES: '256', TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' };
      const group = JSON.parse((await runCli(['group', '--json', '-q', '--threads', threads], { stdin, env })).stdout) as { services: string[] };
      const slowest = JSON.parse((await runCli(['slowest', '--json', '-q', '--threads', threads], { stdin, env })).stdout) as { services: string[] };
      expect(group.services, `${threads} thread(s)`).toEqual(['gateway', 'payments', 'unknown']);
      expect(slowest.services).toEqual(group.services);
    }
    const tree = JSON.parse((await runCli(['tree', TRACE, '--json', '-q'], { stdin })).stdout) as { roots: { children: { service: string }[] }[] };
    expect(tree.roots[0]!.children.map((c) => c.service).sort()).toEqual(['payments', 'unknown']);
  });
});

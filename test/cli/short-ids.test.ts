// Short trace ids shown are prefixes `tree` resolves to one trace (D135): Datadog's 128-bit ids share their
// first 16 digits within a second, and ids shown together are lengthened until no two share a prefix.
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

describe('short trace ids (#27, D135)', () => {
  it("errors --summary shows a Datadog 128-bit id whole, and tree takes it", async () => {
    const r = await runCli(['errors', '--summary', '-q', '--width', '160', fixture('lines/datadog-128.log')]);
    expect(r.stdout).toContain('  6b17569a00000000f2a74de452e6b438  card declined by issuer');
    const shown = /(6b17569a\w+)/.exec(r.stdout)![1]!;
    const tree = await runCli(['tree', shown, '-q', fixture('lines/datadog-128.log')]);
    expect(tree.code).toBe(0);
  });

  it('ids shown together are lengthened until each is unique among them', async () => {
    const line = (trace: string, service: string, msg: string) =>
      JSON.stringify({ time: '2026-12-08T01:00:00.000Z', level: 'error', service, trace_id: trace, span_id: '00f067aa0ba902b7', msg });
    const stdin = [
      line('4bf92f3577b34da6a3ce929d0e0e4736', 'payments', 'card declined'),
      line('4bf92f3577b34da6a3ce9200000000ff', 'inventory', 'out of stock'),
    ].join('\n') + '\n';
    const r = await runCli(['errors', '--summary', '-q', '--width', '160'], { stdin });
    expect(r.stdout).toContain(' 4bf92f3577b34da6a3ce929  card declined');
    expect(r.stdout).toContain(' 4bf92f3577b34da6a3ce920  out of stock');
  });
});

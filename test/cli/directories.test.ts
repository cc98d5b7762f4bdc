import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

/** A kubelet log folder as an argument (fixtures/pods/README.md has the truth). */
const PODS = fixture('pods/var');

describe('a folder argument', () => {
  it('reads every file below it, services from the pods in the path', async () => {
    const r = await runCli(['group', '--json', PODS]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; services: string[]; errors: number; durationUs: number });
    expect(rows.map((x) => [x.traceId.slice(0, 8), x.services, x.errors, x.durationUs])).toEqual([
      ['4bf92f35', ['checkout', 'payments'], 2, 3_000_000],
      ['0af76519', ['checkout'], 0, 50_000],
    ]);
    expect(r.stderr).toContain('tracectl: 8 lines read from 5 sources: 7 used, 0 without a trace id, 1 skipped; 2 traces');
    expect(r.stderr).toContain('1 not JSON: ');
    expect(r.stderr).toContain('/checkout/1.log:1');
  });

  it('reads rotated and gzipped files, and names each line\'s file', async () => {
    const r = await runCli(['tree', '4bf92f35', '--logs', '--json', '-q', PODS]);
    const tree = JSON.parse(r.stdout) as { roots: { service: string; events: { message: string; source: string }[] }[] };
    expect(tree.roots[0]!.service).toBe('checkout');
    expect(tree.roots[0]!.events.map((e) => [e.message, e.source.split('/').pop()])).toEqual([
      ['checkout started', '0.log.20250314-092500.gz:1'],
      ['calling payments', '0.log.20250314-093000:1'],
      ['checkout failed', '0.log:1'],
    ]);
  });

  it('an empty folder reads nothing and says so', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tracectl-empty-'));
    const r = await runCli(['group', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tracectl: 0 lines read from 0 sources');
  });
});

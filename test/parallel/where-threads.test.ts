import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from '../cli/run-cli.js';

/**
 * --where on threads: the traces it keeps, and what each command makes of them, do not depend on the
 * number of threads. Small chunks split the incident's files between the main thread and a worker, and
 * stdin (read twice: held in memory) is cut into chunks handed out.
 */
const SPLIT = { TRACECTL_CHUNK_BYTES: '2048', TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' };
const kubectl = fixture('incident/kubectl');
const truth = JSON.parse(readFileSync(fixture('incident/truth.json'), 'utf8')) as { customers: Record<string, string[]> };
const stdin = readFileSync(fixture('incident/kubectl/checkout.log'));

describe('--where on threads', () => {
  it.each([
    ['group', ['group', '--json', '--where', 'customer_id=cus_4242', kubectl]],
    ['slowest', ['slowest', '--json', '--where', 'customer_id=cus_7310', kubectl]],
    ['latency', ['latency', '--json', '--where', 'level>=warn', kubectl]],
    ['services', ['services', '--json', '--where', 'msg~declined|rejected', kubectl]],
    ['errors', ['errors', '--json', '--where', 'customer_id=cus_4242', kubectl]],
    ['group from stdin', ['group', '--json', '--where', 'customer_id=cus_4242', '-']],
  ])('%s: 2 threads give exactly what 1 thread gives', async (_name, argv) => {
    const one = await runCli([...argv, '--threads', '1'], { env: SPLIT, stdin });
    const two = await runCli([...argv, '--threads', '2'], { env: SPLIT, stdin });
    expect(one.code, one.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  it('the customer\'s traces, from a file and from stdin', async () => {
    for (const input of [kubectl, '-']) {
      const r = await runCli(['group', '--json', '-q', '--threads', '2', '--where', 'customer_id=cus_4242', input], { env: SPLIT, stdin });
      const ids = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { traceId: string }).traceId);
      expect(ids.sort()).toEqual([...truth.customers.cus_4242!].sort());
    }
  });
});

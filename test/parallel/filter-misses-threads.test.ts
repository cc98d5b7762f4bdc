// The reason a filter left nothing is tallied on every thread that made rows or analysed traces and
// merged: the same words on 2 threads as on 1 (test/cli/filter-misses.test.ts has the cases).
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const LOG = 'fixtures/origins/checkout.log';
const SPLIT = { TRACECTL_CHUNK_BYTES: '2048', TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' };

describe('nothing matched, on threads', () => {
  it.each([
    ['group', '--since', '2025-03-14T09:26:01Z', '--until', '2025-03-14T09:26:02Z'],
    ['slowest', '--since', '2025-03-14T09:26:01Z', '--until', '2025-03-14T09:26:02Z'],
    ['latency', '--service', 'billing'],
    ['services', '--min-duration', '1m'],
  ])('%s %s: 2 threads say what 1 says', async (...argv) => {
    const one = await runCli([...argv, '--threads', '1', LOG], { env: SPLIT });
    const two = await runCli([...argv, '--threads', '2', LOG], { env: SPLIT });
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    const why = (s: string) => s.split('\n').filter((l) => !l.includes('lines read'));
    expect(why(two.stderr)).toEqual(why(one.stderr));
    expect(why(one.stderr).join('\n')).toMatch(/window falls between traces|no trace has a span|the longest of the 24/);
  });
});

import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// Regression (found by the benchmark): renderers measured column widths with Math.max(...rows), which
// overflows the call stack past ~120,000 rows. A 200,000-span trace must render through every
// one-trace command.
function wideTrace(spans: number): string {
  const lines: string[] = [];
  const t0 = 1714557600000;
  lines.push(JSON.stringify({ traceId: 'ab'.repeat(16), spanId: '1'.padStart(16, '0'), name: 'root', serviceName: 'web', startTime: t0, endTime: t0 + 1000 }));
  for (let i = 2; i <= spans; i++) {
    const start = t0 + (i % 900);
    lines.push(
      JSON.stringify({ traceId: 'ab'.repeat(16), spanId: i.toString(16).padStart(16, '0'), parentSpanId: '1'.padStart(16, '0'), name: `op${i % 7}`, serviceName: `svc${i % 5}`, startTime: start, endTime: start + 50, status: i === 777 ? { code: 'ERROR', message: 'boom' } : { code: 'OK' } }),
    );
  }
  return lines.join('\n') + '\n';
}

describe('a trace of 200,000 spans', () => {
  const input = wideTrace(200_000);

  it.each([
    ['tree', ['tree', 'abab', '--expand', '-q']],
    ['critical-path', ['critical-path', 'abab', '-q']],
    ['errors', ['errors', '-q']],
    ['timeline', ['timeline', 'abab', '-q']],
  ])('%s renders every span without overflowing the stack', async (_name, argv) => {
    const r = await runCli(argv, { stdin: input });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    if (argv[0] === 'tree' || argv[0] === 'timeline') expect(r.stdout.split('\n').length).toBeGreaterThan(200_000);
  });

  it('critical-path draws the path and its ancestors, not 200,000 rows; --all draws them all', async () => {
    const r = await runCli(['critical-path', 'abab', '-q'], { stdin: input });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/… \d+ spans off the path not shown \(--all shows every span\)/);
    expect(r.stdout.split('\n').length).toBeLessThan(1000);
    const all = await runCli(['critical-path', 'abab', '--all', '-q'], { stdin: input });
    expect(all.stdout.split('\n').length).toBeGreaterThan(200_000);
    expect(all.stdout).not.toContain('spans off the path not shown');
  });
});


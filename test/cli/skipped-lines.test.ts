// A verdict of nothing found names the lines it could not read (D134): a line over --max-line-bytes may be
// the error line itself. A copytruncate hole before a line is not the line.
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

const T = 'b16b16b16b16b16b16b16b16b16b16b1';
const line = (level: number, ms: number, msg: string, extra = {}) =>
  JSON.stringify({ level, time: 1796691603000 + ms, pid: 1, hostname: 'h', name: 'bigsvc', trace_id: T, span_id: '0000000000000001', msg, ...extra });
// The error line carries a 3,000-byte payload (a request body logged whole).
const stdin = [line(30, 0, 'before'), line(50, 10, 'huge', { payload: 'y'.repeat(3000) }), line(30, 20, 'after')].join('\n') + '\n';

describe('lines skipped for their size in the verdict (#27, D134)', () => {
  it("errors names the skipped line that may hold the error, and reads it under a larger --max-line-bytes", async () => {
    const capped = await runCli(['errors', '--max-line-bytes', '2KiB'], { stdin });
    expect(capped.code).toBe(1);
    expect(capped.stderr).toContain('tracectl: no errors in the 1 matching trace; 1 line was skipped (over 2 KiB, stdin:2) and may hold one\n');
    const group = await runCli(['group', '--errors', '--max-line-bytes', '2048'], { stdin });
    expect(group.stderr).toContain('tracectl: the only trace has no error; 1 line was skipped (over 2 KiB, stdin:2) and may hold one\n');
    const tree = await runCli(['tree', 'b16b16b16b16b16b', '--max-line-bytes', '100'], { stdin });
    expect(tree.stderr).toContain("(3 lines read); 3 lines were skipped (over 100 bytes, stdin:1, stdin:2, stdin:3) and may hold one\n");
    const followed = await runCli(['group', '-f', '--max-line-bytes', '100'], { stdin });
    expect(followed.stderr).toContain('tracectl: no traces found; 3 lines were skipped (over 100 bytes, stdin:1, stdin:2, stdin:3) and may hold one\n');
    const whole = await runCli(['errors', '--json', '--max-line-bytes', '4KiB'], { stdin });
    expect(whole.code).toBe(0);
    expect((JSON.parse(whole.stdout) as { origin: { message: string } }).origin.message).toBe('huge');
  });

  it('--max-line-bytes takes a unit, and refuses what is not a size', async () => {
    expect((await runCli(['errors', '-q', '--max-line-bytes', '0.5MiB'], { stdin })).code).toBe(0);
    const bad = await runCli(['errors', '--max-line-bytes', '64Mx'], { stdin });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a size in bytes, or with a unit');
  });

  it("a copytruncate hole of NUL bytes before a line is not the line's", async () => {
    const r = await runCli(['errors', '--json', fixture('lines/copytruncate.log')]);
    expect((JSON.parse(r.stdout) as { origin: { service: string; message: string } }).origin).toMatchObject({ service: 'rotated', message: 'first after rotate' });
    expect(r.stderr).toContain('2 lines read from 1 source: 2 used, 0 without a trace id, 0 skipped; 1 trace');
    const hole = await runCli(['group', '-q'], { stdin: '\0\0\0\0\n' + line(30, 0, 'before') + '\n' });
    expect(hole.stdout).toContain(T);
    const holeReport = await runCli(['group'], { stdin: '\0\0\0\0\n' + line(30, 0, 'before') + '\n' });
    expect(holeReport.stderr).toContain('1 NUL bytes only (a hole left by copytruncate): stdin:1');
  });
});

// --follow in-process (followed.ts): stdin written by the test as it goes, the clock moved by the test.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { fixture } from './run-cli.js';
import { followed, turns } from './followed.js';

const LINES = readFileSync(fixture('live/late-callback.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
const A = '4bf92f3577b34da6a3ce929d0e0e4736';
const B = '00f067aa0ba902b700f067aa0ba902b7';
const C = 'a3ce929d0e0e47364bf92f3577b34da6';

describe('group --follow', () => {
  it('prints a trace once it has been quiet for --idle, and the rest at the end of input', async () => {
    const f = followed(['group', '-f', '--idle', '40ms']);
    f.write(LINES.slice(0, 4)); // A, whole
    await turns();
    expect(f.out()).toBe(''); // the clock has not moved: A is not yet quiet
    f.advance(39);
    await turns();
    expect(f.out()).toBe('');
    f.advance(1);
    await vi.waitFor(() => expect(f.out()).toContain(A), { timeout: 5000 });
    const lines = f.out().trim().split('\n');
    expect(lines[0]).toMatch(/^TRACE\s+START\s+DURATION\s+ENTRIES\s+SPANS\s+ERRORS\s+SERVICES\s+ROOT$/);
    expect(lines[1]).toMatch(new RegExp(`^${A}\\s+2024-05-01T10:00:00.000Z\\s+100ms\\s+4\\s+2\\s+0\\s+api,db\\s+api GET /orders$`));
    expect(f.out()).not.toContain(B);
    f.write(LINES.slice(4, 6)); // B
    f.end();
    const r = await f.run;
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stdout).toContain(B);
    expect(r.stderr).toContain('6 lines read from 1 source: 6 used');
  });

  it('shows a late line as an update of its trace, and counts it', async () => {
    const f = followed(['group', '-f', '--idle', '40ms', '--json']);
    f.write(LINES.slice(0, 4));
    await turns(); // read, at the clock's time
    f.advance(1000);
    await vi.waitFor(() => expect(f.out()).toContain(A), { timeout: 5000 });
    f.write(LINES.slice(8, 9)); // A's worker callback, after A was shown
    f.end();
    const r = await f.run;
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; entries: number; errors: number; update?: boolean });
    // The update is the whole trace (D124): its four lines and the late one.
    expect(rows.map((x) => [x.traceId, x.entries, x.errors, x.update ?? false])).toEqual([
      [A, 4, 0, false],
      [A, 5, 1, true],
    ]);
    expect(r.stderr).toContain('1 late line (of used)');
    // A and its update are one trace.
    expect(r.stderr).toContain('5 lines read from 1 source: 5 used, 0 without a trace id, 0 skipped; 1 trace\n');
  });

  it('counts a trace and its update as one trace in slowest and errors too', async () => {
    for (const command of [['slowest', '--json'], ['errors']]) {
      const f = followed([...command, '-f', '--idle', '40ms']);
      f.write(LINES.slice(0, 6)); // A, then B
      await turns();
      f.advance(1000);
      await turns(); // A and B complete: the late count below says A did
      f.write(LINES.slice(8, 9)); // A's worker callback, after A completed
      f.end();
      const r = await f.run;
      expect(r.stderr).toContain('1 late line (of used)');
      expect(r.stderr).toContain('7 lines read from 1 source: 7 used, 0 without a trace id, 0 skipped; 2 traces\n');
    }
  });

  it('on Ctrl-C prints the open traces and the summary, and exits 130', async () => {
    const ctrlC = new AbortController();
    const f = followed(['group', '-f', '--idle', '40ms'], { signal: ctrlC.signal });
    f.write(LINES.slice(0, 2)); // A, half
    await turns();
    ctrlC.abort();
    const r = await f.run;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain(A);
    expect(r.stderr).toContain('2 lines read');
    expect(r.stderr).toContain('interrupted');
  });
});

describe('errors --follow', () => {
  it('prints a line per failing trace as it completes, piped', async () => {
    const f = followed(['errors', '-f', '--idle', '40ms']);
    f.write(LINES.slice(6, 8).concat(LINES.slice(9))); // C
    await turns();
    f.advance(1000);
    await vi.waitFor(() => expect(f.out()).toContain(C), { timeout: 5000 });
    f.end();
    const r = await f.run;
    expect(r.stdout).toMatch(/^TIME\s+TRACE\s+ORIGIN\s+MESSAGE\n/);
    expect(r.stdout).toMatch(new RegExp(`\\n2024-05-01T10:00:12.400Z\\s+${C}\\s+payments charge\\s+connection reset by issuer\\n$`));
    expect(r.stdout).not.toContain('\x1b[');
  });

  // Issue #31: a late line reopens a completed trace, which is analysed again from its late lines alone.
  // C failed at payments charge; its gateway's 502 comes late. A was fine; its worker callback fails late.
  const reopenedFailures = async (argv: string[], tty: boolean) => {
    const f = followed(['errors', '--summary', '-f', '--idle', '40ms', ...argv], { tty });
    f.write([...LINES.slice(0, 4), ...LINES.slice(6, 8)]); // A whole, C up to the payments error
    await turns();
    f.advance(1000);
    await turns(); // A and C complete
    f.write([LINES[9]!, LINES[8]!]); // C's 502, then A's failed callback: both late
    await turns();
    f.advance(1000);
    await turns(); // both updates complete
    f.end();
    return f.run;
  };

  it('--summary counts a reopened trace once: its update adds only a trace not counted before (#31)', async () => {
    const r = await reopenedFailures(['--json'], false);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { service: string; operation: string; count: number; traces: number; exampleTraceIds: string[]; running?: boolean });
    // One running line per origin as it is counted: C at payments, then A at the worker; C's late 502
    // (its whole trace's origin is still payments) changes nothing. Then the final summary.
    expect(lines.map((g) => [g.service, g.operation, g.count, g.traces, g.exampleTraceIds, g.running ?? false])).toEqual([
      ['payments', 'charge', 1, 1, [C], true],
      ['worker', 'order callback', 1, 1, [A], true],
      ['payments', 'charge', 1, 1, [C], false],
      ['worker', 'order callback', 1, 1, [A], false],
    ]);
    expect(r.stderr).toContain('2 late lines (of used)');
    expect(r.stderr).toContain('8 lines read from 1 source: 8 used, 0 without a trace id, 0 skipped; 2 traces\n');
  });

  it('--summary on a terminal: the last board counts a reopened trace once (#31)', async () => {
    const r = await reopenedFailures([], true);
    expect(r.code).toBe(0);
    const boards = r.stdout.split('\x1b[H\x1b[2J').filter((b) => b !== '');
    const last = boards[boards.length - 1]!;
    expect(last).toContain('connection reset by issuer');
    expect(last).toContain('callback failed');
    expect(last).not.toContain('finished POST /checkout');
    expect(last).toMatch(/ended/);
  });

  it('--summary on a terminal redraws a board with a status line', async () => {
    const f = followed(['errors', '--summary', '-f', '--idle', '40ms'], { tty: true });
    f.write(LINES.slice(6, 8));
    await turns();
    f.advance(300); // the board redraws at most every 250 ms of the clock
    await vi.waitFor(() => expect(f.out()).toContain('open traces'), { timeout: 5000 });
    f.end();
    const r = await f.run;
    const boards = r.stdout.split('\x1b[H\x1b[2J').filter((b) => b !== '');
    expect(boards.length).toBeGreaterThanOrEqual(2);
    expect(boards[0]).toContain('no errors yet');
    const last = boards[boards.length - 1]!;
    expect(last).toContain('payments');
    expect(last).toContain('connection reset by issuer');
    expect(last).toMatch(/2 lines · .*0 open traces · 0 late lines · ended/);
  });
});

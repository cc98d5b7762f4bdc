// Issue #31: in --follow, an update is the whole trace (D124). A request slower than --idle completes
// early as a fast trace; its late lines reopen it, and the update must describe all of it: start of its
// first line to end of its last, every span once with its whole duration, its errors, its origin.
// In-process (followed.ts): stdin written as it goes, the clock moved by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, type RunOptions } from './run-cli.js';
import { followed, turns } from './followed.js';

// slow-gateway.jsonl, in the order the lines arrive:
//   0–2  A  gateway POST /checkout starts at 00.000; payments charges from 00.010 to 00.015
//   3–4  B  gateway GET /cart, 800 ms                                  … quiet: A (15 ms so far) and B complete
//   5    A  gateway POST /checkout ends at 06.000 (6000 ms): late
//   6–7  C  gateway POST /orders fails with a 502 at 07.300             … quiet: A's update and C complete
//   8    C  payments charge failed at 07.100 (its pod's lines came late): the deeper failure, C's origin
const LINES = readFileSync(fixture('live/slow-gateway.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
const A = '5e1a0c3b9d2f4e6a8b7c1d0e2f3a4b5c';
const B = '7d3f1a2b4c5e6f708192a3b4c5d6e7f8';
const C = '9a8b7c6d5e4f30211203f4e5d6c7b8a9';

/** The lines written in three bursts, each followed by a quiet second of the test's clock. */
async function inBursts(argv: string[], options: RunOptions = {}, bursts = [LINES.slice(0, 5), LINES.slice(5, 8), LINES.slice(8)]) {
  const f = followed([...argv, '-f', '--idle', '40ms'], options);
  for (const burst of bursts) {
    f.write(burst);
    await turns();
    f.advance(1000);
    await turns();
  }
  f.end();
  return f.run;
}

const batch = (argv: string[]) => runCli(argv, { stdin: LINES.join('\n') + '\n' });
const jsonLines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const READ = '9 lines read from 1 source: 9 used, 0 without a trace id, 0 skipped; 3 traces\n';

describe('--follow: an update is the whole trace (#31)', () => {
  it('group: the update row spans the first line to the last, with every entry', async () => {
    const r = await inBursts(['group', '--json']);
    expect(r.code).toBe(0);
    const rows = jsonLines(r.stdout).map((x) => [x.traceId, x.durationUs, x.entries, x.spans, x.errors, x.update ?? false]);
    expect(rows).toEqual([
      [A, 15_000, 3, 2, 0, false],
      [B, 800_000, 2, 1, 0, false],
      [A, 6_000_000, 4, 2, 0, true],
      [C, 300_000, 2, 1, 1, false],
      [C, 300_000, 3, 2, 2, true],
    ]);
    expect(r.stderr).toContain(READ);
    expect(r.stderr).toContain('2 late lines (of used)');
  });

  it('slowest: the 6 s request ranks first at 6 s, once', async () => {
    const r = await inBursts(['slowest', '--json']);
    expect(r.code).toBe(0);
    const shown = jsonLines(r.stdout).map((x) => [x.rank, x.traceId, x.durationUs, x.update ?? false]);
    // As they entered the top N (A and B complete together), or changed in it: A again as an update, at 6 s, first.
    expect(shown.slice(0, 3)).toEqual([
      [1, B, 800_000, false],
      [2, A, 15_000, false],
      [1, A, 6_000_000, true],
    ]);
    expect(shown.filter(([, id, d]) => id === A && d !== 15_000 && d !== 6_000_000)).toEqual([]);
    expect(r.stderr).toContain(READ);
  });

  it('latency: each span once, with its whole duration, as reading the lines at once gives', async () => {
    const followedRun = await inBursts(['latency', '--by', 'operation', '--json']);
    const once = await batch(['latency', '--by', 'operation', '--json']);
    expect(followedRun.stdout).toBe(once.stdout);
    const rows = jsonLines(followedRun.stdout);
    expect(rows.find((x) => x.operation === 'POST /checkout')).toMatchObject({ count: 1, p50Us: 6_000_000 });
    expect(followedRun.stderr).toContain(READ);
  });

  it('services: one root per trace, as reading the lines at once gives', async () => {
    const followedRun = await inBursts(['services', '--json']);
    const once = await batch(['services', '--json']);
    expect(followedRun.stdout).toBe(once.stdout);
    expect(jsonLines(followedRun.stdout).find((x) => x.service === 'gateway')).toMatchObject({ spans: 3, roots: 3 });
  });

  it('errors: the update names the whole trace\'s origin, also when only a symptom came late', async () => {
    const r = await inBursts(['errors']);
    const rows = r.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(new RegExp(`^2024-05-01T10:00:07.300Z\\s+${C}\\s+gateway POST /orders\\s+request failed: upstream returned 502$`));
    expect(rows[1]).toMatch(new RegExp(`^2024-05-01T10:00:07.100Z\\s+${C}\\+\\s+payments charge\\s+card declined by issuer$`));
    // The payments failure first, the gateway's 502 late: the update's origin is still payments, not the
    // 502 its late line alone would name.
    const symptomLate = await inBursts(['errors'], {}, [LINES.slice(0, 5), [...LINES.slice(5, 7), LINES[8]!], [LINES[7]!]]);
    const again = symptomLate.stdout.trim().split('\n').slice(1);
    expect(again).toHaveLength(2);
    for (const row of again) expect(row).toMatch(new RegExp(`^2024-05-01T10:00:07.100Z\\s+${C}\\+?\\s+payments charge\\s+card declined by issuer$`));
  });

  it('errors --summary: a trace counts once, in the group of its whole origin', async () => {
    const r = await inBursts(['errors', '--summary', '--json']);
    expect(r.code).toBe(0);
    const running = jsonLines(r.stdout).map((g) => [g.service, g.count, g.traces]);
    // C first at the gateway; its update moves it to payments, and the gateway's group is left with none.
    expect(running.slice(0, 3)).toEqual([
      ['gateway', 1, 1],
      ['payments', 1, 1],
      ['gateway', 0, 0],
    ]);
    expect(r.stderr).toContain(READ);
  });

  it('a trace no longer kept reopens as a fragment: marked where rows are shown, left out of totals', async () => {
    // One trace kept: once B completes, A is forgotten (its id is still known as finished).
    const env = { NO_COLOR: '1', TRACECTL_KEPT_TRACES: '1' };
    const group = await inBursts(['group', '--json'], { env });
    const a = jsonLines(group.stdout).filter((x) => x.traceId === A);
    expect(a.map((x) => [x.durationUs, x.entries, x.update ?? false, x.fragment ?? false])).toEqual([
      [15_000, 3, false, false],
      [6_000_000, 1, true, true], // the end line alone: its own 6000 ms
    ]);
    expect(group.stderr).toContain('1 update was late lines alone');
    expect(group.stderr).toContain('shown marked as fragments');
    const text = await inBursts(['group'], { env });
    expect(text.stdout).toMatch(new RegExp(`\\n${A}\\+ .*gateway POST /checkout \\[fragment: late lines only\\]\\n`));

    const slowest = await inBursts(['slowest', '--json'], { env });
    const ranked = jsonLines(slowest.stdout).filter((x) => x.traceId === A);
    // Running and final alike: the fragment (6 s, the end line alone) is not ranked as A.
    expect(ranked.map((x) => x.durationUs)).toEqual([15_000, 15_000]);
    expect(slowest.stderr).toContain('1 update was late lines alone');
    expect(slowest.stderr).toContain('left out of the results');
    expect(slowest.stderr).toContain(READ);
  });
});

// Issue #31: piped, the running rows are marked and the final answer follows them, as without --follow
// (D125): at the end of input, and on Ctrl-C.
describe('--follow piped: running rows marked, then the final table', () => {
  for (const command of [['errors', '--summary'], ['slowest']]) {
    for (const json of [false, true]) {
      const argv = [...command, ...(json ? ['--json'] : [])];
      it(`${argv.join(' ')} -f: marked running rows, then what reading the lines at once prints`, async () => {
        const r = await inBursts(argv);
        const once = await batch(argv);
        expect(r.code).toBe(0);
        expect(once.stdout).not.toBe('');
        expect(r.stdout.endsWith(once.stdout)).toBe(true);
        const runningPart = r.stdout.slice(0, r.stdout.length - once.stdout.length).trim().split('\n');
        if (json) {
          expect(runningPart.every((l) => (JSON.parse(l) as { running?: boolean }).running === true)).toBe(true);
          expect(once.stdout).not.toContain('"running"');
        } else {
          expect(runningPart[0]).toMatch(/^ROW\s+/);
          expect(runningPart.length).toBeGreaterThan(1);
          for (const l of runningPart.slice(1)) expect(l).toMatch(/^running\s/);
          expect(once.stdout).not.toMatch(/^running/m);
          expect(r.stdout).toContain('\n\n' + once.stdout); // a blank line before the final table
        }
      });
    }
  }

  it('errors --summary -f: Ctrl-C prints the final table of what was read, and exits 130', async () => {
    const ctrlC = new AbortController();
    const f = followed(['errors', '--summary', '-f', '--idle', '40ms'], { signal: ctrlC.signal });
    f.write(LINES.slice(0, 8)); // C fails at the gateway, its cause not yet arrived
    await turns();
    f.advance(1000);
    await turns();
    ctrlC.abort();
    const r = await f.run;
    expect(r.code).toBe(130);
    const once = await runCli(['errors', '--summary'], { stdin: LINES.slice(0, 8).join('\n') + '\n' });
    expect(r.stdout.endsWith('\n\n' + once.stdout)).toBe(true);
    expect(r.stdout).toMatch(/^running\s+1\s+gateway POST \/orders/m);
    expect(r.stderr).toContain('interrupted');
  });
});

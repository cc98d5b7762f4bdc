// When the filters leave nothing, stderr says why, judged over every trace read: where the input's times
// lie beside the window, which services there are, the longest trace. fixtures/origins/checkout.log: 24
// traces starting every 7.5 s (plus 0, 311.25 or 622.5 ms) from 2025-03-14T09:25:00Z; the last starts at
// 09:27:53.1225 and ends at 09:27:53.193; services gateway, orders, payments; the longest lasts 5.01 s.
//
//   09:25:00                                                   09:27:53.193
//     |x  x  x  x  x  x  x  x  x  |  x  x  x  x  x  x  x  x  x  x  x  x  x  x [x]|
//                   [09:26:01, 09:26:02]: 9 start before, 15 after     09:27:53.15: cuts the last
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const LOG = 'fixtures/origins/checkout.log';
const SPAN = '; the input spans 09:25–09:27 on 2025-03-14';

describe('nothing matched: stderr says where the input lies', () => {
  const cases: [string, string[], string][] = [
    ['a window after the input', ['--since', '2025-03-14T10:00:00Z'], `all 24 traces end before the window${SPAN}`],
    ['a window before the input', ['--until', '2025-03-14T09:00:00Z'], `all 24 traces start after the window${SPAN}`],
    ['a window inside the input, between traces', ['--since', '2025-03-14T09:26:01Z', '--until', '2025-03-14T09:26:02Z'], `the window falls between traces: 9 start before it, 15 after it${SPAN}`],
    ['a window that cuts the last trace', ['--since', '2025-03-14T09:27:53.150Z'], `all 24 traces start before the window${SPAN}`],
    ['a service no trace has', ['--service', 'billing'], "no trace has a span of service billing; the input's services: gateway, orders, payments"],
    ['a duration no trace reaches', ['--min-duration', '1m'], 'the longest of the 24 traces lasts 5.01s'],
    ['conditions that only together leave nothing', ['--errors', '--until', '2025-03-14T09:25:01Z'], `no traces match the filters (24 read)${SPAN}`],
  ];
  for (const command of ['group', 'slowest', 'latency', 'errors', 'services']) {
    it.each(cases)(`${command}: %s`, async (_name, flags, why) => {
      const r = await runCli([command, ...flags, LOG]);
      expect(r.code).toBe(1); // README: nothing matched the filters
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`tracectl: ${why}\n`);
    });
  }

  it('latency --trace says why its one trace does not match', async () => {
    const r = await runCli(['latency', '--trace', '5eed0002', '--since', '2025-03-14T10:00:00Z', LOG]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not match the filters: the only trace ends before the window; the input spans 09:25:15–09:25:18 on 2025-03-14\n');
  });

  it('a window across midnight names both days', async () => {
    const line = (t: string, id: string) => JSON.stringify({ time: t, level: 'info', msg: 'tick', service: 'cron', trace_id: id.repeat(32), span_id: id.repeat(16) });
    const stdin = [line('2025-03-14T23:58:10Z', 'a'), line('2025-03-15T00:03:20Z', 'b')].join('\n') + '\n';
    const r = await runCli(['group', '--since', '2025-03-16T00:00:00Z'], { stdin });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tracectl: all 2 traces end before the window; the input spans 2025-03-14 23:58 – 2025-03-15 00:03\n');
  });
});

import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../robustness/gen.js';
import { readSources } from './ingest-fixture.js';

/**
 * For each logger style, a duration written in the unit that logger writes is read back within 1% (or
 * the resolution the logger writes it at): through the real ingest, the field scanner and JSON.parse
 * paths alike (a line with a nested object takes the latter).
 */
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const ISO = '2025-03-14T09:25:01.123456789Z';

interface Style {
  name: string;
  line: (us: number) => Record<string, unknown>;
  /** The smallest step the logger writes, in µs. */
  resolutionUs: number;
}

const STYLES: Style[] = [
  { name: 'slog JSON (ns)', resolutionUs: 0.001, line: (us) => ({ time: ISO, level: 'INFO', msg: 'done', trace_id: T, latency: Math.round(us * 1000) }) },
  { name: 'logrus JSON (ns)', resolutionUs: 0.001, line: (us) => ({ dur: Math.round(us * 1000), level: 'warning', msg: 'slow', time: '2025-03-14T09:25:01Z', trace_id: T }) },
  { name: 'zap production (s)', resolutionUs: 0.001, line: (us) => ({ level: 'info', ts: 1741944301.123, caller: 'a/b.go:1', msg: 'done', trace_id: T, latency: us / 1e6 }) },
  { name: 'nginx request_time (s, ms resolution)', resolutionUs: 1000, line: (us) => ({ time: '2025-03-14T09:25:01+00:00', traceparent: `00-${T}-00f067aa0ba902b7-01`, request_time: Number((us / 1e6).toFixed(3)) }) },
  { name: 'Traefik JSON Duration (ns)', resolutionUs: 0.001, line: (us) => ({ Duration: Math.round(us * 1000), RequestMethod: 'GET', level: 'info', msg: '', time: '2025-03-14T09:25:01Z', TraceId: T }) },
  { name: 'pino-http responseTime (ms)', resolutionUs: 1000, line: (us) => ({ level: 30, time: 1741944301123, pid: 1, hostname: 'h', req: { method: 'GET', url: '/' }, responseTime: Math.round(us / 1000), msg: 'request completed', traceId: T }) },
  { name: 'zerolog Dur (float ms)', resolutionUs: 0.001, line: (us) => ({ level: 'info', time: '2025-03-14T09:25:01Z', dur: us / 1000, message: 'done', trace_id: T }) },
  { name: 'winston durationMs (ms)', resolutionUs: 1000, line: (us) => ({ level: 'info', message: 'done', durationMs: Math.round(us / 1000), traceId: T }) },
  { name: 'Serilog Elapsed (ms)', resolutionUs: 0.0001, line: (us) => ({ '@t': '2025-03-14T09:25:01.1234567Z', '@mt': 'HTTP {RequestMethod}', Elapsed: us / 1000, '@tr': T }) },
  { name: 'ECS event.duration (ns)', resolutionUs: 0.001, line: (us) => ({ '@timestamp': '2025-03-14T09:25:01.123Z', message: 'done', 'trace.id': T, event: { duration: Math.round(us * 1000) } }) },
  { name: 'go-kit / slog text string (Go duration)', resolutionUs: 1, line: (us) => ({ ts: '2025-03-14T09:25:01Z', level: 'info', msg: 'done', trace_id: T, took: goDuration(us) }) },
];

/** time.Duration's String() for a whole number of µs: "1h2m3.000004s", "1.5ms", "250µs". */
function goDuration(us: number): string {
  if (us < 1000) return `${us}µs`;
  if (us < 1e6) return `${us / 1000}ms`;
  const h = Math.floor(us / 3600e6);
  const m = Math.floor((us % 3600e6) / 60e6);
  const s = (us % 60e6) / 1e6;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

describe('duration units: property', () => {
  it.each(STYLES)('$name is read back within 1%', async (style) => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 3 * 3600e6 }), { minLength: 1, maxLength: 8 }), async (durations) => {
        const text = durations.map((us) => JSON.stringify(style.line(us))).join('\n') + '\n';
        const got = await readSources([{ name: 'style.log', stdin: Readable.from([Buffer.from(text)]) }]);
        expect(got.entries).toHaveLength(durations.length);
        got.entries.forEach((e, i) => {
          const want = durations[i]!;
          expect(Math.abs(e.duration! - want)).toBeLessThanOrEqual(Math.max(want * 0.01, style.resolutionUs, 1));
        });
      }),
      { numRuns: Math.max(10, Math.floor(RUNS / 8)) },
    );
  });
});

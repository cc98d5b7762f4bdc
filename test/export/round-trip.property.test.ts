// Export, then read back: for generated traces (any tree shape, parents missing from the trace, errors
// with and without a message, every span kind, several services), each format that carries the data
// gives the same tree text and the same latency table as the span records it was made from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { RUNS } from '../robustness/gen.js';

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

const genTrace = fc
  .record({
    trace: fc.integer({ min: 1, max: 2 ** 31 }),
    spans: fc.array(
      fc.record({
        parent: fc.option(fc.nat(30), { nil: undefined }), // an earlier span, or (past the end) one not in the trace
        service: fc.constantFrom('web', 'cart', 'pay', 'db'),
        name: fc.constantFrom('GET /cart', 'charge', 'SELECT', 'poll'),
        startUs: fc.integer({ min: 0, max: 5_000_000 }),
        lenUs: fc.integer({ min: 1, max: 3_000_000 }),
        kind: fc.constantFrom(undefined, 'server', 'client', 'producer', 'consumer', 'internal'),
        error: fc.constantFrom(undefined, '', 'card declined'),
      }),
      { minLength: 1, maxLength: 25 },
    ),
  })
  .map(({ trace, spans }) =>
    spans.map((s, i) => {
      const record: Record<string, unknown> = {
        traceId: hex(trace, 32),
        spanId: hex(0x1000 + i, 16),
        name: s.name,
        serviceName: s.service,
        // Milliseconds with microsecond digits, as span records carry them.
        startTime: (1714557600000000 + s.startUs) / 1000,
        endTime: (1714557600000000 + s.startUs + s.lenUs) / 1000,
      };
      if (s.parent !== undefined) record.parentSpanId = hex(0x1000 + (s.parent < i ? s.parent : 0x500 + s.parent), 16);
      if (s.kind !== undefined) record.kind = s.kind;
      if (s.error !== undefined) record.status = s.error === '' ? { code: 'ERROR' } : { code: 'ERROR', message: s.error };
      return JSON.stringify(record);
    }),
  );

async function views(input: string, traceId: string): Promise<string[]> {
  const tree = await runCli(['tree', traceId, '--width', '160', '-q'], { stdin: input });
  const latency = await runCli(['latency', '--json', '-q'], { stdin: input });
  const errors = await runCli(['errors', '--json', '-q'], { stdin: input });
  return [tree.stdout, latency.stdout, errors.stdout];
}

describe('export round trip over generated traces', () => {
  it.each(['otlp', 'jaeger', 'zipkin'])('%s', async (format) => {
    await fc.assert(
      fc.asyncProperty(genTrace, async (lines) => {
        const input = lines.join('\n') + '\n';
        const traceId = (JSON.parse(lines[0]!) as { traceId: string }).traceId;
        const out = await runCli(['export', '--format', format, '-q'], { stdin: input });
        expect(out.code, out.stderr).toBe(0);
        expect(await views(out.stdout, traceId)).toEqual(await views(input, traceId));
      }),
      { numRuns: Math.min(RUNS, 12) },
    );
  });
});

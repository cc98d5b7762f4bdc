import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { envelope, genSpan, hostileInput, hostileLine, RUNS, spanLine, TRACE_IDS } from './gen.js';

/**
 * One-trace commands search the bytes for the id and parse only the lines holding it. Whatever the input,
 * the tree they build must be the one a full parse of every line builds: the search may skip work, never
 * lines that belong to the trace.
 */
/**
 * Inputs where the search has most to get wrong: mostly span lines (ids near the start of a line, lines of
 * one trace next to each other), some in envelopes, some hostile lines in between.
 */
const traceHeavyInput: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: genSpan.map((s) => [spanLine({ ...s, trace: 0 })]) },
      { weight: 2, arbitrary: fc.tuple(genSpan, envelope).map(([s, wrap]) => wrap(spanLine(s))) },
      { weight: 2, arbitrary: hostileLine.map((l) => [l]) },
    ),
    { maxLength: 30 },
  )
  .map((groups) => groups.flat().join('\n') + '\n');

describe('id search: property', () => {
  it('tree <id> --json is the same with the byte search and with every line parsed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileInput, traceHeavyInput), fc.constantFrom(...TRACE_IDS), fc.integer({ min: 4, max: 32 }), async (input, id, n) => {
        const argv = ['tree', id.slice(0, n), '--json', '--logs', '-q'];
        const searched = await runCli(argv, { stdin: input });
        const parsed = await runCli(argv, { stdin: input, env: { NO_COLOR: '1', TRACECTL_PARSE_ALL: '1' } });
        expect(searched.code).toBe(parsed.code);
        expect(searched.stdout).toBe(parsed.stdout);
      }),
      { numRuns: Math.max(30, Math.floor(RUNS / 2)) },
    );
  });
});

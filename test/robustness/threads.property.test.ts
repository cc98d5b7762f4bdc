import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { hostileInput, RUNS } from './gen.js';


/**
 * Whatever the input — broken lines, partial CRI/Docker pieces, envelopes, BOMs, CRLF — `group` on two
 * threads, with chunks small enough to cut the input in many places, says exactly what one thread says:
 * same rows, same account, same skipped places, same exit code.
 */
describe('threads: property', () => {
  it('group gives the same bytes on 1 and 2 threads for hostile input', async () => {
    const env = { NO_COLOR: '1', TRACECTL_CHUNK_BYTES: '64', TRACECTL_THREADS_AFTER_BYTES: '0' };
    await fc.assert(
      fc.asyncProperty(hostileInput, async (input) => {
        const one = await runCli(['group', '--json', '--threads', '1'], { stdin: input, env });
        const two = await runCli(['group', '--json', '--threads', '2'], { stdin: input, env });
        expect(two.code).toBe(one.code);
        expect(two.stdout).toBe(one.stdout);
        expect(two.stderr).toBe(one.stderr);
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 5)) },
    );
  });
});

// Issue 6: the whole pipeline, every command, on generated hostile input. Each case runs a few commands
// of commandLines() (chosen by fast-check, so all of them are met many times a run) on the same input,
// in-process (test/cli/run-cli.ts), and holds each run to expectWellBehaved.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { commandLines, expectWellBehaved, hostileInput, randomBytes, RUNS } from './gen.js';

const someCommands = fc.subarray(commandLines(), { minLength: 2, maxLength: 4 });

async function run(input: Buffer, commands: string[][]): Promise<void> {
  for (const argv of commands) {
    const r = await runCli([...argv, '--max-line-bytes', '4096'], { stdin: input });
    expectWellBehaved(r, input, argv);
  }
}

describe('property: no input breaks any command (issue 6)', () => {
  it('random bytes (and gzip-looking garbage)', async () => {
    await fc.assert(fc.asyncProperty(randomBytes, someCommands, run), { numRuns: RUNS });
  });

  it('hostile logs: mutated fixture lines, random envelopes, span lines with cycles, self-parents, missing parents, duplicate ids, odd times', async () => {
    await fc.assert(fc.asyncProperty(hostileInput, someCommands, run), { numRuns: RUNS });
  });

  it('--strict stops with exit 2 and says where, or reads everything', async () => {
    await fc.assert(
      fc.asyncProperty(hostileInput, async (input) => {
        const r = await runCli(['group', '--strict'], { stdin: input });
        if (r.code === 2) {
          if (!/stdin:\d+: .*\(--strict\)/.test(r.stderr)) throw new Error(`exit 2 without a --strict message: ${r.stderr}`);
        } else expectWellBehaved(r, input, ['group', '--strict']);
      }),
      { numRuns: RUNS },
    );
  });
});

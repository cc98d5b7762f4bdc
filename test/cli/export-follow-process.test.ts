// export --follow --to as a real process: a writer that writes a line every 100 ms and leaves its pipe
// open (as kubectl logs -f does), a loopback OTLP receiver, Ctrl-C as SIGINT. Waits are for spans to
// arrive, never for a time to pass.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixture } from './run-cli.js';
import { exited, spawnTracectl } from '../robustness/process.js';
import { closeReceivers, decode, receiver, spansOf } from '../export/otlp-receiver.js';

afterEach(closeReceivers);

const LINES = readFileSync(fixture('live/late-callback.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
const A = '4bf92f3577b34da6a3ce929d0e0e4736';
const B = '00f067aa0ba902b700f067aa0ba902b7';

async function slowly(write: (line: string) => void, lines: readonly string[]): Promise<void> {
  for (const l of lines) {
    write(l + '\n');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('export --follow --to, a real process', () => {
  it('sends a trace once it is quiet while the writer goes on; Ctrl-C sends the open one, prints the summary, exits 130', async () => {
    const rx = await receiver();
    const child = spawnTracectl(['export', '-f', '--idle', '300ms', '--to', rx.base]);
    const done = exited(child);
    const sent = async () => (await Promise.all(rx.arrivals.map(async (a) => spansOf(await decode(a.body))))).flat().map((s) => `${s.traceId}/${s.spanId}`);
    await slowly((l) => child.stdin.write(l), LINES.slice(0, 4)); // A: a1 (api) and a2 (db)
    await vi.waitFor(async () => expect(await sent()).toEqual([`${A}/a1000000000000a1`, `${A}/a2000000000000a2`]), { timeout: 20_000, interval: 50 });
    await slowly((l) => child.stdin.write(l), LINES.slice(4, 5)); // B's first line: B is open
    child.kill('SIGINT');
    const exit = await done;
    expect(exit.code).toBe(130);
    expect(await sent()).toEqual([`${A}/a1000000000000a1`, `${A}/a2000000000000a2`, `${B}/b1000000000000b1`]);
    expect(exit.stderr).toContain('5 lines read from 1 source: 5 used');
    expect(exit.stderr).toContain('interrupted');
    expect(exit.stderr).toContain(`tracectl: export: 3 spans sent to ${rx.base}/v1/traces in 2 requests; 0 rejected, 0 failed`);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-binary-'));

/** `n` bytes from a fixed-seed generator (xorshift32): the same "random" file on every run. */
function noise(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const accounting = (stderr: string) => /tracectl: [\d,]+ lines? read from 1 source: (\d+) used, (\d+) without a trace id/.exec(stderr)?.slice(1).map(Number);

describe('binary input', () => {
  it('an OTLP protobuf file (tracectl export --format otlp-proto) is skipped as binary data, with what is read instead', async () => {
    const pb = join(dir, 'demo.otlp.pb');
    expect((await runCli(['export', '--format', 'otlp-proto', '-o', pb, fixture('demo/checkout.log')])).code).toBe(0);
    const r = await runCli(['group', pb]);
    expect(r.code).toBe(1);
    expect(accounting(r.stderr)).toEqual([0, 0]);
    expect(r.stderr).toMatch(/tracectl: +[\d,]+ binary data, not text \(OTLP protobuf is not read; OTLP\/JSON is\): .*demo\.otlp\.pb:1/);
  });

  it('random bytes give no log lines "without a trace id"', async () => {
    const bin = join(dir, 'noise.bin');
    writeFileSync(bin, noise(256 << 10));
    const r = await runCli(['group', bin]);
    expect(r.code).toBe(1);
    expect(accounting(r.stderr)).toEqual([0, 0]);
    expect(r.stderr).toContain('binary data, not text');
  });

  it('text with ANSI colours, tabs, CR and a stray control character is still text', async () => {
    const log = join(dir, 'colour.log');
    writeFileSync(
      log,
      [
        'time=2024-05-01T10:00:00Z level=info msg="\u001b[32mstarted\u001b[0m\tGET /cart" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7\r',
        '2024-05-01 10:00:00.120 ERROR [cart,4bf92f3577b34da6a3ce929d0e0e4736,00f067aa0ba902b7] bell \u0007 in a message',
        '',
      ].join('\n'),
    );
    const r = await runCli(['group', log]);
    expect(r.code).toBe(0);
    expect(accounting(r.stderr)).toEqual([2, 0]);
  });
});

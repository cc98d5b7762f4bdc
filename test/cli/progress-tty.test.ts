// The progress line on a real terminal: the built program under `script` (util-linux), which gives it a
// pseudo-terminal for stdout and stderr, reading a pipe that a producer fills for ~2.5 s. The line is drawn
// and erased; with stderr sent to a file, none of it is written. No timing is asserted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from './run-cli.js';

const bin = new URL('../../bin/tracectl.js', import.meta.url).pathname;
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasScript)('progress line on a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracectl-progress-'));
  const producer = join(dir, 'producer.js');
  // 50 writes of the demo log's lines, 50 ms apart.
  writeFileSync(
    producer,
    `const lines = require('fs').readFileSync(${JSON.stringify(fixture('demo/checkout.log'))}, 'utf8').split('\\n').filter(Boolean);
     let i = 0; const per = Math.ceil(lines.length / 50);
     const t = setInterval(() => { process.stdout.write(lines.slice(i, i + per).join('\\n') + '\\n'); i += per; if (i >= lines.length) clearInterval(t); }, 50);`,
  );
  const underTerminal = (command: string): string =>
    execFileSync('script', ['-qfec', `stty cols 120; ${command}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '120', TRACECTL_CHUNK_BYTES: '2048' }, timeout: 60_000 });

  it('is drawn while the pipe is read, then erased before the report', () => {
    const out = underTerminal(`node ${producer} | node ${bin} group --threads 1`);
    const drawn = out.match(/\rtracectl: [\d.]+ k?B read · [\d,]+ lines · [\d.]+ k?B\/s\x1b\[K/g) ?? [];
    expect(drawn.length).toBeGreaterThan(0);
    const erased = out.lastIndexOf('\r\x1b[K');
    expect(erased).toBeGreaterThan(out.lastIndexOf(drawn.at(-1)!));
    expect(out.slice(erased)).toContain('383 lines read from 1 source');
  });

  it('is not written when stderr is a file', () => {
    const err = join(dir, 'stderr.txt');
    const out = underTerminal(`node ${producer} | node ${bin} group --threads 1 2>${err}`);
    expect(out).toContain('3de223b231ea46495b2d5f9358bca7ed');
    const text = readFileSync(err, 'utf8');
    expect(text).toMatch(/^tracectl: 383 lines read from 1 source/);
    expect(text).not.toContain('\r');
  });
});

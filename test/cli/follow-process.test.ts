import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fixture } from './run-cli.js';
import { BIN, exited, ROOT, spawnTracectl } from '../robustness/process.js';

// --follow as a real process: a writer that writes slowly, Ctrl-C as SIGINT, a file that grows, is
// truncated and is rotated, and a terminal (a pseudo-terminal from util-linux `script`). What is asserted
// is what was printed and the exit code; waits are for output to appear, never for a time to pass.
const LINES = readFileSync(fixture('live/late-callback.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
const A = '4bf92f3577b34da6a3ce929d0e0e4736';
const B = '00f067aa0ba902b700f067aa0ba902b7';
const C = 'a3ce929d0e0e47364bf92f3577b34da6';
const dir = mkdtempSync(join(tmpdir(), 'tracectl-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A JSON line of a one-line trace numbered n (ids 32 hex digits), at second n of the logs. */
const one = (n: number) => JSON.stringify({ timestamp: `2024-05-01T10:${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}.000Z`, level: 'info', message: `request ${n}`, serviceName: 'api', traceId: n.toString(16).padStart(32, '0'), spanId: n.toString(16).padStart(16, '0'), operation: 'GET /ping' });
const idOf = (n: number) => n.toString(16).padStart(32, '0');

describe('--follow, a real process', () => {
  it('reads a named pipe to its writer\'s end, as stdin, and waits for a file not there yet', async () => {
    const fifo = join(dir, 'pipe');
    await new Promise<void>((resolve, reject) => execFile('mkfifo', [fifo], (err) => (err ? reject(err) : resolve())));
    const child = spawnTracectl(['group', '-f', '--idle', '200ms', '--json', fifo]);
    const done = exited(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    writeFileSync(fifo, [one(1), one(2)].join('\n') + '\n'); // opens when the reader has: then EOF
    const exit = await done;
    expect(exit.code).toBe(0);
    expect(out).toContain(idOf(1));
    expect(out).toContain(idOf(2));
    expect(exit.stderr).toContain('2 lines read from 1 source: 2 used');

    const later = join(dir, 'later.log');
    const waiting = spawnTracectl(['group', '-f', '--idle', '200ms', '--json', later]);
    const ended = exited(waiting);
    let got = '';
    let said = '';
    waiting.stdout.on('data', (d: Buffer) => (got += d.toString()));
    waiting.stderr.on('data', (d: Buffer) => (said += d.toString()));
    await vi.waitFor(() => expect(said).toContain('not there yet; waiting for it'), { timeout: 20_000, interval: 50 });
    writeFileSync(later, one(3) + '\n');
    await vi.waitFor(() => expect(got).toContain(idOf(3)), { timeout: 20_000, interval: 50 });
    waiting.kill('SIGINT');
    expect((await ended).code).toBe(130);
  });

  it('prints the first trace once it is quiet while the writer is still writing; Ctrl-C prints the summary and exits 130', async () => {
    const child = spawnTracectl(['group', '-f', '--idle', '300ms']);
    const done = exited(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.write(LINES.slice(0, 4).join('\n') + '\n'); // A
    await vi.waitFor(() => expect(out).toContain(A), { timeout: 20_000, interval: 50 });
    expect(out).not.toContain(B);
    child.stdin.write(LINES.slice(4, 6).join('\n') + '\n'); // B; stdin stays open, as kubectl logs -f's does
    await vi.waitFor(() => expect(out).toContain(B), { timeout: 20_000, interval: 50 });
    child.stdin.write(LINES[6] + '\n'); // C, open
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const exit = await done;
    expect(exit.code).toBe(130);
    expect(out).toContain(C); // open at Ctrl-C: printed with what was read
    expect(out.split('\n').filter((l) => l.startsWith(A))).toHaveLength(1);
    expect(exit.stderr).toContain('7 lines read from 1 source: 7 used');
    expect(exit.stderr).toContain('interrupted');
  });

  it('follows a file that grows, is truncated and is rotated, without losing or repeating a line', async () => {
    const file = join(dir, 'app.log');
    writeFileSync(file, [one(1), one(2)].join('\n') + '\n');
    const child = spawnTracectl(['group', '-f', '--idle', '200ms', '--json', file]);
    const done = exited(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const seen = () => out.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { traceId: string }).traceId);
    await vi.waitFor(() => expect(seen()).toEqual([idOf(1), idOf(2)]), { timeout: 20_000, interval: 50 });
    appendFileSync(file, one(3) + '\n'); // grows
    await vi.waitFor(() => expect(seen()).toContain(idOf(3)), { timeout: 20_000, interval: 50 });
    writeFileSync(file, one(4) + '\n'); // truncated (copytruncate): shorter than what was read
    await vi.waitFor(() => expect(seen()).toContain(idOf(4)), { timeout: 20_000, interval: 50 });
    appendFileSync(file, one(5) + '\n');
    renameSync(file, `${file}.1`); // rotated: moved away, a new file under the name
    appendFileSync(`${file}.1`, one(6) + '\n'); // the writer's last line into the old file
    writeFileSync(file, one(7) + '\n');
    await vi.waitFor(() => expect(seen()).toContain(idOf(7)), { timeout: 20_000, interval: 50 });
    appendFileSync(file, one(8) + '\n');
    await vi.waitFor(() => expect(seen()).toContain(idOf(8)), { timeout: 20_000, interval: 50 });
    child.kill('SIGINT');
    const exit = await done;
    expect(exit.code).toBe(130);
    expect(seen()).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map(idOf));
    expect(exit.stderr).toContain('8 lines read from 1 source: 8 used');
  });
});

/** `script` runs the command on a pseudo-terminal and copies what it printed to our stdout. */
function onTerminal(command: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', COLUMNS: '100', LINES: '20' } }, (err, stdout) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout });
    });
  });
}

describe('--follow on a terminal', () => {
  const file = join(dir, 'board.log');
  writeFileSync(file, LINES.join('\n') + '\n');
  const quoted = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

  it('redraws a board (table and status line) and leaves the last one on Ctrl-C, exit 130', async () => {
    // SIGINT after 2 s: the board is drawn at most every 250 ms; the traces complete 200 ms after they are read.
    const r = await onTerminal(`timeout --preserve-status -s INT 2 node ${quoted(BIN)} slowest -f --idle 200ms ${quoted(file)}`);
    expect(r.code).toBe(130);
    const boards = r.out.split('\x1b[H\x1b[2J').slice(1);
    expect(boards.length).toBeGreaterThanOrEqual(2);
    const last = boards[boards.length - 1]!;
    expect(last).toMatch(new RegExp(`1\\s+${A}\\s+2024-05-01T10:00:00.000Z\\s+12.5s`)); // read at once: A is still open when its callback line comes
    expect(last).toMatch(/10 lines · .*0 open traces · 0 late lines · ended/);
  });

  it('draws no board when stdout is a file', async () => {
    const to = join(dir, 'board.out');
    const r = await onTerminal(`timeout --preserve-status -s INT 2 node ${quoted(BIN)} slowest -f --idle 200ms ${quoted(file)} > ${quoted(to)}`);
    expect(r.code).toBe(130);
    const text = readFileSync(to, 'utf8');
    expect(text).not.toContain('\x1b[');
    expect(text).toMatch(/^ROW\s+RANK\s+DURATION\s+TRACE\s+START\s+ROOT\n/);
    expect(text).toMatch(new RegExp(`^running\\s+\\d+\\s+\\S+\\s+${C}`, 'm'));
    // Ctrl-C: the final ranking after the running rows.
    expect(text).toMatch(new RegExp(`\\n\\n#\\s+TRACE\\s+START\\s+DURATION[^\\n]*\\n1\\s+${A}\\s`));
  });
});

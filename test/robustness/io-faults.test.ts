// Issue 6, I/O faults: unreadable sources, a directory, a file cut short, stdin failing or closing
// early, a closed stdout (`| head -1`), Ctrl-C, and memory bounded by the line cap, not the line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, closeSync, existsSync, mkdtempSync, mkdirSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { asText, runCli } from '../cli/run-cli.js';
import { parseAccount } from './gen.js';
import { BIN, exited, hasProc, ROOT, spawnTracectl, watchPeakRss, type Exit } from './process.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-io-'));
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const line = (i: number, trace = T) => JSON.stringify({ time: '2024-05-01T10:00:00.000Z', trace_id: trace, span_id: (i + 1).toString(16).padStart(16, '0'), service: 'api', msg: `line ${i}` });
const lines = (n: number, trace?: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i, trace?.(i))).join('\n') + '\n';
const good = join(dir, 'good.log');
writeFileSync(good, lines(3));

/** The built program run as the user nobody (the test runs as root): what it wrote on stderr, and its exit code. */
async function asNobody(argv: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, BIN, ...argv], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

/** The real program in-process with a stdin of our making. */
async function runWithStdin(argv: string[], stdin: Readable, signal = new AbortController().signal) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdin,
    stdout: { write: (s) => ((stdout += asText(s)), true) },
    stderr: { write: (s) => ((stderr += asText(s)), true) },
    env: { NO_COLOR: '1' },
    stdoutIsTTY: false,
    stdinIsTTY: false,
    columns: undefined,
    signal,
    threads: 1,
    now: () => Date.parse('2024-05-01T12:00:00Z'),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('unreadable and odd sources (issue 6)', () => {
  it.skipIf(process.getuid?.() === 0)('a file without read permission: named, exit 2, the other files still read', async () => {
    const locked = join(dir, 'locked.log');
    writeFileSync(locked, lines(1));
    chmodSync(locked, 0o000);
    const r = await runCli(['group', locked, good]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${locked}: permission denied`);
    expect(parseAccount(r.stderr)?.read).toBe(3);
  });

  // As root the program runs as nobody through util-linux's setpriv, where there is one.
  it.skipIf(process.getuid?.() === 0 && !existsSync('/usr/bin/setpriv'))('a folder without read permission, given or met in a walk: "permission denied", as for a file', async () => {
    const top = mkdtempSync(join(tmpdir(), 'tracectl-dirs-'));
    chmodSync(top, 0o755);
    mkdirSync(join(top, 'walk', 'sub'), { recursive: true });
    writeFileSync(join(top, 'walk', 'ok.log'), lines(3));
    mkdirSync(join(top, 'locked'));
    chmodSync(join(top, 'walk', 'sub'), 0o000);
    chmodSync(join(top, 'locked'), 0o000);
    const argv = ['group', join(top, 'walk'), join(top, 'locked')];
    // Root reads any folder: the program then runs as nobody, the real binary in a process of its own.
    const r = process.getuid?.() === 0 ? await asNobody(argv) : await runCli(argv);
    expect(r.stderr).toContain(`${join(top, 'walk', 'sub')}: permission denied`);
    expect(r.stderr).toContain(`${join(top, 'locked')}: permission denied`);
    expect(r.stderr).not.toContain('is a directory');
    expect(r.code).toBe(2);
  });

  it('a source that fails while read (EIO, as root too): named, exit 2, the other files still read', async () => {
    const r = await runCli(['group', '/proc/self/mem', good]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/proc\/self\/mem: .*(EIO|i\/o error)/i);
    expect(r.stdout).toContain(T);
    expect(parseAccount(r.stderr)?.read).toBe(3);
  });

  it('a folder named like a file is read as a folder: an empty one adds nothing', async () => {
    const d = join(dir, 'a-dir.log');
    mkdirSync(d, { recursive: true });
    for (const argv of [['group', d, good], ['tree', '4bf9', d, good], ['services', d, good]]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stderr).toContain('lines read from 1 source');
      expect(parseAccount(r.stderr)?.read).toBe(3);
    }
  });

  it('a file cut short mid-line, and a gzip file cut short: what was there is read and the cut is said', async () => {
    const cut = join(dir, 'cut.log');
    writeFileSync(cut, lines(5));
    truncateSync(cut, lines(5).length - 30);
    const r = await runCli(['group', cut]);
    expect(r.code).toBe(0);
    expect(parseAccount(r.stderr)).toMatchObject({ read: 5, used: 4, skipped: 1 });
    expect(r.stderr).toContain(`not JSON: ${cut}:5`);

    const gz = join(dir, 'cut.log.gz');
    const packed = gzipSync(Buffer.from(lines(2000)));
    writeFileSync(gz, packed.subarray(0, Math.floor(packed.length / 2)));
    const g = await runCli(['group', gz]);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain(`${gz}: truncated gzip data`);
    const a = parseAccount(g.stderr)!;
    expect(a.read).toBeGreaterThan(0);
    expect(a.read).toBe(a.used + a.withoutTrace + a.skipped);
  });

  it('a file truncated while it is being read', async () => {
    const f = join(dir, 'shrinking.log');
    writeFileSync(f, lines(200_000));
    const reading = runCli(['group', '--json', f]);
    setTimeout(() => truncateSync(f, 1000), 5);
    const r = await reading;
    expect([0, 2]).toContain(r.code);
    expect(r.stderr).not.toContain('internal error');
    const a = parseAccount(r.stderr)!;
    expect(a.read).toBe(a.used + a.withoutTrace + a.skipped);
  });

  it('stdin that fails part way: what came before is used, the failure is named, exit 2', async () => {
    const stdin = new Readable({ read() {} });
    stdin.push(lines(3));
    setTimeout(() => stdin.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 10);
    const r = await runWithStdin(['group'], stdin);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stdin: .*ECONNRESET/);
    expect(r.stdout).toContain(T);
    expect(parseAccount(r.stderr)?.read).toBe(3);
  });

  it('stdin closed early, mid-line: the piece is a line of its own, skipped with its place', async () => {
    const r = await runWithStdin(['group'], Readable.from([Buffer.from(lines(2) + '{"trace_id":"4bf9')]));
    expect(r.code).toBe(0);
    expect(parseAccount(r.stderr)).toMatchObject({ read: 3, used: 2, skipped: 1 });
    expect(r.stderr).toContain('not JSON: stdin:3');
  });

  it('an abort (Ctrl-C in-process) during a long read keeps what was read and says so', async () => {
    const controller = new AbortController();
    let i = 0;
    const stdin = new Readable({
      read() {
        this.push(line(i++) + '\n');
        if (i === 500) controller.abort();
      },
    });
    const r = await runWithStdin(['group'], stdin, controller.signal);
    expect(r.code).toBe(130);
    expect(r.stdout).toContain(T);
    expect(r.stderr).toContain('interrupted');
    const a = parseAccount(r.stderr)!;
    expect(a.read).toBeGreaterThanOrEqual(500);
    expect(a.read).toBe(a.used + a.withoutTrace + a.skipped);
  });
});

describe('the real process (issue 6)', () => {

  it('`tracectl group big.log | head -1` returns with 0 once the reader has gone', async () => {
    const big = join(dir, 'many-traces.log');
    writeFileSync(big, lines(60_000, (i) => (i + 1).toString(16).padStart(32, '0')));
    const child = spawnTracectl(['group', '--json', big]);
    const done = exited(child);
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    child.stdout.destroy(); // head -1 has its line and exits
    expect(first.toString()).toMatch(/^\{"traceId":/);
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
  }, 20_000);

  it('`tracectl group big.log 2>&1 | head -5`: stderr closed with stdout, still 0 and no crash', async () => {
    const big = join(dir, 'many-traces-2.log');
    writeFileSync(big, lines(60_000, (i) => (i + 1).toString(16).padStart(32, '0')));
    for (let run = 0; run < 5; run++) {
      const child = spawnTracectl(['group', '--json', big]);
      const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
      await once(child.stdout, 'data');
      // head has its lines and exits: the one pipe both streams went to is gone.
      child.stdout.destroy();
      child.stderr.destroy();
      expect(await closed).toEqual({ code: 0, signal: null });
    }
  }, 60_000);

  it('a closed stderr alone (`2>&-` into a closed pipe) does not stop the results on stdout', async () => {
    const small = join(dir, 'few-traces.log');
    writeFileSync(small, lines(2_000, (i) => ((i % 50) + 1).toString(16).padStart(32, '0')));
    const child = spawnTracectl(['group', '--json', small]);
    child.stderr.destroy();
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    expect(await closed).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(50);
  }, 20_000);

  it.runIf(existsSync('/dev/full'))('results onto a full disk (/dev/full): one plain line and exit 2, no stack trace', async () => {
    const small = join(dir, 'few-traces-full.log');
    writeFileSync(small, lines(2_000, (i) => ((i % 50) + 1).toString(16).padStart(32, '0')));
    for (const argv of [['group', small], ['tree', (1).toString(16).padStart(32, '0'), small]]) {
      const full = openSync('/dev/full', 'w');
      const child = spawn(process.execPath, [BIN, ...argv], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', full, 'pipe'] });
      closeSync(full);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const [code] = (await once(child, 'close')) as [number];
      expect(code, stderr).toBe(2);
      expect(stderr).toContain('tracectl: cannot write the results: ENOSPC');
      expect(stderr).not.toMatch(/\n\s+at |internal error/);
    }
  }, 20_000);

  it('Ctrl-C during a never-ending read: prints what it has, says it was interrupted, exits 130', async () => {
    const child = spawnTracectl(['group']);
    const done = exited(child);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let i = 0;
    let stop = false;
    const feed = () => {
      while (!stop && child.stdin.write(line(i++) + '\n')) if (i === 20_000) setTimeout(() => child.kill('SIGINT'), 0);
      if (!stop) child.stdin.once('drain', feed);
    };
    child.stdin.on('error', () => (stop = true));
    feed();
    const r = await done;
    stop = true;
    expect(r.code).toBe(130);
    expect(stdout).toContain(T);
    expect(r.stderr).toContain('tracectl: interrupted');
    const a = parseAccount(r.stderr)!;
    expect(a.read).toBeGreaterThan(0);
    expect(a.read).toBe(a.used + a.withoutTrace + a.skipped);
  }, 20_000);

  // Regression: `kubectl logs -f | tracectl group` sits on a silent pipe; the read loop only looked at the
  // abort when a chunk came in, so Ctrl-C waited until the pipe spoke or closed.
  it('Ctrl-C on a silent, still-open stdin ends at once with what was read', async () => {
    // Node resets the terminal on SIGINT until the program's own handler is in place, and nothing shows
    // from outside when that is: on a loaded machine the first pause can be too short, so it grows.
    let r: Exit | undefined;
    let stdout = '';
    for (const pause of [500, 2_000, 6_000]) {
      const child = spawnTracectl(['group']);
      stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const done = exited(child);
      child.stdin.write(`${line(1)}\n${line(2)}\n`); // and then nothing: the pipe stays open
      await new Promise((res) => setTimeout(res, pause));
      const sent = Date.now();
      child.kill('SIGINT');
      r = await done;
      child.stdin.destroy();
      expect(Date.now() - sent).toBeLessThan(5_000); // a hang would wait for the test's own timeout
      if (r.signal !== 'SIGINT') break; // killed by the signal itself: the handler was not there yet
    }
    expect(r!.code).toBe(130);
    expect(stdout).toContain(T);
    expect(r!.stderr).toContain('tracectl: interrupted');
  }, 40_000);

  it.runIf(hasProc)('memory stays bounded by the line cap, not the line: a 200 MB line through stdin', async () => {
    const child = spawnTracectl(['group', '--max-line-bytes', '1048576']);
    const peak = watchPeakRss(child.pid!);
    const done = exited(child);
    const chunk = Buffer.alloc(1 << 20, 'a');
    child.stdin.write('{"msg":"');
    for (let i = 0; i < 200; i++) if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
    child.stdin.end(`"}\n${line(1)}\n`);
    const r = await done;
    const peakKb = peak();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 line over 1048576 bytes \(20971\d+ bytes\): stdin:1/);
    expect(parseAccount(r.stderr)).toMatchObject({ read: 2, used: 1, skipped: 1 });
    // Node itself takes ~50 MB; holding the line would take 200 MB (400 MB as a JS string).
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(150 * 1024);
  }, 30_000);
});

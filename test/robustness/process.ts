// The built binary as a child process, for what only a real process shows: a closed stdout, Ctrl-C,
// peak memory. dist/ is built once for the whole run (test/global-setup.ts).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const BIN = `${ROOT}bin/tracectl.js`;

export function spawnTracectl(argv: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...argv], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export function exited(child: ChildProcessWithoutNullStreams): Promise<Exit> {
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

/** Peak resident set (VmHWM, kB) of a running process, sampled until it ends; 0 if /proc is not there. */
export function watchPeakRss(pid: number): () => number {
  let peak = 0;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // gone
    }
  };
  const timer = setInterval(sample, 20);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

export const hasProc = existsSync('/proc/self/status');


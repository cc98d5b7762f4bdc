// One child process, measured: what run.js and ab.js time. Wall time from spawn to exit (hrtime in this
// process); CPU time (user + system, all threads) as GNU time reports it; peak RSS as GNU time reports it (`/usr/bin/time -f %M`, the kernel's ru_maxrss, exact), or,
// without /usr/bin/time, /proc/<pid>/status VmHWM polled every 10 ms (itself a high-water mark, so only
// growth in the last 10 ms before exit can be missed).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

export const GNU_TIME = '/usr/bin/time';

/** Is GNU time here to report peak RSS? */
export const hasGnuTime = () => existsSync(GNU_TIME);

function readVmHWM(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs argv once in `cwd` with stdout and stderr to files; resolves to {wallS, cpuS, rssKB, code} (cpuS: NaN without GNU time). */
export function measureOnce(argv, outPath, errPath, useGnuTime, cwd) {
  return new Promise((resolve, reject) => {
    const out = openSync(outPath, 'w');
    const err = openSync(errPath, 'w');
    const rssPath = `${errPath}.rss`;
    const full = useGnuTime ? [GNU_TIME, '-f', '%U %S %M', '-o', rssPath, ...argv] : argv;
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { stdio: ['ignore', out, err], cwd });
    let hwm = 0;
    const poll = useGnuTime ? undefined : setInterval(() => (hwm = Math.max(hwm, readVmHWM(child.pid))), 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      if (poll) clearInterval(poll);
      closeSync(out);
      closeSync(err);
      let rssKB = hwm;
      let cpuS = NaN;
      let status = code;
      if (useGnuTime) {
        // GNU time writes "Command exited with non-zero status N" before the format when the command fails.
        const lines = readFileSync(rssPath, 'utf8').trim().split('\n');
        const [user, system, rss] = lines[lines.length - 1].split(' ').map(Number);
        rssKB = rss;
        cpuS = user + system;
        const m = /non-zero status (\d+)/.exec(lines.join('\n'));
        status = m ? Number(m[1]) : code;
      }
      resolve({ wallS, cpuS, rssKB, code: status });
    });
  });
}

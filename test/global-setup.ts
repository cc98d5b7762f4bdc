// Builds dist/ once before any test file runs: worker threads and child processes load the built bundle
// (bin/tracectl.js → dist/tracectl.js, dist/ingest-worker.js), so no test file may build while others run.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  const root = new URL('..', import.meta.url).pathname;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/bundle.js'], { cwd: root, stdio: 'inherit' });
}

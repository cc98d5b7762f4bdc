// The command-line entry and the worker thread's file, each bundled into one module (dist/tracectl.js,
// dist/ingest-worker.js) from tsc's output. Loading ~120 small ES modules took ~55 ms of every run's
// start (`tracectl --version`: 0.17 s unbundled, 0.12 s bundled), and a worker thread pays it again.
// Dependencies (commander, chalk) stay in node_modules: only the project's own code is joined.
// The library entries (dist/index.js, dist/instrument/) stay as tsc writes them. docs/DECISIONS.md, D8.
import { buildSync } from 'esbuild';

const dist = new URL('../dist/', import.meta.url).pathname;
buildSync({
  entryPoints: { tracectl: `${dist}cli/process.js`, 'ingest-worker': `${dist}parallel/ingest-worker.js` },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

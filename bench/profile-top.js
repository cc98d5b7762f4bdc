#!/usr/bin/env node
// Top functions by self time in a V8 .cpuprofile (from `node --cpu-prof`).
//
//   node --cpu-prof --cpu-prof-dir=bench/out/prof bin/tracectl.js group FILE --json --quiet > /dev/null
//   node bench/profile-top.js bench/out/prof/CPU.*.cpuprofile [--top 25]
//
// Self time of a function = the sampled time during which it was the innermost frame, summed over every
// call site (the profile's tree nodes are merged by name + file + line). Times come from the profile's
// timeDeltas, which are more exact than hitCount × the sampling interval.
import { readFileSync } from 'node:fs';
import path from 'node:path';

// `… | head`: the reader has what it wanted once the pipe closes; stop there, without a stack trace.
process.stdout.on('error', (e) => (e.code === 'EPIPE' ? process.exit(0) : Promise.reject(e)));

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 25;
if (!file) {
  process.stderr.write('usage: node bench/profile-top.js FILE.cpuprofile [--top 25]\n');
  process.exit(2);
}

const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
let total = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] ?? 0;
  total += dt;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
});

const cwd = process.cwd() + path.sep;
const merged = new Map();
for (const [id, us] of selfUs) {
  const cf = byId.get(id).callFrame;
  const url = cf.url.replace(/^file:\/\//, '').replace(cwd, '');
  const name = cf.functionName || '(anonymous)';
  const where = url ? `${url}:${cf.lineNumber + 1}` : '';
  const key = `${name}\t${where}`;
  merged.set(key, (merged.get(key) ?? 0) + us);
}

const rows = [...merged].sort((a, b) => b[1] - a[1]).slice(0, top);
process.stdout.write(`${path.basename(file)}: ${(total / 1000).toFixed(0)} ms sampled\n\n`);
process.stdout.write(`${'self ms'.padStart(9)}  ${'self %'.padStart(6)}  function  (file:line)\n`);
for (const [key, us] of rows) {
  const [name, where] = key.split('\t');
  process.stdout.write(`${(us / 1000).toFixed(1).padStart(9)}  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}  ${where ? `(${where})` : ''}\n`);
}

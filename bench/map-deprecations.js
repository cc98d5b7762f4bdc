#!/usr/bin/env node
// When and where V8 deprecated a hidden class (a "map") during a run: the pathology session 16 found
// behind ~0.45 s of the million-span `tree`. Two object literals (or a literal and an unpacker) that
// store one field in different representations (a small integer here, a double read from a Float64Array
// there) make V8 deprecate the class they share; every object made under the old class is then migrated
// at its first use, ~1 µs each, which a profile shows as a slow first property load somewhere else.
//
//   node bench/map-deprecations.js -- tree 4bf92f35 bench/out/corpus-onetrace-1000000spans-seed1.jsonl
//
// Runs bin/tracectl.js with `node --log-maps` (stdout to /dev/null) and prints each deprecation site by
// time: `ms  count  age  line:column` and the line of the built files it points at (the log names no
// file: both dist/tracectl.js and dist/ingest-worker.js are shown). `age` is how long the oldest class
// deprecated there had existed: a fraction of a ms is a class freshly made by code just optimized, its
// fields getting their first representations, with no object made under it yet (harmless; dozens of
// these are normal). Hundreds of ms is the thing to look at: at 00e5324 the million-span tree showed
// `1283 ms  1×  age 585 ms  7341:59`, the replayed span's whereLine.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dash = process.argv.indexOf('--');
if (dash < 0 || dash === process.argv.length - 1) {
  process.stderr.write('usage: node bench/map-deprecations.js -- COMMAND ARGS...\n');
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'tracectl-maps-'));
const log = path.join(dir, 'v8.log');
const run = spawnSync(process.execPath, ['--log-maps', `--logfile=${log}`, '--no-logfile-per-isolate', path.join(root, 'bin/tracectl.js'), ...process.argv.slice(dash + 1)], { stdio: ['ignore', 'ignore', 'inherit'] });
if (run.status !== 0) process.stderr.write(`map-deprecations: tracectl exited with ${run.status}\n`);

const text = readFileSync(log, 'latin1');
rmSync(dir, { recursive: true, force: true });
const sources = ['dist/tracectl.js', 'dist/ingest-worker.js'].map((f) => [f, readFileSync(path.join(root, f), 'utf8').split('\n')]);
// map,TYPE,time(µs),from,to,pc,line,column,reason,name. A class's age when deprecated tells a fresh one
// (made by code just optimized, deprecated as its fields got their first representations: no object
// lived under it) from one objects were made under for a while.
const made = new Map(); // map address -> time it was made (µs)
const sites = new Map();
for (const line of text.split('\n')) {
  if (!line.startsWith('map,')) continue;
  const f = line.split(',');
  const us = Number(f[2]);
  if (f[1] !== 'Deprecate') {
    if (f[4] !== '0x000000000000' && !made.has(f[4])) made.set(f[4], us);
    continue;
  }
  const key = `${f[6]}:${f[7]}`;
  const ms = Math.round(us / 1000);
  const age = made.has(f[3]) ? (us - made.get(f[3])) / 1000 : Infinity;
  const s = sites.get(key) ?? { first: ms, last: ms, count: 0, oldest: 0 };
  s.first = Math.min(s.first, ms);
  s.last = Math.max(s.last, ms);
  s.oldest = Math.max(s.oldest, age);
  s.count++;
  sites.set(key, s);
}
const out = [`${sites.size} deprecation site(s); ms from each thread's start; age: how long the oldest class deprecated there had been in use`, ''];
for (const [key, s] of [...sites].sort((a, b) => a[1].first - b[1].first)) {
  const at = Number(key.split(':')[0]);
  const age = s.oldest === Infinity ? 'age ?' : `age ${s.oldest < 1 ? s.oldest.toFixed(2) : Math.round(s.oldest)} ms`;
  out.push(`${String(s.first).padStart(6)}–${String(s.last).padEnd(6)} ms  ${String(s.count).padStart(3)}×  ${age.padEnd(12)}  ${key}`);
  for (const [f, lines] of sources) out.push(`        ${f}: ${(lines[at - 1] ?? '').trim().slice(0, 110)}`);
}
process.stdout.write(out.join('\n') + '\n');

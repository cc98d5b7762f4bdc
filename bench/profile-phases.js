#!/usr/bin/env node
// Where the time of a run went, by phase, from a V8 .cpuprofile (`node --cpu-prof`): the questions
// profile-top.js (self time) cannot answer.
//
//   node --cpu-prof --cpu-prof-dir=bench/out/prof bin/tracectl.js tree ID FILE > /dev/null
//   node bench/profile-phases.js PROFILE --phases readInto,buildTree,treeTextChunks
//       each function's inclusive time, the first and last sample under it (ms from the start), and the
//       garbage collection and idle time between those two: a phase's wall window and what filled it
//   node bench/profile-phases.js PROFILE --lines buildTree
//       the function's self time by source line (of the built file: dist/tracectl.js)
//   node bench/profile-phases.js PROFILE --under absorb:4860
//       inclusive time of everything called under the function (name or name:line, line 1-based)
//   node bench/profile-phases.js PROFILE --window 1500-1900
//       top functions by self and by inclusive time in that stretch of the run (ms from the start)
//
// Garbage collection shows as its own root-level frame, never under a function: --phases counts it in
// each phase's window instead. The worker thread writes a profile of its own (the second file).
import { readFileSync } from 'node:fs';

// `… | head`: the reader has what it wanted once the pipe closes; stop there, without a stack trace.
process.stdout.on('error', (e) => (e.code === 'EPIPE' ? process.exit(0) : Promise.reject(e)));

const args = process.argv.slice(2);
// The file: the one argument that is neither an option nor an option's value.
const file = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
if (!file || !(opt('--phases') || opt('--lines') || opt('--under') || opt('--window'))) {
  process.stderr.write('usage: node bench/profile-phases.js FILE.cpuprofile --phases f,g | --lines f | --under f[:line] | --window FROM-TO\n');
  process.exit(2);
}

const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const nameOf = (n) => n.callFrame.functionName || '(anonymous)';
const keyOf = (n) => `${nameOf(n)}:${n.callFrame.lineNumber + 1}`;
/** The frames of a sample, innermost first. */
const stackOf = (id) => {
  const out = [];
  for (let x = id; x !== undefined; x = parentOf.get(x)) out.push(byId.get(x));
  return out;
};
// Samples as [end time in µs from the start, duration µs, node id].
const samples = [];
let t = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] ?? 0;
  t += dt;
  samples.push([t, dt, id]);
});
const ms = (us) => (us / 1000).toFixed(0).padStart(6);
const matches = (n, target) => (target.includes(':') ? keyOf(n) === target : nameOf(n) === target);

if (opt('--phases')) {
  const names = opt('--phases').split(',');
  const res = names.map(() => ({ us: 0, first: -1, last: -1 }));
  for (const [end, dt, id] of samples) {
    const stack = stackOf(id);
    names.forEach((name, k) => {
      if (!stack.some((n) => matches(n, name))) return;
      const r = res[k];
      r.us += dt;
      if (r.first < 0) r.first = end - dt;
      r.last = end;
    });
  }
  // Times count from this profile's own start; the worker's profile starts later (its thread does).
  process.stdout.write(`profile start ${(prof.startTime / 1000).toFixed(0)} ms on the clock both threads' profiles share\n`);
  process.stdout.write(`${'incl ms'.padStart(7)}  ${'from'.padStart(6)}  ${'to'.padStart(6)}  ${'gc'.padStart(6)}  ${'idle'.padStart(6)}  function\n`);
  names.forEach((name, k) => {
    const r = res[k];
    let gc = 0;
    let idle = 0;
    for (const [end, dt, id] of samples) {
      if (r.first < 0 || end <= r.first || end > r.last) continue;
      const fn = nameOf(byId.get(id));
      if (fn === '(garbage collector)') gc += dt;
      if (fn === '(idle)') idle += dt;
    }
    process.stdout.write(r.first < 0 ? `${ms(0)}  ${'-'.padStart(6)}  ${'-'.padStart(6)}  ${'-'.padStart(6)}  ${'-'.padStart(6)}  ${name}\n` : `${ms(r.us)}  ${ms(r.first)}  ${ms(r.last)}  ${ms(gc)}  ${ms(idle)}  ${name}\n`);
  });
}

if (opt('--lines')) {
  const name = opt('--lines');
  const interval = (prof.endTime - prof.startTime) / Math.max(1, prof.samples.length);
  const ticks = new Map();
  let url;
  for (const n of prof.nodes) {
    if (!matches(n, name)) continue;
    url ??= n.callFrame.url;
    for (const p of n.positionTicks ?? []) ticks.set(p.line, (ticks.get(p.line) ?? 0) + p.ticks);
  }
  let source = [];
  try {
    source = readFileSync(new URL(url), 'utf8').split('\n');
  } catch {
    // a built-in or an unreadable file: line numbers only
  }
  for (const [line, n] of [...ticks].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    process.stdout.write(`${ms(n * interval)} ms  ${String(line).padStart(6)}  ${(source[line - 1] ?? '').trim().slice(0, 110)}\n`);
  }
}

if (opt('--under')) {
  const target = opt('--under');
  const incl = new Map();
  let total = 0;
  for (const [, dt, id] of samples) {
    const stack = stackOf(id);
    const at = stack.findIndex((n) => matches(n, target));
    if (at < 0) continue;
    total += dt;
    const seen = new Set();
    for (const n of stack.slice(0, at)) {
      const k = keyOf(n);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  process.stdout.write(`${ms(total)} ms under ${target}\n`);
  for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stdout.write(`${ms(us)}  ${k}\n`);
}

if (opt('--window')) {
  const [from, to] = opt('--window').split('-').map((x) => Number(x) * 1000);
  const self = new Map();
  const incl = new Map();
  for (const [end, dt, id] of samples) {
    if (end < from || end > to) continue;
    const stack = stackOf(id);
    self.set(keyOf(stack[0]), (self.get(keyOf(stack[0])) ?? 0) + dt);
    for (const k of new Set(stack.map(keyOf))) incl.set(k, (incl.get(k) ?? 0) + dt);
  }
  const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 20);
  process.stdout.write('self\n');
  for (const [k, us] of top(self)) process.stdout.write(`${ms(us)}  ${k}\n`);
  process.stdout.write('inclusive\n');
  for (const [k, us] of top(incl)) process.stdout.write(`${ms(us)}  ${k}\n`);
}

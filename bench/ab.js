#!/usr/bin/env node
// Before and after a change, interleaved: the way this project decides whether a change to a hot path helps.
//
//   node bench/ab.js [--runs 5] [--base HEAD] -- group --threads 1 bench/out/corpus-a-250MB-seed1.jsonl
//
// Builds the commit `--base` (default HEAD: the last commit, against the working tree) into a temporary
// directory, builds the working tree, then runs the tracectl command given after `--` with each build in
// turn, `--runs` times (base, new, base, new, …). This machine's speed drifts by 15–25% over minutes; runs
// side by side in the same minutes are what makes a 3% difference visible. Prints, per build, the fastest
// and median wall time, every run, the median CPU time (user + system) and peak RSS; then the ratios of
// the medians. The command's output goes to bench/out/ab-*.out|err (compare them: a speed-up must not
// change an answer).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasGnuTime, measureOnce } from './measure.js';

const ROOT = path.resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const dash = args.indexOf('--');
if (dash < 0 || dash === args.length - 1) {
  process.stderr.write('usage: node bench/ab.js [--runs N] [--base REV] -- COMMAND ARGS...\n');
  process.exit(2);
}
const own = args.slice(0, dash);
const command = args.slice(dash + 1);
const opt = (name, fallback) => (own.includes(name) ? own[own.indexOf(name) + 1] : fallback);
const runs = Number(opt('--runs', '5'));
const base = opt('--base', 'HEAD');
const useGnuTime = hasGnuTime();
const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

// The base build: the commit's files, the working tree's node_modules, compiled to its own dist/.
const dir = mkdtempSync(path.join(tmpdir(), 'tracectl-ab-'));
try {
  const tar = execFileSync('git', ['-C', ROOT, 'archive', base], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  for (const tree of [dir, ROOT]) {
    execFileSync(process.execPath, [tsc, '-p', path.join(tree, 'tsconfig.build.json')], { stdio: 'inherit' });
    // Since session 7 the CLI runs from a bundle (scripts/bundle.js); older commits have no such step.
    const bundle = path.join(tree, 'scripts', 'bundle.js');
    if (existsSync(bundle)) execFileSync(process.execPath, [bundle], { stdio: 'inherit' });
  }

  const sides = [
    { name: `base ${base}`, bin: path.join(dir, 'bin', 'tracectl.js'), runs: [] },
    { name: 'working tree', bin: path.join(ROOT, 'bin', 'tracectl.js'), runs: [] },
  ];
  mkdirSync(path.join(ROOT, 'bench', 'out'), { recursive: true });
  for (let i = 0; i < runs; i++) {
    for (const [k, side] of sides.entries()) side.runs.push(await once([process.execPath, side.bin, ...command], k === 0 ? 'base' : 'new'));
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  for (const side of sides) {
    const walls = side.runs.map((r) => r.wallS);
    const codes = [...new Set(side.runs.map((r) => r.code))].join(',');
    process.stdout.write(
      `${side.name.padEnd(16)} min ${Math.min(...walls).toFixed(2)} s  median ${median(walls).toFixed(2)} s  ` +
        `all ${walls.map((w) => w.toFixed(2)).join(' ')}  CPU ${median(side.runs.map((r) => r.cpuS)).toFixed(2)} s  ` +
        `RSS ${(median(side.runs.map((r) => r.rssKB)) / 1024).toFixed(0)} MB  exit ${codes}\n`,
    );
  }
  const ratio = (key) => median(sides[1].runs.map((r) => r[key])) / median(sides[0].runs.map((r) => r[key]));
  // CPU time (user + system of all threads) is the steadier figure when the machine's speed drifts;
  // wall time is the one the targets are about.
  process.stdout.write(`working tree / base (medians): wall ${ratio('wallS').toFixed(3)}, CPU ${ratio('cpuS').toFixed(3)}\n`);
  const same = ['out', 'err'].every((x) => readFileSync(path.join(ROOT, 'bench', 'out', `ab-base.${x}`), 'utf8') === readFileSync(path.join(ROOT, 'bench', 'out', `ab-new.${x}`), 'utf8'));
  process.stdout.write(same ? 'outputs: the same\n' : 'outputs: DIFFER (bench/out/ab-base.* vs ab-new.*)\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** One run of argv, its output to bench/out/ab-LABEL.out|err (measure.js). */
function once(argv, label) {
  const out = path.join(ROOT, 'bench', 'out', `ab-${label}`);
  return measureOnce(argv, `${out}.out`, `${out}.err`, useGnuTime, ROOT);
}

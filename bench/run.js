#!/usr/bin/env node
// `npm run bench`: tracectl against the floor (a bare Node loop) and the tools a user would otherwise
// use (jq, mlr), on generated corpora whose true answers are known, with a correctness figure beside
// every timing.
//
//   node bench/run.js [--size 250MB] [--quick] [--runs K] [--only group,tree,...] [--skip-peers] [--seed N]
//                     [--onetrace-spans N]
//
// Rows (names for --only): bare, ndjson, group, slowest, latency, tree, critical-path, export, jq, mlr,
// flat, flat-traces, onetrace. Corpora are cached in bench/out by style + size + seed; results go to bench/out/results.json
// and bench/out/results.md (a table ready for the README).
//
// Measurement (measure.js): each row is a child process. Wall time is measured in this process (hrtime from spawn to
// exit). Peak RSS is the child's ru_maxrss as reported by GNU time (`/usr/bin/time -f %M`, the kernel's
// own high-water mark, exact); without /usr/bin/time it falls back to polling /proc/<pid>/status VmHWM
// every 10 ms (VmHWM is itself a high-water mark, so only growth in the last 10 ms before exit can be
// missed). Best of K runs by wall time, K = 3 unless --runs says otherwise (single runs on this shared
// machine vary by a fifth or more; with 2, one slow minute decided some ratios). The peers jq and mlr
// (minutes each, no target) take at most 2.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, createReadStream, mkdirSync, openSync, closeSync, readSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, parseSize } from './generate.js';
import { GNU_TIME, hasGnuTime, measureOnce } from './measure.js';
import { startReceiver } from './otlp-receiver.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const OUT = path.join(HERE, 'out');
const LOGS = path.join(OUT, 'logs');
const TRACECTL = path.join(ROOT, 'bin', 'tracectl.js');

// ---- arguments ----------------------------------------------------------------------------------------

/** The sizes the issue's targets are for. */
const TARGET_SIZE = parseSize('250MB');
const TARGET_SPANS = 1_000_000;

function parseArgs(argv) {
  const o = { size: TARGET_SIZE, runs: undefined, only: undefined, skipPeers: false, seed: 1, onetraceSpans: TARGET_SPANS, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--size') o.size = parseSize(v());
    else if (k === '--quick') o.quick = true;
    else if (k === '--runs') o.runs = Number(v());
    else if (k === '--only') o.only = new Set(v().split(',').map((s) => s.trim()));
    else if (k === '--skip-peers') o.skipPeers = true;
    else if (k === '--seed') o.seed = Number(v());
    else if (k === '--onetrace-spans') o.onetraceSpans = Number(v());
    else if (k === '-h' || k === '--help') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  if (o.quick) {
    if (!argv.includes('--size')) o.size = parseSize('20MB');
    if (!argv.includes('--onetrace-spans')) o.onetraceSpans = 100_000;
  }
  o.runs ??= 3;
  return o;
}

// ---- environment ----------------------------------------------------------------------------------------

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function versionOf(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').split('\n')[0].trim();
}

function machine() {
  const cpus = os.cpus();
  let distro = '';
  try {
    distro = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    // not Linux, or no os-release: leave it out
  }
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} (${cpus.length} logical cores)`,
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GiB`,
    os: `${distro || os.type()} ${os.release()}`.trim(),
    node: process.version,
  };
}

/**
 * Other processes using a core right now (more than 30% of one for 10 s or more), as `ps` lists them: on
 * a 2-core machine one of them takes half the machine and every two-thread row with it. A benchmark
 * loop left running from an earlier attempt once made a whole afternoon's two-thread figures 20–40% slow.
 */
function busyElsewhere() {
  const r = spawnSync('ps', ['-eo', 'pid=,pcpu=,etimes=,args='], { encoding: 'utf8' });
  if (r.status !== 0) return [];
  const busy = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*(\d+)\s+([\d.]+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m || Number(m[1]) === process.pid) continue;
    if (Number(m[2]) > 30 && Number(m[3]) >= 10) busy.push({ pid: Number(m[1]), text: `pid ${m[1]} at ${m[2]}% for ${m[3]} s: ${m[4].slice(0, 100)}` });
  }
  return busy;
}

const tracectlCommands = () => {
  const r = spawnSync(process.execPath, [TRACECTL, '--help'], { encoding: 'utf8' });
  const cmds = new Set();
  for (const m of (r.stdout ?? '').matchAll(/^ {2}([a-z-]+) \[options\]/gm)) cmds.add(m[1]);
  return cmds;
};

// ---- corpora -------------------------------------------------------------------------------------------------

const sizeLabel = (bytes) => (bytes % 1e5 === 0 ? `${bytes / 1e6}MB` : `${bytes}B`);
const mbLabel = (bytes) => `${(bytes / 1e6).toFixed(1)}MB`;

async function corpus(style, size, seed, extra = {}) {
  const tag = extra.traces ? `-t${extra.traces}` : extra.spans ? `-${extra.spans}spans` : '';
  const file = path.join(OUT, style === 'onetrace' ? `corpus-onetrace${tag}-seed${seed}.jsonl` : `corpus-${style}-${sizeLabel(size)}${tag}-seed${seed}.jsonl`);
  const truthFile = `${file}.truth.json`;
  if (existsSync(file) && existsSync(truthFile)) {
    const truth = JSON.parse(readFileSync(truthFile, 'utf8'));
    if (statSync(file).size === truth.bytes) return { file, truth };
  }
  log(`generating ${path.relative(ROOT, file)} …`);
  const t0 = performance.now();
  const truth = await generate({ style, size, seed, out: file, traces: extra.traces, spans: extra.spans });
  log(`  ${fmtInt(truth.lines)} lines, ${(truth.bytes / 1e6).toFixed(1)} MB, ${fmtInt(truth.traces)} traces in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { file, truth };
}

// ---- measuring one process ------------------------------------------------------------------------------

/** Best runs measured ahead by rounds(), by row name; measure() takes them from here. */
const measuredAhead = new Map();

/**
 * Best of `runs` for several rows, run in rounds (each row once, then each again, …) rather than row by
 * row: this machine's speed drifts by 15–25% over minutes, and a row's ratio to the bare loop should not
 * depend on whether the two happened to run in the same phase. `rows`: [name, argv] pairs.
 */
async function rounds(rows, runs, useGnuTime) {
  mkdirSync(LOGS, { recursive: true });
  for (let i = 0; i < runs; i++) {
    for (const [name, argv] of rows) {
      const r = await measureOnce(argv, path.join(LOGS, `${name}.out`), path.join(LOGS, `${name}.err`), useGnuTime, ROOT);
      const best = measuredAhead.get(name);
      if (!best || r.wallS < best.wallS) measuredAhead.set(name, r);
    }
  }
}

async function measure(name, argv, runs, useGnuTime) {
  mkdirSync(LOGS, { recursive: true });
  const outPath = path.join(LOGS, `${name}.out`);
  const errPath = path.join(LOGS, `${name}.err`);
  let best = measuredAhead.get(name);
  measuredAhead.delete(name);
  if (best === undefined) {
    for (let i = 0; i < runs; i++) {
      const r = await measureOnce(argv, outPath, errPath, useGnuTime, ROOT);
      if (!best || r.wallS < best.wallS) best = r;
    }
  }
  return { ...best, outPath, errPath };
}

// ---- reading results back ---------------------------------------------------------------------------------

async function countLines(file) {
  let n = 0;
  for await (const chunk of createReadStream(file)) for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

function head(file, bytes = 1 << 20) {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(bytes);
  const n = readSync(fd, buf, 0, bytes, 0);
  closeSync(fd);
  return buf.subarray(0, n).toString('utf8');
}

const num = (s) => Number(String(s).replace(/,/g, ''));
/** tracectl's own count from its stderr report: "…; 1,234 traces". */
const reportedTraces = (err) => {
  const m = /; ([\d,]+) traces?\b/.exec(err);
  return m ? num(m[1]) : undefined;
};
const firstNumber = (s) => {
  const m = /^\s*(\d+)\s*$/m.exec(s);
  return m ? Number(m[1]) : undefined;
};

// ---- the rows --------------------------------------------------------------------------------------------------

/**
 * A row: what runs, on which corpus, and how its output is checked. check() returns {found, truth, ok, note}.
 * target: {text, ratio: (row, rows) => number | undefined, max}.
 */
function node(script, ...args) {
  return [process.execPath, script, ...args];
}
function tracectl(...args) {
  return [process.execPath, TRACECTL, ...args];
}

const tracesCheck = (found, truth, note) => ({ found, truth: truth.traces, ok: found === truth.traces, unit: 'traces', note });

async function checkCountOnStdout(m, truth) {
  return tracesCheck(firstNumber(head(m.outPath, 4096)), truth);
}

async function checkGroup(m, truth) {
  const rows = await countLines(m.outPath);
  const own = reportedTraces(readFileSync(m.errPath, 'utf8'));
  const c = tracesCheck(rows, truth, own === rows ? 'own count agrees' : `own count ${own ?? '?'} disagrees`);
  c.ok = c.ok && own === rows && m.code === 0;
  return c;
}

function jqProgram(style) {
  // Holds one key per trace id (a set), never the entries: the fair single-process jq "group by" that
  // fits a 250 MB file. `jq -s 'group_by(.traceId) | length'` would hold every parsed line (several GB).
  const id = style === 'a' ? '.traceId' : style === 'b' ? '.trace_id' : '(.traceId // .trace_id)';
  const parse = style === 'c' ? '(index("{")) as $i | select($i != null) | .[$i:] | fromjson?' : 'fromjson?';
  return `reduce (inputs | ${parse} | ${id} // empty) as $t ({}; .[$t] = 1) | length`;
}

// ---- the table ----------------------------------------------------------------------------------------------------

const fmtInt = (n) => (n === undefined ? '?' : n.toLocaleString('en-US'));
const fmt = (x, d = 2) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));

function table(rows) {
  const head = ['row', 'corpus', 'wall s', 'MB/s', 'peak RSS MB', 'time × bare', 'RSS × bare', 'found / truth', 'target', 'result'];
  const body = rows.map((r) =>
    r.skipped
      ? [r.row, r.corpus, '–', '–', '–', '–', '–', '–', r.target ?? '', `skipped: ${r.skipped}`]
      : [
          r.row,
          r.corpus,
          fmt(r.wallS),
          fmt(r.mbps, 1),
          fmt(r.rssMB, 0),
          fmt(r.timeRatio),
          fmt(r.rssRatio),
          `${fmtInt(r.found)} / ${fmtInt(r.truth)} ${r.unit ?? ''} ${r.ok ? '✓' : '✗'}`.replace(/ {2,}/g, ' '),
          r.target ?? '',
          r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
        ],
  );
  return { head, body };
}

function textTable({ head, body }) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function mdTable({ head, body }) {
  const esc = (s) => s.replace(/\|/g, '\\|');
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i >= 2 && i <= 6 ? '---:' : '---')).join('|')}|`, ...body.map((b) => `| ${b.map(esc).join(' | ')} |`)].join('\n');
}

function log(s) {
  process.stderr.write(`bench: ${s}\n`);
}

// ---- main ----------------------------------------------------------------------------------------------------------

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const want = (name) => !o.only || o.only.has(name);
  const useGnuTime = hasGnuTime();
  if (!useGnuTime) log(`${GNU_TIME} not found (Debian: apt-get install time); peak RSS falls back to polling /proc/<pid>/status VmHWM`);
  const jq = o.skipPeers ? undefined : which('jq');
  const mlr = o.skipPeers ? undefined : which('mlr');
  if (!o.skipPeers && !jq) log('jq not found: install it for the jq rows (Debian/Ubuntu: apt-get install jq; macOS: brew install jq)');
  if (!o.skipPeers && !mlr) log('mlr not found: install it for the mlr rows (Debian/Ubuntu: apt-get install miller; macOS: brew install miller)');
  const cmds = tracectlCmdsOrBuildHint();
  const peer = (bin) => (bin ? versionOf(bin) : o.skipPeers ? 'not run (--skip-peers)' : 'not installed');
  const env = { ...machine(), jq: peer(jq), mlr: peer(mlr), tracectlCommands: [...cmds] };
  const command = `node bench/run.js ${process.argv.slice(2).join(' ')}`.trim();
  log(`${command} — ${env.cpu}, ${env.memory}, ${env.os}, Node ${env.node}; best of ${o.runs} run(s)`);
  env.busyAtStart = busyElsewhere();
  for (const b of env.busyAtStart) log(`WARNING: another process is using a core (timings will be off): ${b.text}`);

  const results = [];
  const floors = new Map(); // corpus label -> bare-loop result
  const byKey = new Map();

  const add = (r) => {
    results.push(r);
    byKey.set(`${r.row}/${r.corpus}`, r);
    const m = r.skipped ? `skipped (${r.skipped})` : `${fmt(r.wallS)} s, ${fmt(r.rssMB, 0)} MB, ${fmtInt(r.found)} / ${fmtInt(r.truth)} ${r.ok ? '✓' : '✗'}`;
    log(`  ${r.row} on ${r.corpus}: ${m}`);
  };

  async function row(rowName, label, c, argv, check, target, runs = o.runs) {
    const m = await measure(`${rowName}.${label}`, argv, runs, useGnuTime);
    const chk = await check(m, c.truth);
    if (m.code !== 0) {
      chk.ok = false;
      const last = readFileSync(m.errPath, 'utf8').trim().split('\n').pop() ?? '';
      chk.note = `exit ${m.code}: ${last.slice(0, 160)}`;
    }
    const floor = floors.get(label);
    const r = {
      row: rowName,
      corpus: label,
      command: argv.map((a) => (a === process.execPath ? 'node' : a.startsWith(ROOT + '/') ? a.slice(ROOT.length + 1) : /\s/.test(a) ? `'${a}'` : a)).join(' '),
      bytes: c.truth.bytes,
      wallS: m.wallS,
      mbps: c.truth.bytes / 1e6 / m.wallS,
      rssMB: m.rssKB / 1024,
      exit: m.code,
      ...chk,
    };
    if (rowName === 'bare') floors.set(label, r);
    else if (floor) {
      r.timeRatio = r.wallS / floor.wallS;
      r.rssRatio = r.rssMB / floor.rssMB;
    }
    if (target) {
      const v = target.value(r);
      r.target = `${target.text}${v === undefined ? '' : ` (${fmt(v)}×)`}`;
      r.pass = v !== undefined && v <= target.max && r.ok;
    }
    add(r);
    return r;
  }
  const skip = (rowName, label, why, target) => add({ row: rowName, corpus: label, skipped: why, target: target?.text });
  /** Measure a section's rows ahead, in rounds; `rows`: [rowName, argv, enabled = true]. row() then uses them. */
  const ahead = (label, rows) => rounds(rows.filter(([, , on]) => on !== false).map(([rowName, argv]) => [`${rowName}.${label}`, argv]), o.runs, useGnuTime);

  const timeTarget = (max) => ({ text: `time ≤ ${max}× bare`, max, value: (r) => r.timeRatio });
  const S = o.size;
  const A = `a ${sizeLabel(S)}`;

  // -- corpus (a): the project's own logger ----------------------------------------------------------------------
  const a = await corpus('a', S, o.seed);
  // Each section's rows (not the peers, which take minutes) run in rounds: see rounds().
  const bareA = node('bench/bare-loop.js', a.file, '--field', 'traceId');
  const ndjsonA = node('bench/ndjson-peer.js', a.file, '--field', 'traceId');
  const groupA = tracectl('group', '--json', '--color', 'never', a.file);
  const slowestA = tracectl('slowest', '--top', '10', '--color', 'never', a.file);
  const latencyA = tracectl('latency', '--color', 'never', a.file);
  const treeA = tracectl('tree', a.truth.middleTraceId, '--json', a.file);
  const criticalA = tracectl('critical-path', a.truth.middleTraceId, '--color', 'never', a.file);
  // OTLP/JSON to stdout (the row's output file), every trace rebuilt and written; no target, shown beside bare.
  const exportA = tracectl('export', '--format', 'otlp', a.file);
  await ahead(A, [
    ['bare', bareA],
    ['ndjson', ndjsonA, want('ndjson') && !o.skipPeers],
    ['group', groupA, want('group')],
    ['slowest', slowestA, want('slowest') && cmds.has('slowest')],
    ['latency', latencyA, want('latency') && cmds.has('latency')],
    ['tree', treeA, want('tree')],
    ['critical-path', criticalA, want('critical-path') && cmds.has('critical-path')],
    ['export', exportA, want('export') && cmds.has('export')],
  ]);
  await row('bare', A, a, bareA, checkCountOnStdout);
  if (want('ndjson') && !o.skipPeers) await row('ndjson', A, a, ndjsonA, checkCountOnStdout, undefined);
  if (want('group')) {
    const g = await row('group', A, a, groupA, checkGroup, timeTarget(1.0));
    // The RSS target sits on its own line so that each line carries one verdict.
    const r = { ...g, row: 'group (RSS)', target: `RSS ≤ 1.5× bare (${fmt(g.rssRatio)}×)`, pass: g.rssRatio <= 1.5 && g.ok };
    results.push(r);
  }
  if (want('slowest')) {
    if (cmds.has('slowest')) {
      await row('slowest', A, a, slowestA, async (m, truth) => {
        // The ten ids must come out in the generator's order (durations are exact µs in style a).
        const ids = [...head(m.outPath).matchAll(/\b[0-9a-f]{32}\b/g)].map((x) => x[0]);
        const found = truth.slowest10.filter((t, i) => ids[i] === t.traceId).length;
        return { found, truth: 10, unit: 'of top 10 in order', ok: found === 10 };
      }, timeTarget(1.0));
    } else skip('slowest', A, 'not in tracectl --help yet', timeTarget(1.0));
  }
  if (want('latency')) {
    if (cmds.has('latency')) await row('latency', A, a, latencyA, checkServices, timeTarget(1.0));
    else skip('latency', A, 'not in tracectl --help yet', timeTarget(1.0));
  }
  if (want('tree')) {
    await row('tree', A, a, treeA, async (m, truth) => {
      let doc;
      try {
        doc = JSON.parse(readFileSync(m.outPath, 'utf8'));
      } catch {
        return { found: undefined, truth: truth.middle.spans, unit: 'spans', ok: false, note: 'output is not JSON' };
      }
      const durOk = doc.durationUs === truth.middle.durationUs;
      return { found: doc.spans, truth: truth.middle.spans, unit: 'spans', ok: doc.spans === truth.middle.spans && durOk, note: durOk ? 'duration exact' : `duration ${doc.durationUs} ≠ ${truth.middle.durationUs}` };
    }, timeTarget(0.3));
  }
  if (want('critical-path') && cmds.has('critical-path')) {
    await row('critical-path', A, a, criticalA, checkRan, undefined);
  }
  if (want('export') && cmds.has('export')) {
    await row('export', A, a, exportA, checkExport, undefined);
    // The same traces sent over OTLP/HTTP (protobuf, gzip; the defaults) to a loopback receiver that
    // decodes and counts them. Not measured ahead in rounds: every run must deliver all spans.
    const rx = await startReceiver();
    try {
      const before = rx.counts.spans;
      await row('export --to', A, a, tracectl('export', '--to', rx.url, a.file), (m, truth) => checkSent(m, truth, rx.counts.spans - before, o.runs), undefined);
    } finally {
      await rx.close();
    }
  }
  await peers(A, a, 'a');

  // -- corpus (b): pino with OTel ids -------------------------------------------------------------------------------
  if (want('bare') || want('group') || want('jq') || want('mlr')) {
    const B = `b ${sizeLabel(S)}`;
    const b = await corpus('b', S, o.seed);
    const bareB = node('bench/bare-loop.js', b.file, '--field', 'trace_id');
    const groupB = tracectl('group', '--json', '--color', 'never', b.file);
    await ahead(B, [['bare', bareB], ['group', groupB, want('group')]]);
    await row('bare', B, b, bareB, checkCountOnStdout);
    if (want('group')) await row('group', B, b, groupB, checkGroup, timeTarget(1.0));
    await peers(B, b, 'b');

    // -- corpus (c): mixed, kubectl prefixes, ~1% plain text -------------------------------------------------------
    const C = `c ${sizeLabel(S)}`;
    const c = await corpus('c', S, o.seed);
    const bareC = node('bench/bare-loop.js', c.file, '--field', 'both', '--strip-prefix');
    const groupC = tracectl('group', '--json', '--color', 'never', c.file);
    // The target compares c with a: `group` on a runs again in these rounds, so that the two are timed in
    // the same minutes (corpus a's own section ran minutes before, and this machine drifts by 15–25%).
    const A_AGAIN = 'group on a, in these rounds';
    await ahead(C, [['bare', bareC], ['group', groupC, want('group')], [A_AGAIN, groupA, want('group')]]);
    await row('bare', C, c, bareC, checkCountOnStdout);
    if (want('group')) {
      const onA = await measure(`${A_AGAIN}.${C}`, groupA, o.runs, useGnuTime);
      await row('group', C, c, groupC, checkGroup, {
        text: `time ≤ 1.3× group on (a) in the same rounds, ${fmt(onA.wallS)} s`,
        max: 1.3,
        value: (r) => r.wallS / onA.wallS,
      });
    }
    await peers(C, c, 'c');
  }

  // -- flat memory: the same traces in a 4× larger file -----------------------------------------------------------
  // Measured between --size and 4 × --size: both above the size where `group` starts a worker on a file
  // (~96 MiB, parallel/read-parallel.ts), so the ratio shows growth with input and not the step from one
  // thread to two. A quarter of --size (one thread) is shown beside them, without a target.
  if (want('flat')) {
    const quarter = await corpus('a', Math.round(S / 4), o.seed);
    const base = await corpus('a', S, o.seed);
    const M = base.truth.traces;
    const big = await corpus('a', 4 * S, o.seed, { traces: M });
    const F0 = `a ${sizeLabel(Math.round(S / 4))}`;
    const F1 = `a ${sizeLabel(S)}`;
    const F2 = `a ${mbLabel(big.truth.bytes)}, ${fmtInt(M)} traces`;
    const runs = [quarter, base, big].map((c) => [node('bench/bare-loop.js', c.file, '--field', 'traceId'), tracectl('group', '--json', '--color', 'never', c.file)]);
    await ahead(F0, [['bare', runs[0][0]], ['group', runs[0][1]]]);
    await ahead(F1, [['bare', runs[1][0]], ['group', runs[1][1]]]);
    await ahead(F2, [['bare', runs[2][0]], ['group', runs[2][1]]]);
    await row('bare', F0, quarter, runs[0][0], checkCountOnStdout);
    await row('group', F0, quarter, runs[0][1], checkGroup, undefined);
    await row('bare', F1, base, runs[1][0], checkCountOnStdout);
    const g1 = await row('group', F1, base, runs[1][1], checkGroup, undefined);
    await row('bare', F2, big, runs[2][0], checkCountOnStdout);
    await row('group', F2, big, runs[2][1], checkGroup, {
      text: `RSS ≤ 1.25× group on ${F1} (flat)`,
      max: 1.25,
      value: (r) => r.rssMB / g1.rssMB,
    });
  }

  // -- flat memory of the whole-trace commands: 4× the traces, those that completed let go ----------------------
  // slowest, latency, errors and services on the default threads (completing on threads, D101), with a trace
  // timeout of 10 s of log time: corpus a's traces last at most 2 s, and its 250 MB span 4 minutes, so most
  // traces complete well before the end. RSS on 4 × --size within 1.25× of --size.
  if (want('flat-traces')) {
    const base = await corpus('a', S, o.seed);
    const big = await corpus('a', 4 * S, o.seed);
    const F1 = `a ${sizeLabel(S)}`;
    const F4 = `a ${sizeLabel(4 * S)}`;
    // export too (#32: a multi-GB input streams out in bounded memory): it completes while reading by default.
    for (const cmd of ['slowest', 'latency', 'errors', 'services', 'export']) {
      // The default thread count; 10s: the corpora span 1–16 minutes of log time, so the default 5m would complete nothing early.
      const run = (c) => tracectl(cmd, '--trace-timeout', '10s', ...(cmd === 'export' ? [] : ['--color', 'never']), c.file);
      const small = await row(`${cmd} (completing)`, F1, base, run(base), checkRan, undefined);
      await row(`${cmd} (completing)`, F4, big, run(big), checkRan, {
        text: `RSS ≤ 1.25× ${cmd} on ${F1} (flat)`,
        max: 1.25,
        value: (r) => r.rssMB / small.rssMB,
      });
    }
  }

  // -- one trace of N spans -------------------------------------------------------------------------------------------
  if (want('onetrace')) {
    const t = await corpus('onetrace', 0, o.seed, { spans: o.onetraceSpans });
    const T = `1 trace, ${fmtInt(o.onetraceSpans)} spans`;
    const id = t.truth.middleTraceId;
    const t3 = timeTarget(3);
    const bareT = node('bench/bare-loop.js', t.file, '--field', 'traceId');
    const treeT = tracectl('tree', id, '--color', 'never', '--width', '100', t.file);
    const criticalT = tracectl('critical-path', id, '--color', 'never', t.file);
    const latencyT = tracectl('latency', '--color', 'never', t.file);
    await ahead(T, [
      ['bare', bareT],
      ['tree', treeT],
      ['critical-path', criticalT, cmds.has('critical-path')],
      ['latency', latencyT, cmds.has('latency')],
    ]);
    await row('bare', T, t, bareT, checkCountOnStdout);
    await row('tree', T, t, treeT, async (m, truth) => {
      const hm = /\b([\d,]+) spans\b/.exec(head(m.outPath, 4096));
      const found = hm ? num(hm[1]) : undefined;
      return { found, truth: truth.spans, unit: 'spans', ok: found === truth.spans };
    }, t3);
    if (cmds.has('critical-path')) await row('critical-path', T, t, criticalT, checkRan, t3);
    else skip('critical-path', T, 'not in tracectl --help yet', t3);
    if (cmds.has('latency')) await row('latency', T, t, latencyT, checkServices, t3);
    else skip('latency', T, 'not in tracectl --help yet', t3);
  }

  // The issue's targets are for 250 MB corpora and a trace of a million spans. At other sizes (--quick,
  // --size, --onetrace-spans) a run is mostly start-up and, under 96 MiB, one thread: the ratios are
  // shown, not judged, and a run fails only on a wrong answer.
  const unjudged = [];
  for (const r of results) {
    const atTarget = r.corpus.startsWith('1 trace,') ? o.onetraceSpans === TARGET_SPANS : o.size === TARGET_SIZE;
    if (r.pass === undefined || atTarget) continue;
    r.pass = undefined;
    unjudged.push(r);
  }
  // -- output ---------------------------------------------------------------------------------------------------------------
  const tbl = table(results);
  const header = `${command}\n${env.cpu}, ${env.memory} RAM, ${env.os}, Node ${env.node}, jq ${env.jq}, mlr ${env.mlr}; best of ${o.runs} run(s); wall = spawn to exit, peak RSS = ${useGnuTime ? 'GNU time %M (ru_maxrss)' : '/proc VmHWM polled every 10 ms'}`;
  process.stdout.write(`\n${header}\n\n${textTable(tbl)}\n`);
  const notes = results.filter((r) => r.note && (r.ok === false || !r.row.startsWith('group'))).map((r) => `- ${r.row} on ${r.corpus}: ${r.note}`);
  if (unjudged.length > 0) notes.push(`- targets not judged (${unjudged.length} rows): they are for 250 MB corpora and a trace of 1,000,000 spans; run without --quick, --size or --onetrace-spans to judge them`);
  // Checked again at the end: a process that started during the run slowed some rows too.
  const busy = new Map([...busyElsewhere(), ...env.busyAtStart].map((b) => [b.pid, b.text])); // by pid, as first seen
  for (const text of busy.values()) notes.push(`- WARNING: another process was using a core during this run (its timings are off): ${text}`);
  if (notes.length) process.stdout.write(`\n${notes.join('\n')}\n`);
  const md = `Command: \`${command}\`  \nMachine: ${env.cpu}, ${env.memory} RAM, ${env.os}, Node ${env.node}; jq ${env.jq}; mlr ${env.mlr}.  \nBest of ${o.runs} run(s). Wall time from spawn to exit; peak RSS from ${useGnuTime ? 'GNU time (`%M`, the kernel’s ru_maxrss)' : '/proc/<pid>/status VmHWM polled every 10 ms'}; ratios are to the bare Node loop on the same file.\n\n${mdTable(tbl)}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
  await writeFile(path.join(OUT, 'results.md'), md);
  await writeFile(path.join(OUT, 'results.json'), JSON.stringify({ command, machine: env, runs: o.runs, measuredWith: useGnuTime ? 'gnu-time' : 'proc-vmhwm', rows: results }, null, 2) + '\n');
  log(`wrote ${path.relative(ROOT, path.join(OUT, 'results.md'))} and results.json`);
  const failed = results.filter((r) => r.pass === false || (!r.skipped && r.ok === false));
  process.exitCode = failed.length > 0 ? 1 : 0;

  async function peers(label, c, style) {
    if (o.skipPeers) return;
    if (want('jq')) {
      if (jq) await row('jq', label, c, ['jq', '-n', '-R', jqProgram(style), c.file], checkCountOnStdout, undefined, Math.min(o.runs, 2));
      else skip('jq', label, 'jq not installed (apt-get install jq)');
    }
    if (want('mlr')) {
      if (!mlr) skip('mlr', label, 'mlr not installed (apt-get install miller)');
      else if (style === 'c') skip('mlr', label, 'mlr cannot read lines behind a kubectl prefix or plain text');
      else {
        const field = style === 'a' ? 'traceId' : 'trace_id';
        await row('mlr', label, c, ['mlr', '--ijsonl', '--onidx', 'count-distinct', '-f', field, 'then', 'count', c.file], checkCountOnStdout, undefined, Math.min(o.runs, 2));
      }
    }
  }
}

function tracectlCmdsOrBuildHint() {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'process.js'))) {
    log('dist/ is missing: run `npm run build` first (npm run bench does)');
    process.exit(2);
  }
  return tracectlCommands();
}

/** latency's footer says "22,400 spans in 4,204 traces"; every service must have a row. */
async function checkServices(m, truth) {
  const out = head(m.outPath);
  const names = truth.serviceSpans ? Object.keys(truth.serviceSpans) : ['web', 'api', 'auth', 'payments', 'inventory', 'db-proxy'];
  const missing = names.filter((s) => !new RegExp(`^${s}\\s`, 'm').test(out));
  const fm = /([\d,]+) spans in ([\d,]+) traces?/.exec(out);
  const spans = fm ? num(fm[1]) : undefined;
  const traces = fm ? num(fm[2]) : undefined;
  const ok = m.code === 0 && missing.length === 0 && spans === truth.spans && traces === truth.traces;
  const note = `${fmtInt(spans)} / ${fmtInt(truth.spans)} spans${missing.length ? `, missing services: ${missing.join(', ')}` : ''}`;
  return { found: traces, truth: truth.traces, unit: 'traces', ok, note };
}

/** export writes one OTLP request per trace, a line each, and says on stderr how many traces and spans. */
async function checkExport(m, truth) {
  const lines = await countLines(m.outPath);
  const said = /exported ([\d,]+) traces?, ([\d,]+) spans/.exec(readFileSync(m.errPath, 'utf8'));
  const spans = said ? num(said[2]) : undefined;
  const c = tracesCheck(lines, truth, `${fmtInt(spans)} / ${fmtInt(truth.spans)} spans`);
  c.ok = c.ok && m.code === 0 && said !== null && num(said[1]) === lines && spans === truth.spans;
  return c;
}

/** export --to: every run delivered every span (the receiver's count), and said so, none failed. */
async function checkSent(m, truth, received, runs) {
  const said = /export: ([\d,]+) spans sent to .*; ([\d,]+) rejected, ([\d,]+) failed/.exec(readFileSync(m.errPath, 'utf8'));
  const sent = said ? num(said[1]) : undefined;
  const ok = m.code === 0 && said !== null && sent === truth.spans && num(said[2]) === 0 && num(said[3]) === 0 && received === runs * truth.spans;
  return { found: received / runs, truth: truth.spans, unit: 'spans received', ok, note: `${fmtInt(received)} spans received in ${runs} run(s)` };
}

async function checkRan(m) {
  const lines = await countLines(m.outPath);
  const cm = /critical path of .*?: (\S+) in ([\d,]+) sections?/.exec(head(m.outPath, 1 << 16));
  if (cm) return { found: m.code === 0 ? 1 : 0, truth: 1, unit: 'path printed', ok: m.code === 0, note: `${cm[2]} sections, ${cm[1]}` };
  return { found: m.code === 0 && lines > 0 ? 1 : 0, truth: 1, unit: 'path printed', ok: m.code === 0 && lines > 0, note: `${lines} lines of output` };
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.stack ?? e}\n`);
  process.exit(2);
});

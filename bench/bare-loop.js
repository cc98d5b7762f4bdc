#!/usr/bin/env node
// The floor: the least work any "group by trace id" over a JSON-lines file can do in Node.
//
//   node bench/bare-loop.js FILE [--field traceId|trace_id|both] [--strip-prefix]
//
// Read with a stream, split lines with a carry + indexOf('\n') loop, JSON.parse every line, and group by
// the trace id read from the one field the corpus is known to use (the floor's privilege: no field
// conventions, no envelopes, no time parsing). Per trace it keeps what a one-row-per-trace summary needs
// at the least: the entry count and the first and last raw time value. --strip-prefix drops everything
// before the first '{' (kubectl --prefix / --timestamps). Prints the number of traces on stdout and the
// line counts on stderr.
import { createReadStream } from 'node:fs';
import { groupRecord } from './group-by-trace.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const fieldArg = args.includes('--field') ? args[args.indexOf('--field') + 1] : 'traceId';
const strip = args.includes('--strip-prefix');
if (!file) {
  process.stderr.write('usage: node bench/bare-loop.js FILE [--field traceId|trace_id|both] [--strip-prefix]\n');
  process.exit(2);
}

const groups = new Map();
let lines = 0;
let notJson = 0;
let noId = 0;

function take(line) {
  lines++;
  if (strip) {
    const i = line.indexOf('{');
    if (i < 0) {
      notJson++;
      return;
    }
    if (i > 0) line = line.slice(i);
  }
  let o;
  try {
    o = JSON.parse(line);
  } catch {
    notJson++;
    return;
  }
  if (!groupRecord(groups, o, fieldArg)) noId++;
}

let carry = '';
const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
for await (const chunk of stream) {
  let text = carry + chunk;
  let start = 0;
  let nl;
  while ((nl = text.indexOf('\n', start)) !== -1) {
    if (nl > start) take(text.slice(start, nl));
    start = nl + 1;
  }
  carry = text.slice(start);
  text = '';
}
if (carry.length > 0) take(carry);

process.stdout.write(`${groups.size}\n`);
process.stderr.write(`bare-loop: ${lines} lines, ${notJson} not JSON, ${noId} without a trace id; ${groups.size} traces\n`);

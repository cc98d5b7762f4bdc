#!/usr/bin/env node
// A second floor: the `ndjson` package (split2 + JSON.parse in a Transform stream, one object per line)
// grouping by trace id exactly as bench/bare-loop.js does. The difference between the two rows is the
// price of a generic object stream (one push and one callback per line) over a hand-written splitter.
//
//   node bench/ndjson-peer.js FILE [--field traceId|trace_id|both]
import { createReadStream } from 'node:fs';
import ndjson from 'ndjson';
import { groupRecord } from './group-by-trace.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const fieldArg = args.includes('--field') ? args[args.indexOf('--field') + 1] : 'traceId';
if (!file) {
  process.stderr.write('usage: node bench/ndjson-peer.js FILE [--field traceId|trace_id|both]\n');
  process.exit(2);
}

const groups = new Map();
let objects = 0;
// strict: false skips lines that are not JSON instead of failing the stream.
const source = createReadStream(file).pipe(ndjson.parse({ strict: false }));
for await (const o of source) {
  objects++;
  groupRecord(groups, o, fieldArg);
}
process.stdout.write(`${groups.size}\n`);
process.stderr.write(`ndjson-peer: ${objects} objects; ${groups.size} traces\n`);

#!/usr/bin/env node
// Hidden-class checks, run by `npm run bench` before the timed rows, against the built dist/: objects a
// thread unpacks from another thread's packed data must keep the hidden class of those this thread
// makes. A number read from a Float64Array is a heap number even when whole; stored where objects made
// here hold a small integer, it changes the field's representation, V8 deprecates the class, and every
// object made under it is migrated at its first use (~1 µs each: `group` ~2–3% on corpus a; the
// million-span `tree` ~0.45 s; bench/README.md, D50). Each check runs in a fresh process:
// a class settled by anything made before in the same isolate hides the bug. A check that fails stops
// the benchmark with exit 1.
//
//   node bench/hidden-classes.js            every check, each in a child process
//   node bench/hidden-classes.js NAME       one check, in this process
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
/* global structuredClone */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(pathToFileURL(path.join(ROOT, 'dist', p)).href);

function sameClassCheck() {
  v8.setFlagsFromString('--allow-natives-syntax');
  return new Function('a', 'b', 'return %HaveSameMap(a, b)');
}

const CHECKS = {
  /** A trace summary unpacked (group's parts from a worker) leaves the class of the summaries made here current. */
  async 'unpacked-summary'() {
    const sameClass = sameClassCheck();
    const { PackReader, PackWriter } = await dist('model/packed.js');
    const { TraceSummary } = await dist('model/trace-summary.js');
    const made = (id) => {
      const s = new TraceSummary(id);
      s.entries = 3;
      s.records = 1;
      return s;
    };
    const before = ['a', 'b', 'c', 'd', 'e'].map(made);
    const w = new PackWriter();
    before[0].pack(w);
    const unpacked = TraceSummary.unpack(new PackReader(w.finish()));
    const after = made('f');
    return [
      ['a summary made after is of the class of those before', sameClass(before[1], after)],
      ['an unpacked summary is of that class too', sameClass(after, unpacked)],
      ['the unpacked summary holds what was packed', unpacked.traceId === 'a' && unpacked.entries === 3 && unpacked.records === 1],
    ];
  },
  /** Spans replayed from a worker's packed deliveries leave the class of this thread's span records current, and share it. */
  async 'replayed-span'() {
    const sameClass = sameClassCheck();
    const { readSpanRecord } = await dist('formats/span-record.js');
    const { DeliveryPacker, replay, transferables } = await dist('ingest/packed-deliveries.js');
    const record = (line) => {
      const doc = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: 'a1a1a1a1a1a1a1a1', parentSpanId: '00f067aa0ba902b7', name: 'GET /x', serviceName: 'api', startTime: 1714557600000.5, endTime: 1714557600001.25, status: { code: 0 } };
      return readSpanRecord(doc, { source: 'spans.jsonl', line }).spans[0];
    };
    // V8 makes a literal's template object on its second run: read a few first, as a file's first chunk does.
    const before = [1, 2, 3, 4, 5].map(record);
    const packer = new DeliveryPacker();
    for (let line = 1; line <= 50; line++) packer.spans({ spans: [record(line * 1_001)], entries: [] });
    const packed = packer.take();
    const replayed = [];
    replay(structuredClone(packed, { transfer: transferables(packed) }), { entry: () => undefined, spans: (r) => replayed.push(...r.spans) });
    const after = record(8);
    return [
      ['a span record read after is of the class of those before', sameClass(before[0], after)],
      ['a replayed span is of that class too', sameClass(after, replayed.at(-1))],
      ['the replayed spans keep their lines', replayed.map((s) => s.whereLine).join() === Array.from({ length: 50 }, (_, i) => (i + 1) * 1_001).join()],
    ];
  },
};

const only = process.argv[2];
if (only !== undefined) {
  const check = CHECKS[only];
  if (!check) {
    process.stderr.write(`hidden-classes: no check '${only}' (${Object.keys(CHECKS).join(', ')})\n`);
    process.exit(2);
  }
  const failed = (await check()).filter(([, ok]) => !ok);
  for (const [what] of failed) process.stderr.write(`hidden-classes: ${only}: FAILED: ${what}\n`);
  process.exit(failed.length > 0 ? 1 : 0);
} else {
  let failures = 0;
  for (const name of Object.keys(CHECKS)) {
    try {
      execFileSync(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: ['ignore', 'inherit', 'inherit'] });
      process.stdout.write(`hidden classes: ${name}: kept\n`);
    } catch {
      failures++;
    }
  }
  if (failures > 0) {
    process.stderr.write(`hidden classes: ${failures} check(s) FAILED: a class is deprecated by objects from another thread (see above)\n`);
    process.exit(1);
  }
}

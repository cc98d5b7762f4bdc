import { describe, expect, it } from 'vitest';
import { planThreads, type InputFacts, type JobFacts, type ThreadLimits, type ThreadPlan } from '../../src/parallel/plan-threads.js';

/**
 * The thread plan as a table (src/parallel/plan-threads.ts): what is known before reading — the job, the
 * sources' sizes, the threads allowed — and the plan, written out whole. No thread is started here; the
 * threaded readers that follow these plans are held to one thread's answer in the other files of
 * test/parallel/ (slow group).
 *
 * The thresholds the rows sit on either side of: workers start after 8 MiB read here (a pipe's size
 * shows only as it comes); plain files of known size stay on one thread for group and folded analyses up
 * to 96 MiB; group's threads cut 4 MiB chunks.
 */
const MiB = 1 << 20;
const file = (bytes: number): InputFacts => ({ bytes, sizeKnown: true });
const STDIN: InputFacts = { bytes: 0, sizeKnown: false };
const gzip = (bytes: number): InputFacts => ({ bytes, sizeKnown: false });
const job = (kind: JobFacts['kind'], strict = false): JobFacts => ({ kind, strict });
const two: ThreadLimits = { threads: 2, cores: 2 };

const LEAN = { smallYoungGeneration: true, scavengeAlone: false, tightOldGeneration: false };
const LEAN_ALONE = { smallYoungGeneration: true, scavengeAlone: true, tightOldGeneration: false };
const PLAIN = { smallYoungGeneration: false, scavengeAlone: false, tightOldGeneration: false };
const PLAIN_ALONE = { smallYoungGeneration: false, scavengeAlone: true, tightOldGeneration: false };

const rows: [string, InputFacts[], JobFacts, ThreadLimits, ThreadPlan][] = [
  // One thread allowed, or --strict: read here, whatever the input.
  ['group, --threads 1, 300 MB', [file(300e6)], job('summaries'), { threads: 1, cores: 2 }, { reader: 'alone', threads: 1, heap: LEAN }],
  ['tree --strict, 2 threads, 300 MB', [file(300e6)], job('traces', true), two, { reader: 'alone', threads: 1, heap: PLAIN }],
  ['latency --strict from a pipe', [STDIN], job('analysis', true), two, { reader: 'alone', threads: 1, heap: PLAIN }],

  // group: a plain file of known size below 96 MiB stays here (a worker's start would not pay), in the 4 MiB chunks the threads would share.
  ['group, 62.5 MB file', [file(62.5e6)], job('summaries'), two, { reader: 'alone', threads: 1, chunkBytes: 4 * MiB, heap: LEAN }],
  ['group, two files of 40 MB', [file(40e6), file(40e6)], job('summaries'), two, { reader: 'alone', threads: 1, chunkBytes: 4 * MiB, heap: LEAN }],
  // Above it: workers start before reading, and one file is split into a part per thread.
  ['group, 250 MB file', [file(250e6)], job('summaries'), two, { reader: 'summaries', threads: 2, bytes: 250e6, startNow: true, handOutAfterBytes: 0, split: true, heap: LEAN_ALONE }],
  ['group, 250 MB file, 2 threads of 8 cores', [file(250e6)], job('summaries'), { threads: 2, cores: 8 }, { reader: 'summaries', threads: 2, bytes: 250e6, startNow: true, handOutAfterBytes: 0, split: true, heap: LEAN }],
  ['group, two files of 150 MB, 3 threads', [file(150e6), file(150e6)], job('summaries'), { threads: 3, cores: 2 }, { reader: 'summaries', threads: 3, bytes: 300e6, startNow: true, handOutAfterBytes: 0, split: false, heap: LEAN_ALONE }],
  // A pipe: shared once 8 MiB were read here.
  ['group from a pipe', [STDIN], job('summaries'), two, { reader: 'summaries', threads: 2, startNow: false, handOutAfterBytes: 8 * MiB, split: false, heap: LEAN_ALONE }],
  // gzip: its size on disk is a floor: past 8 MiB of it, the workers start at once; never split.
  ['group, 20 MB of gzip', [gzip(20e6)], job('summaries'), two, { reader: 'summaries', threads: 2, startNow: true, handOutAfterBytes: 0, split: false, heap: LEAN_ALONE }],
  ['group, 1 MB of gzip', [gzip(1e6)], job('summaries'), two, { reader: 'summaries', threads: 2, startNow: false, handOutAfterBytes: 8 * MiB, split: false, heap: LEAN_ALONE }],
  // Tests (TRACECTL_THREADS_AFTER_BYTES=0): a small file is split too.
  ['group, 13 MB file, threads after 0 bytes', [file(13e6)], job('summaries'), { ...two, startAfterBytes: 0 }, { reader: 'summaries', threads: 2, bytes: 13e6, startNow: true, handOutAfterBytes: 0, split: true, heap: LEAN_ALONE }],

  // Whole traces: a file read whole before the 8 MiB decision stays here.
  ['tree, 5 MB file', [file(5e6)], job('traces'), two, { reader: 'alone', threads: 1, heap: PLAIN }],
  // Past it: spans go to workers, log lines stay here (entries cost more to send back than to parse).
  ['tree, 60 MB file', [file(60e6)], job('traces'), two, { reader: 'spans', threads: 2, bytes: 60e6, startNow: true, decideAfterBytes: 8 * MiB, whenEntries: 'alone', split: false, heap: PLAIN_ALONE }],
  ['report from a pipe', [STDIN], job('traces'), two, { reader: 'spans', threads: 2, startNow: false, decideAfterBytes: 8 * MiB, whenEntries: 'alone', split: false, heap: PLAIN_ALONE }],
  ['tree, 250 MB file', [file(250e6)], job('traces'), two, { reader: 'spans', threads: 2, bytes: 250e6, startNow: true, decideAfterBytes: 8 * MiB, whenEntries: 'alone', split: false, heap: PLAIN_ALONE }],

  // Analyses whose parts merge: log lines folded on workers, only where a worker pays (as group).
  ['latency, 5 MB file', [file(5e6)], job('analysis'), two, { reader: 'alone', threads: 1, heap: PLAIN }],
  ['latency, 60 MB file: spans shared, log lines here', [file(60e6)], job('analysis'), two, { reader: 'spans', threads: 2, bytes: 60e6, startNow: true, decideAfterBytes: 8 * MiB, whenEntries: 'alone', split: false, heap: PLAIN_ALONE }],
  // One large file: decided on its first chunk and split, so that the workers' parts start early.
  ['slowest, 250 MB file', [file(250e6)], job('analysis'), two, { reader: 'spans', threads: 2, bytes: 250e6, startNow: true, decideAfterBytes: 0, whenEntries: 'folds', split: true, heap: PLAIN_ALONE }],
  ['slowest, two files of 150 MB', [file(150e6), file(150e6)], job('analysis'), two, { reader: 'spans', threads: 2, bytes: 300e6, startNow: true, decideAfterBytes: 8 * MiB, whenEntries: 'folds', split: false, heap: PLAIN_ALONE }],
  ['services from a pipe', [STDIN], job('analysis'), two, { reader: 'spans', threads: 2, startNow: false, decideAfterBytes: 8 * MiB, whenEntries: 'folds', split: false, heap: PLAIN_ALONE }],
  ['latency, a file and a pipe', [file(50e6), STDIN], job('analysis'), two, { reader: 'spans', threads: 2, startNow: true, decideAfterBytes: 8 * MiB, whenEntries: 'folds', split: false, heap: PLAIN_ALONE }],
  // Completing while reading (a --trace-timeout, or a file past the hold bound, D115): handed out in order,
  // and the old generation kept tight (D116); from a pipe traces go as they complete whatever the timeout.
  ['slowest, 600 MB file, completing', [file(600e6)], { ...job('analysis'), completes: true, lettingGo: true }, two, { reader: 'spans', threads: 2, bytes: 600e6, startNow: true, decideAfterBytes: 8 * MiB, whenEntries: 'folds', split: false, heap: { ...PLAIN_ALONE, tightOldGeneration: true } }],
  ['latency from a pipe, letting traces go', [STDIN], { ...job('analysis'), lettingGo: true }, { threads: 1, cores: 2 }, { reader: 'alone', threads: 1, heap: { ...PLAIN, tightOldGeneration: true } }],
  ['slowest, 250 MB file, split and held to the end', [file(250e6)], { ...job('analysis'), lettingGo: true }, two, { reader: 'spans', threads: 2, bytes: 250e6, startNow: true, decideAfterBytes: 0, whenEntries: 'folds', split: true, heap: PLAIN_ALONE }],
  ['latency, 13 MB file, threads after 0 bytes', [file(13e6)], job('analysis'), { ...two, startAfterBytes: 0 }, { reader: 'spans', threads: 2, bytes: 13e6, startNow: true, decideAfterBytes: 0, whenEntries: 'folds', split: true, heap: PLAIN_ALONE }],
  ['tree, 13 MB file, threads after 0 bytes', [file(13e6)], job('traces'), { ...two, startAfterBytes: 0 }, { reader: 'spans', threads: 2, bytes: 13e6, startNow: true, decideAfterBytes: 0, whenEntries: 'alone', split: false, heap: PLAIN_ALONE }],
  // No input at all (every source unreadable counts 0 bytes, size unknown): the readers find out.
  ['group, an unreadable file', [{ bytes: 0, sizeKnown: false }], job('summaries'), two, { reader: 'summaries', threads: 2, startNow: false, handOutAfterBytes: 8 * MiB, split: false, heap: LEAN_ALONE }],
];

describe('planThreads', () => {
  it.each(rows)('%s', (_name, inputs, jobFacts, limits, plan) => {
    expect(planThreads(inputs, jobFacts, limits)).toEqual(plan);
  });

  it('never plans more threads than allowed, and one thread exactly when reading alone', () => {
    for (const [, inputs, jobFacts, limits] of rows) {
      for (const threads of [1, 2, 3, 4]) {
        const plan = planThreads(inputs, jobFacts, { ...limits, threads });
        expect(plan.threads).toBeLessThanOrEqual(threads);
        expect(plan.threads === 1).toBe(plan.reader === 'alone');
        // Only one plain file of known size is ever split.
        if (plan.reader !== 'alone' && plan.split) expect(inputs.length === 1 && inputs[0]!.sizeKnown).toBe(true);
      }
    }
  });
});

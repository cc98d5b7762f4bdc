// How many threads read an input, and how they share it, decided up front from what is known before a
// byte is read: the job, the sizes of the sources, the threads allowed. A pure function of plain data
// (test/parallel/plan-threads.test.ts holds it to a table). What only reading can tell — whether the
// input is span data or log lines — is a branch the plan names (`whenEntries`), taken by the reader
// once the first bytes show it.

/** What is known of one source before it is read. */
export interface InputFacts {
  /** Its size on disk: 0 for stdin and for what cannot be stat'ed. */
  bytes: number;
  /** Whether `bytes` is all it holds: false for a pipe, gzip (its size on disk says little), or what cannot be read. */
  sizeKnown: boolean;
}

/** The job, as the plan needs it: its kind (job.ts, JobSpec) and --strict. */
export interface JobFacts {
  kind: 'summaries' | 'traces' | 'analysis';
  /** `--strict` stays on one thread, so that "the first bad line" is the first. */
  strict: boolean;
  /**
   * Traces complete while reading (an analysis with --trace-timeout): the main thread judges them in
   * input order, so chunks are handed out in that order and one file is not split into parts.
   */
  completes?: boolean;
  /**
   * Traces complete by log time where the input is read in order (an analysis with a timeout): let go
   * while reading unless one file is split (then held to the end). HeapPlan.tightOldGeneration.
   */
  lettingGo?: boolean;
}

export interface ThreadLimits {
  /** Threads allowed (--threads). */
  threads: number;
  /** The machine's cores (the default for --threads). */
  cores: number;
  /** Tests (TRACECTL_THREADS_AFTER_BYTES): share the work after this many bytes, whatever the input. */
  startAfterBytes?: number;
}

/**
 * Process-wide V8 settings for the run, applied before reading and again as each worker comes online
 * (starting a worker resets V8's flags). `smallYoungGeneration`: for a job whose live data is small and
 * whose garbage dies young (group's summaries; it slows jobs that keep every span: docs/DECISIONS.md,
 * D49). `scavengeAlone`: once workers run on every core, the parallel scavenger's tasks only take turns
 * with them; with a core free they pay (D49). `tightOldGeneration`: for a job that lets traces go while
 * reading, whose old generation is mostly garbage at each full collection: V8's dynamic growing factor
 * let the heap reach 3–4× what was live (D116).
 */
export interface HeapPlan {
  smallYoungGeneration: boolean;
  scavengeAlone: boolean;
  tightOldGeneration: boolean;
}

/** Read on this thread alone: one thread allowed, --strict, or an input too small for a worker to pay. */
export interface AlonePlan {
  reader: 'alone';
  threads: 1;
  /** The chunk size, when not the chunker's default. */
  chunkBytes?: number;
  heap: HeapPlan;
}

/**
 * group: chunks of summaries handed to workers (`summaries`), which make the rows of the traces only
 * they hold. `startNow`: workers start before reading (the input is surely large); else once
 * `handOutAfterBytes` were read here. `split`: one plain file cut into a part per thread at the first
 * chunk, each worker reading its own (read-threaded.ts, splitFile).
 */
export interface SummariesPlan {
  reader: 'summaries';
  threads: number;
  /** All the input's bytes, when every source's size is known (chunks shrink near its end: tailChunkBytes). */
  bytes?: number;
  startNow: boolean;
  handOutAfterBytes: number;
  split: boolean;
  heap: HeapPlan;
}

/**
 * Whole traces and analyses: the first `decideAfterBytes` are read here, counting spans against
 * entries. Spans the most: chunks go to workers and come back packed (`deliveries`, replayed in input
 * order). Entries the most: `whenEntries` — `folds` (an analysis whose parts merge: workers fold their
 * lines into spans and analyse the traces only they hold), or `alone` (the rest is read here: entries
 * cost more to send back than to parse). `split` as for SummariesPlan, once folding is decided.
 */
export interface SpansPlan {
  reader: 'spans';
  threads: number;
  /** As SummariesPlan's. */
  bytes?: number;
  startNow: boolean;
  decideAfterBytes: number;
  whenEntries: 'folds' | 'alone';
  split: boolean;
  heap: HeapPlan;
}

export type ThreadPlan = AlonePlan | SummariesPlan | SpansPlan;

/** Workers start only once this much input has been read here: below it, starting them costs more than it saves. */
export const START_AFTER_BYTES = 8 << 20;
/**
 * Plain files whose size is known, for `group` and folded analyses: one thread up to this many bytes.
 * A worker's start, its cold code and the merge at the end cost ~0.15 s, which the second core earns back
 * only past ~100 MB (docs/DECISIONS.md, D40). A pipe's size shows only as it is read, so a pipe is
 * shared after START_AFTER_BYTES.
 */
export const FILES_AFTER_BYTES = 96 << 20;
/**
 * The size of the chunks a source is cut into when threads share log lines: fewer traces straddle two
 * threads, so there is less to send back and merge (250 MB: 2.3–2.4 s with 4 MiB against 2.5–2.6 s with 1 MiB).
 */
export const THREADED_CHUNK_BYTES = 4 << 20;
/** Otherwise, and for span data handed out chunk by chunk (its deliveries come back sooner): the chunker's default. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * Near the end of an input of known size, chunks shrink to what is left / TAIL_CHUNKS (not below
 * MIN_TAIL_CHUNK_BYTES): when this thread reads its last chunk a worker may still hold MAX_IN_FLIGHT
 * others, which at 4 MiB each this thread waits for with nothing to do.
 */
const TAIL_CHUNKS = 8;
const MIN_TAIL_CHUNK_BYTES = 256 << 10;

/** The chunk size for `base`-sized chunks with `remaining` bytes of input left (NaN: unknown). */
export function tailChunkBytes(base: number, remaining: number): number {
  if (!(remaining < base * TAIL_CHUNKS)) return base;
  return Math.max(MIN_TAIL_CHUNK_BYTES, Math.min(base, Math.floor(remaining / TAIL_CHUNKS)));
}

/** The plan for reading `inputs` for `job` within `limits`. */
export function planThreads(inputs: readonly InputFacts[], job: JobFacts, limits: ThreadLimits): ThreadPlan {
  const bytes = inputs.reduce((sum, i) => sum + i.bytes, 0);
  const sizeKnown = inputs.every((i) => i.sizeKnown);
  const oneFile = sizeKnown && inputs.length === 1;
  const after = limits.startAfterBytes;
  const smallYoungGeneration = job.kind === 'summaries';
  const lettingGo = job.lettingGo === true;
  const alone = (chunkBytes?: number): AlonePlan => ({ reader: 'alone', threads: 1, ...(chunkBytes !== undefined ? { chunkBytes } : {}), heap: { smallYoungGeneration, scavengeAlone: false, tightOldGeneration: lettingGo } });
  if (limits.threads <= 1 || job.strict) return alone();
  const threads = limits.threads;
  // Every core runs a thread of ours only once the workers run; the setting is applied only then.
  const heap: HeapPlan = { smallYoungGeneration, scavengeAlone: threads >= limits.cores, tightOldGeneration: false };
  const known = sizeKnown ? { bytes } : {};
  if (job.kind === 'summaries') {
    const handOutAfterBytes = after ?? (sizeKnown ? FILES_AFTER_BYTES : START_AFTER_BYTES);
    const startNow = bytes > handOutAfterBytes;
    // Files surely too small: no worker ever starts. The chunks stay those the threads would share.
    if (!startNow && sizeKnown) return alone(THREADED_CHUNK_BYTES);
    return { reader: 'summaries', threads, ...known, startNow, handOutAfterBytes: startNow ? 0 : handOutAfterBytes, split: startNow && oneFile, heap };
  }
  const decideAfterBytes = after ?? START_AFTER_BYTES;
  // Folding on threads: files of a known size below group's threshold stay on one thread (a worker's
  // start costs the same as for group).
  const folds = job.kind === 'analysis' && (after !== undefined || !sizeKnown || bytes > FILES_AFTER_BYTES);
  // Files read to their end before the decision would be: every chunk is read here.
  if (!folds && sizeKnown && bytes <= decideAfterBytes) return alone();
  const split = folds && oneFile && job.completes !== true;
  // One file to split is decided on its first chunk, so that the workers' parts start early.
  return { reader: 'spans', threads, ...known, startNow: bytes > decideAfterBytes, decideAfterBytes: split ? 0 : decideAfterBytes, whenEntries: folds ? 'folds' : 'alone', split, heap: { ...heap, tightOldGeneration: lettingGo && !split } };
}

import type { ThreadPlan } from './plan-threads.js';

/**
 * What reading on threads did, counted: chunks cut by a reader that shares the work (`cut`), handed to a
 * worker (`handedOut`), of those moved without a copy (`moved`) and whose memory came back to be read
 * into again (`back`); parts of a file workers read themselves (`ranges`) and pieces of the main
 * thread's part they took over (`taken`, steal-range.ts); traces held in parts by two threads
 * (`foldsShared`, `groupsShared`) and traces finished on workers (`foldsAnalysed`, `groupRows`); traces
 * that completed while reading, analysed on the worker that held them (`completedThere`) or handed back
 * from workers to be analysed whole here (`completedBack`, complete-on-threads.ts).
 */
export type ThreadEvent = 'cut' | 'handedOut' | 'moved' | 'back' | 'ranges' | 'taken' | 'foldsShared' | 'foldsAnalysed' | 'groupsShared' | 'groupRows' | 'completedThere' | 'completedBack';

/**
 * Passed in by whoever wants to watch a read (every method optional): tests, that a split took place
 * and how; the process, to apply the plan's heap settings (plan-threads.ts, HeapPlan), again as each
 * worker comes online, since starting a worker resets V8's flags. Reading is the same without one.
 */
export interface ThreadObserver {
  /** The plan, before the first byte is read. */
  planned?(plan: ThreadPlan): void;
  /** A worker thread is running. */
  workerOnline?(plan: ThreadPlan): void;
  count?(event: ThreadEvent, n: number): void;
  /**
   * Workers are starting: `held` gives the bytes their heaps hold, as each last said after a chunk (0 once
   * it has ended). What they hold ends on the main thread (merged parts, rows, analyses), so the
   * process's heap watch counts it against the main thread's heap.
   */
  workerHeaps?(held: () => number): void;
}

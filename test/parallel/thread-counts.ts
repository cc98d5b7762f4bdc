import type { ThreadEvent, ThreadObserver } from '../../src/parallel/observer.js';

/**
 * What reading on threads did in this test file's runs of the CLI, counted by the observer runCli passes
 * in (src/parallel/observer.ts): chunks handed to workers (`count`), moved without a copy, come back,
 * cut in all; parts of files workers read themselves (`ranges`) and pieces of the main thread's part
 * they took over (`taken`).
 */
export const workerChunks = { count: 0, moved: 0, back: 0, cut: 0, ranges: 0, taken: 0 };
/**
 * Folding on threads: traces held in parts by two threads, and traces analysed by workers; traces that
 * completed while reading, analysed on the worker holding them, or handed back from workers.
 */
export const workerFolds = { shared: 0, analysed: 0, completedThere: 0, completedBack: 0 };
/** group's rows on threads: traces held in parts by two threads, and traces whose rows workers made. */
export const workerGroups = { shared: 0, rows: 0 };

const counters: Record<ThreadEvent, () => { object: Record<string, number>; key: string }> = {
  cut: () => ({ object: workerChunks, key: 'cut' }),
  handedOut: () => ({ object: workerChunks, key: 'count' }),
  moved: () => ({ object: workerChunks, key: 'moved' }),
  back: () => ({ object: workerChunks, key: 'back' }),
  ranges: () => ({ object: workerChunks, key: 'ranges' }),
  taken: () => ({ object: workerChunks, key: 'taken' }),
  foldsShared: () => ({ object: workerFolds, key: 'shared' }),
  foldsAnalysed: () => ({ object: workerFolds, key: 'analysed' }),
  completedThere: () => ({ object: workerFolds, key: 'completedThere' }),
  completedBack: () => ({ object: workerFolds, key: 'completedBack' }),
  groupsShared: () => ({ object: workerGroups, key: 'shared' }),
  groupRows: () => ({ object: workerGroups, key: 'rows' }),
};

/** An observer that counts into the objects above, and passes the plan's other news on to `also`. */
export function countingObserver(also?: ThreadObserver): ThreadObserver {
  return {
    planned: (plan) => also?.planned?.(plan),
    workerOnline: (plan) => also?.workerOnline?.(plan),
    count(event, n) {
      const { object, key } = counters[event]();
      object[key]! += n;
      also?.count?.(event, n);
    },
  };
}

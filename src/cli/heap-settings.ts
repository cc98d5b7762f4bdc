import type { ThreadObserver } from '../parallel/observer.js';

/** Process-wide V8 settings a read's plan may ask for (parallel/plan-threads.ts, HeapPlan). */
export interface HeapKnobs {
  /** Keep the young generation at its smallest for the rest of the run. */
  smallYoungGeneration(): void;
  /** Collect the young generation on the allocating thread alone, without the parallel scavenger's tasks. */
  scavengeAlone(): void;
  /** Grow the old generation by a fixed, small factor at each full collection. */
  tightOldGeneration(): void;
}

/**
 * Applies a read's heap plan: the small young generation before reading, and both settings again as
 * each worker comes online (starting a worker resets the process's V8 flags). The process passes it in
 * with V8's setters (process.ts); tests, which run in-process, pass none and leave the runner's heap alone.
 */
export function heapObserver(knobs: Partial<HeapKnobs>): ThreadObserver & { workersHold(): number } {
  const reads: (() => number)[] = [];
  return {
    /** The bytes the heaps of every read's workers hold (0 for workers that have ended). */
    workersHold: () => reads.reduce((sum, held) => sum + held(), 0),
    workerHeaps(held) {
      reads.push(held);
    },
    planned(plan) {
      if (plan.heap.smallYoungGeneration) knobs.smallYoungGeneration?.();
      if (plan.heap.tightOldGeneration) knobs.tightOldGeneration?.();
    },
    workerOnline(plan) {
      if (plan.heap.smallYoungGeneration) knobs.smallYoungGeneration?.();
      if (plan.heap.scavengeAlone) knobs.scavengeAlone?.();
      if (plan.heap.tightOldGeneration) knobs.tightOldGeneration?.();
    },
  };
}

// Exact nearest-rank percentiles. We keep every value (no sketches): a breakdown of a few million spans
// is a few tens of MB of doubles, and exact numbers are what an incident review wants to quote.
//
// Definition (nearest rank): for n sorted values v[1] <= ... <= v[n], the q-th percentile is v[r] with
//   r = ceil(q / 100 * n), clamped to 1..n.
// So p0 is the minimum (r would be 0), p100 the maximum, and every percentile is a value that was actually
// observed (no interpolation). With n = 2, p50 is the smaller value and p51..p100 the larger.

/** The quantiles every breakdown reports. */
export const STANDARD_QUANTILES = [50, 90, 95, 99] as const;

/** Sort a copy once (Float64Array sorts numerically and much faster than number[] with a comparator). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values);
  out.sort();
  return out;
}

/**
 * 1-based nearest rank for quantile q of n values. The product is formed as q * n / 100 rather than
 * q / 100 * n, and a tiny epsilon is taken off, because e.g. 0.95 * 20 in binary floating point lands a hair
 * above 19 and ceil would pick rank 20.
 */
export function nearestRank(q: number, n: number): number {
  const r = Math.ceil((q * n) / 100 - 1e-9);
  return Math.min(n, Math.max(1, r));
}

/** The q-th percentile of already sorted values; NaN when there are none or q is outside 0..100. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || !(q >= 0 && q <= 100)) return NaN;
  return sorted[nearestRank(q, n) - 1] ?? NaN;
}

/** Several percentiles of unsorted values, sorting once. Order of the result follows `qs`. */
export function percentiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = sortedCopy(values);
  return qs.map((q) => percentileOfSorted(sorted, q));
}

export interface Distribution {
  count: number;
  min: number;
  max: number;
  sum: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/** count, min, max, sum and the standard percentiles. All numbers are NaN (sum 0) for no values. */
export function distribution(values: ArrayLike<number>): Distribution {
  return distributionOfParts([values]);
}

/**
 * distribution() of the values of several arrays together (a thread's and those other threads handed
 * over), the numbers a sort of them all gives (NaN last, -0 before +0), found by selection instead: the
 * ranks the report needs, each in linear expected time, not a sort of every value. latency's end on
 * corpus a sorted ~150,000 durations a thread (~20–30 ms each). `sum` adds the values in the parts'
 * order.
 */
export function distributionOfParts(parts: readonly ArrayLike<number>[]): Distribution {
  let n = 0;
  for (const p of parts) n += p.length;
  // The numbers, NaN left out (a sort puts NaN last), with what tells -0 from +0 afterwards: selection
  // compares with <, to which they are equal, and a sort puts every -0 before every +0.
  const a = new Float64Array(n);
  let m = 0;
  let sum = 0;
  let below = 0; // values < 0
  let negZeros = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      const x = p[i]!;
      sum += x;
      if (x !== x) continue;
      a[m++] = x;
      if (x < min) min = x;
      if (x > max) max = x;
      if (x < 0) below++;
      else if (x === 0 && 1 / x < 0) negZeros++;
    }
  }
  /** The value of 1-based rank r among the numbers, a zero given the sign the sort gives it. */
  const signed = (x: number, r: number): number => (x !== 0 ? x : r - 1 - below < negZeros ? -0 : 0);
  const ranks = STANDARD_QUANTILES.map((q) => nearestRank(q, n));
  let lo = 0; // selected in rising order, each in what is left above the one before
  for (const r of ranks) {
    if (r > m) break;
    selectPosition(a, lo, m, r - 1);
    lo = r - 1;
  }
  const at = (r: number): number => (n === 0 || r > m ? NaN : signed(a[r - 1]!, r));
  return {
    count: n,
    min: m > 0 ? signed(min, 1) : NaN,
    max: m === n && m > 0 ? signed(max, m) : NaN,
    sum,
    p50: at(ranks[0]!),
    p90: at(ranks[1]!),
    p95: at(ranks[2]!),
    p99: at(ranks[3]!),
  };
}

/**
 * Rearranges a[lo, hi) so that a[k] holds what a sort would put there, smaller values before it and
 * larger ones after (numbers only, zeros of either sign alike). Quickselect with a random pivot and a
 * three-way partition: linear expected time whatever the input (durations come from untrusted logs),
 * and runs of equal values, common among durations, end a round at once.
 */
function selectPosition(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi - lo > 1) {
    const pivot = a[lo + Math.floor(Math.random() * (hi - lo))]!;
    let lt = lo; // [lo, lt) before the pivot, [lt, i) equal to it, [gt, hi) after it
    let i = lo;
    let gt = hi;
    while (i < gt) {
      const x = a[i]!;
      if (x < pivot) {
        a[i++] = a[lt]!;
        a[lt++] = x;
      } else if (x > pivot) {
        a[i] = a[--gt]!;
        a[gt] = x;
      } else i++;
    }
    if (k < lt) hi = lt;
    else if (k >= gt) lo = gt;
    else return;
  }
}

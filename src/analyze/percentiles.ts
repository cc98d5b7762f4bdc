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
 * Arrays each sorted as sortedCopy sorts (ascending, NaN last), as one such array: what sortedCopy of
 * all their values together gives, by merging.
 */
export function mergeSorted(parts: readonly Float64Array[]): Float64Array {
  const nonEmpty = parts.filter((p) => p.length > 0);
  if (nonEmpty.length === 0) return new Float64Array(0);
  let merged = nonEmpty[0]!;
  for (let k = 1; k < nonEmpty.length; k++) merged = mergeTwo(merged, nonEmpty[k]!);
  return merged;
}

/** Does x come before (or with) y in a Float64Array's sort: NaN last, -0 before +0, a tie taken first. */
function sortsFirst(x: number, y: number): boolean {
  if (y !== y) return true;
  if (x !== x) return false;
  if (x !== y) return x < y;
  return !(x === 0 && 1 / x > 0 && 1 / y < 0);
}

function mergeTwo(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (sortsFirst(x, y)) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
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
  return distributionOfSorted(sortedCopy(values));
}

/** distribution() of values already sorted as sortedCopy sorts them. */
export function distributionOfSorted(sorted: Float64Array): Distribution {
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return {
    count: n,
    min: n > 0 ? sorted[0]! : NaN,
    max: n > 0 ? sorted[n - 1]! : NaN,
    sum,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
  };
}

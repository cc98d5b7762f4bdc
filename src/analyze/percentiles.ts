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
  const found = valuesAtRanks(a, m, ranks);
  const at = (r: number): number => (n === 0 || r > m ? NaN : signed(found[ranks.indexOf(r)]!, r));
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

/** Which of a double's two 32-bit halves holds its sign and exponent, as an Int32Array over it sees them. */
const HIGH_WORD = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f ? 1 : 0;
const BUCKET_BITS = 16;
/** Values per bucket, for valuesAtRanks (scratch: only the buckets between the lowest and highest used are ever non-zero, and set back to zero). */
const bucketCounts = new Int32Array(1 << BUCKET_BITS);

/**
 * The bucket of a double by its high 32 bits: its top 16 bits made to rise as the numbers do (sign
 * and exponent, then 4 bits of mantissa; a negative number's bits all flipped), so every value of a
 * bucket lies between those of the buckets on either side. -0 falls just before +0.
 */
function bucketOf(high: number): number {
  return (high < 0 ? ~high : high | 0x80000000) >>> (32 - BUCKET_BITS);
}

/**
 * The values a sort of a[0, m) (numbers, no NaN) puts at the 1-based ranks (rising, each ≤ m, or
 * above m for none), a zero's sign aside. A count of the values per bucket finds each rank's bucket;
 * the values of those few buckets are then gathered and selected among (selectPosition). Durations
 * spread over many buckets, so what is selected among is a small part of them: six groups of 46,000
 * durations take ~5 ms warm against ~16 ms for selecting among all of them. The one cold call at the
 * end of `latency` on corpus a gained little (24–27 ms against 25–41; docs/DECISIONS.md, session 17).
 * Values that share one bucket are selected among as before, in linear expected time.
 */
function valuesAtRanks(a: Float64Array, m: number, ranks: readonly number[]): number[] {
  const out: number[] = [];
  if (m === 0) return out;
  const high = new Int32Array(a.buffer, a.byteOffset, m * 2);
  const counts = bucketCounts;
  let lowest = counts.length;
  let highest = -1;
  for (let i = 0; i < m; i++) {
    const b = bucketOf(high[2 * i + HIGH_WORD]!);
    counts[b]!++;
    if (b < lowest) lowest = b;
    if (b > highest) highest = b;
  }
  // Each rank's bucket, and how many values lie in the buckets below it.
  const buckets: number[] = [];
  const below: number[] = [];
  let b = lowest;
  let before = 0;
  for (const r of ranks) {
    if (r > m) break;
    while (before + counts[b]! < r) before += counts[b++]!;
    buckets.push(b);
    below.push(before);
  }
  // The values of each bucket a rank falls in (one gather for all: at most four buckets).
  const gathered = buckets.map((x, j) => (j > 0 && buckets[j - 1] === x ? undefined : new Float64Array(counts[x]!)));
  const filled = buckets.map(() => 0);
  for (let i = 0; i < m; i++) {
    const x = bucketOf(high[2 * i + HIGH_WORD]!);
    for (let j = 0; j < buckets.length; j++) {
      if (buckets[j] === x) {
        if (gathered[j] !== undefined) gathered[j]![filled[j]!++] = a[i]!;
        break;
      }
    }
  }
  counts.fill(0, lowest, highest + 1);
  let values: Float64Array | undefined;
  let lo = 0; // within one bucket, selected in rising order, each in what is left above the one before
  for (let j = 0; j < buckets.length; j++) {
    if (gathered[j] !== undefined) {
      values = gathered[j]!;
      lo = 0;
    }
    const k = ranks[j]! - 1 - below[j]!;
    selectPosition(values!, lo, values!.length, k);
    lo = k;
    out.push(values![k]!);
  }
  return out;
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

import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';

/** Up to this k, rows use insertion into a sorted buffer of k; beyond it, a full index sort. */
const INSERTION_MAX_K = 64;

/**
 * The `k` largest entries along the last axis, largest first; ties go to the lower index, and
 * NaN ranks above every number (as in NumPy's sort order). Small k scans each row once and keeps
 * a sorted buffer of the best k so far, so a row costs about O(n) on typical data.
 *
 * @example
 * const [values, indices] = topK(x, 2, { shape: [3, 2], dtype: 'float32' }, { shape: [3, 2], dtype: 'int32' });
 */
export function topK(x: TensorInfo, k: number, values: OutputInfo, indices: OutputInfo): [HostArray, HostArray] {
  const xs = valuesOf(x);
  const vs = allocate(values);
  const is = allocate(indices);
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!;
  if (k === 0 || n === 0) return [vs, is];
  const rows = xs.length / n;
  if (k <= INSERTION_MAX_K) selectByInsertion(xs, n, rows, k, vs, is);
  else selectBySort(xs, n, rows, k, vs, is);
  return [vs, is];
}

/** `a` ranks strictly above `b`: larger, or NaN against a number. */
function above(a: number, b: number): boolean {
  return a > b || (a !== a && b === b);
}

function selectByInsertion(xs: HostArray, n: number, rows: number, k: number, vs: HostArray, is: HostArray): void {
  const bestV = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    let count = 0;
    for (let j = 0; j < n; j++) {
      const v = xs[base + j]!;
      // Scanning in index order, an equal value never displaces an earlier one.
      if (count === k && !above(v, bestV[k - 1]!)) continue;
      let p = count < k ? count++ : k - 1;
      while (p > 0 && above(v, bestV[p - 1]!)) {
        bestV[p] = bestV[p - 1]!;
        bestI[p] = bestI[p - 1]!;
        p--;
      }
      bestV[p] = v;
      bestI[p] = j;
    }
    const o = r * k;
    for (let t = 0; t < k; t++) {
      vs[o + t] = bestV[t]!;
      is[o + t] = bestI[t]!;
    }
  }
}

function selectBySort(xs: HostArray, n: number, rows: number, k: number, vs: HostArray, is: HostArray): void {
  const order = new Int32Array(n);
  let base = 0;
  const byRank = (a: number, b: number): number => {
    const x = xs[base + a]!;
    const y = xs[base + b]!;
    return above(x, y) ? -1 : above(y, x) ? 1 : a - b;
  };
  for (let r = 0; r < rows; r++) {
    base = r * n;
    for (let j = 0; j < n; j++) order[j] = j;
    order.sort(byRank);
    const o = r * k;
    for (let t = 0; t < k; t++) {
      vs[o + t] = xs[base + order[t]!]!;
      is[o + t] = order[t]!;
    }
  }
}

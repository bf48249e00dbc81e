import type { HostArray, OutputInfo, ReduceOp, Shape, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';

/** How values combine; `mean` is `sum` then a division, `prodInt` multiplies with int32 wrap. */
type Combiner = 'sum' | 'prod' | 'prodInt' | 'max' | 'min' | 'any' | 'all';

/**
 * Reduces `x` over the sorted, unique `axes`. One pass over the input in memory order, no
 * transpose: the shape is first collapsed into alternating kept/reduced blocks, then each
 * contiguous innermost row is either folded to one value (inner block reduced) or folded
 * elementwise into a row of the output (inner block kept — e.g. a bias gradient summing the
 * rows of a 2-D layout). Accumulates in double precision.
 *
 * @example
 * const ys = reduce('sum', x, [1], { shape: [x.shape[0]], dtype: 'float32' });
 */
export function reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], out: OutputInfo): HostArray {
  const xs = valuesOf(x);
  const ys = allocate(out);
  if (op === 'argMax' || op === 'argMin') {
    if (axes.length !== 1) throw new Error(`cpu engine: ${op} reduces exactly one axis, got [${axes.join(', ')}]`);
    argReduce(op === 'argMax', xs, x.shape, axes[0]!, ys);
    return ys;
  }
  const outSize = ys.length;
  if (outSize === 0) return ys;
  const combiner: Combiner =
    op === 'sum' || op === 'mean' ? 'sum' : op === 'prod' ? (out.dtype === 'int32' ? 'prodInt' : 'prod') : op;
  const acc = new Float64Array(outSize);
  const identity = identityOf(combiner);
  if (identity !== 0) acc.fill(identity);

  if (xs.length > 0) accumulate(combiner, xs, x.shape, axes, acc);

  if (op === 'mean') {
    // Zero elements per output gives 0 / 0 = NaN, the mean of nothing.
    const count = xs.length / outSize;
    for (let i = 0; i < outSize; i++) acc[i]! /= count;
  }
  // Double → float32 rounds; → int32 wraps modulo 2^32 like int32 arithmetic; any/all are 0/1.
  ys.set(acc);
  return ys;
}

function identityOf(c: Combiner): number {
  switch (c) {
    case 'prod':
    case 'prodInt':
    case 'all':
      return 1;
    case 'max':
      return -Infinity;
    case 'min':
      return Infinity;
    default:
      return 0;
  }
}

/** Folds every element of `xs` into `acc`, which has the kept dims' layout. */
function accumulate(c: Combiner, xs: HostArray, shape: Shape, axes: readonly number[], acc: Float64Array): void {
  // Collapse into blocks: size-1 dims vanish, neighbours with the same kept/reduced flag merge.
  const sizes: number[] = [];
  const reducedFlags: boolean[] = [];
  let axisIndex = 0;
  for (let d = 0; d < shape.length; d++) {
    const isReduced = axes[axisIndex] === d;
    if (isReduced) axisIndex++;
    const len = shape[d]!;
    if (len === 1) continue;
    const last = sizes.length - 1;
    if (last >= 0 && reducedFlags[last] === isReduced) sizes[last]! *= len;
    else {
      sizes.push(len);
      reducedFlags.push(isReduced);
    }
  }
  if (sizes.length === 0) {
    sizes.push(1);
    reducedFlags.push(false);
  }

  const blocks = sizes.length;
  const inner = sizes[blocks - 1]!;
  const innerReduced = reducedFlags[blocks - 1]!;
  // Output stride of each outer block: 0 for reduced blocks, row-major over kept ones.
  const outStrides = new Array<number>(blocks).fill(0);
  let step = innerReduced ? 1 : inner;
  for (let g = blocks - 2; g >= 0; g--) {
    if (!reducedFlags[g]) {
      outStrides[g] = step;
      step *= sizes[g]!;
    }
  }

  const counter = new Array<number>(blocks).fill(0);
  const total = xs.length;
  let o = 0;
  for (let xi = 0; xi < total; xi += inner) {
    if (innerReduced) acc[o] = combine(c, acc[o]!, foldRow(c, xs, xi, inner));
    else foldInto(c, acc, o, xs, xi, inner);
    // Step to the next row over the outer blocks (row-major), tracking the output offset.
    for (let g = blocks - 2; g >= 0; g--) {
      if (++counter[g]! < sizes[g]!) {
        o += outStrides[g]!;
        break;
      }
      counter[g] = 0;
      o -= outStrides[g]! * (sizes[g]! - 1);
    }
  }
}

function combine(c: Combiner, a: number, v: number): number {
  switch (c) {
    case 'sum':
      return a + v;
    case 'prod':
      return a * v;
    case 'prodInt':
      return Math.imul(a, v);
    case 'max':
      return v > a || v !== v ? v : a;
    case 'min':
      return v < a || v !== v ? v : a;
    case 'any':
      return a !== 0 || v !== 0 ? 1 : 0;
    case 'all':
      return a !== 0 && v !== 0 ? 1 : 0;
  }
}

/** Folds the contiguous run `xs[start .. start + n)` to one value. */
function foldRow(c: Combiner, xs: HostArray, start: number, n: number): number {
  const end = start + n;
  switch (c) {
    case 'sum': {
      // Four independent partial sums keep the FP adder pipeline busy.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = start;
      for (; i + 3 < end; i += 4) {
        s0 += xs[i]!;
        s1 += xs[i + 1]!;
        s2 += xs[i + 2]!;
        s3 += xs[i + 3]!;
      }
      for (; i < end; i++) s0 += xs[i]!;
      return s0 + s1 + (s2 + s3);
    }
    case 'prod': {
      let p = 1;
      for (let i = start; i < end; i++) p *= xs[i]!;
      return p;
    }
    case 'prodInt': {
      let p = 1;
      for (let i = start; i < end; i++) p = Math.imul(p, xs[i]!);
      return p;
    }
    case 'max': {
      let m = -Infinity;
      for (let i = start; i < end; i++) {
        const v = xs[i]!;
        if (v > m || v !== v) m = v;
      }
      return m;
    }
    case 'min': {
      let m = Infinity;
      for (let i = start; i < end; i++) {
        const v = xs[i]!;
        if (v < m || v !== v) m = v;
      }
      return m;
    }
    case 'any':
      for (let i = start; i < end; i++) if (xs[i] !== 0) return 1;
      return 0;
    case 'all':
      for (let i = start; i < end; i++) if (xs[i] === 0) return 0;
      return 1;
  }
}

/** Folds the contiguous run `xs[start .. start + n)` elementwise into `acc[o .. o + n)`. */
function foldInto(c: Combiner, acc: Float64Array, o: number, xs: HostArray, start: number, n: number): void {
  const d = o - start;
  const end = start + n;
  switch (c) {
    case 'sum':
      for (let i = start; i < end; i++) acc[i + d]! += xs[i]!;
      return;
    case 'prod':
      for (let i = start; i < end; i++) acc[i + d]! *= xs[i]!;
      return;
    case 'prodInt':
      for (let i = start; i < end; i++) acc[i + d] = Math.imul(acc[i + d]!, xs[i]!);
      return;
    case 'max':
      for (let i = start; i < end; i++) {
        const v = xs[i]!;
        if (v > acc[i + d]! || v !== v) acc[i + d] = v;
      }
      return;
    case 'min':
      for (let i = start; i < end; i++) {
        const v = xs[i]!;
        if (v < acc[i + d]! || v !== v) acc[i + d] = v;
      }
      return;
    case 'any':
      for (let i = start; i < end; i++) if (xs[i] !== 0) acc[i + d] = 1;
      return;
    case 'all':
      for (let i = start; i < end; i++) if (xs[i] === 0) acc[i + d] = 0;
      return;
  }
}

/**
 * Index of the largest (smallest) entry along `axis`; the first one on ties. NaN beats every
 * number in both directions, as NumPy's argmax/argmin return the first NaN.
 */
function argReduce(isMax: boolean, xs: HostArray, shape: Shape, axis: number, ys: HostArray): void {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  const len = shape[axis]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  if (len === 0 || ys.length === 0) return;

  if (inner === 1) {
    for (let r = 0; r < outer; r++) {
      const base = r * len;
      let best = xs[base]!;
      let at = 0;
      if (best === best) {
        for (let k = 1; k < len; k++) {
          const v = xs[base + k]!;
          if (isMax ? v > best : v < best) {
            best = v;
            at = k;
          } else if (v !== v) {
            at = k;
            break;
          }
        }
      }
      ys[r] = at;
    }
    return;
  }

  // Inner dim kept: sweep slices of the reduced axis, updating a row of running bests.
  const best = new Float64Array(inner);
  for (let r = 0; r < outer; r++) {
    const base = r * len * inner;
    const yBase = r * inner;
    for (let j = 0; j < inner; j++) best[j] = xs[base + j]!;
    for (let k = 1; k < len; k++) {
      const row = base + k * inner;
      for (let j = 0; j < inner; j++) {
        const v = xs[row + j]!;
        const b = best[j]!;
        if ((isMax ? v > b : v < b) || (v !== v && b === b)) {
          best[j] = v;
          ys[yBase + j] = k;
        }
      }
    }
  }
}

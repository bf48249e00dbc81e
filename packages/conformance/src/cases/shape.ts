import { expect } from 'chai';
import {
  add, concat, expandDims, grad, mul, pad, reverse, slice, split, squeeze, stack, stridedSlice, sum, tensor,
  tidy, transpose, unstack, type Tensor,
} from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { build, ravel, sizeOfShape } from './host-index.js';
import { expectOpError } from './case-helpers.js';

/** A case that must also leave no tensor or buffer behind. */
function leakFreeCase(ctx: SuiteContext, id: string, fn: () => Promise<void> | void): void {
  conformanceCase(ctx, id, () => expectNoLeaks(fn));
}

/** Disposes everything given (cases create many small tensors). */
function free(...ts: (Tensor | Tensor[])[]): void {
  for (const t of ts.flat()) t.dispose();
}

/** 0, 1, 2, ... as a float32 tensor of `shape`, so every element names its own flat position. */
function iota(shape: readonly number[], dtype: 'float32' | 'int32' = 'float32'): Tensor {
  return tensor(Array.from({ length: sizeOfShape(shape) }, (_, i) => i), shape, dtype);
}

/** Reference transpose: output element `idx` is input element with `in[perm[j]] = idx[j]`. */
function refTranspose(values: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  return build(outShape, (idx) => {
    const src = new Array<number>(shape.length);
    perm.forEach((p, j) => (src[p] = idx[j]!));
    return values[ravel(src, shape)]!;
  });
}

/**
 * The indices a Python slice `[start:stop:step]` selects from a sequence of length `len`
 * (CPython's `PySlice_AdjustIndices` followed by the loop it drives); null is an omitted bound.
 */
function pySlice(len: number, start: number | null, stop: number | null, step: number): number[] {
  let lo: number;
  let hi: number;
  if (start === null) lo = step < 0 ? len - 1 : 0;
  else {
    lo = start < 0 ? start + len : start;
    if (lo < 0) lo = step < 0 ? -1 : 0;
    else if (lo >= len) lo = step < 0 ? len - 1 : len;
  }
  if (stop === null) hi = step < 0 ? -1 : len;
  else {
    hi = stop < 0 ? stop + len : stop;
    if (hi < 0) hi = step < 0 ? -1 : 0;
    else if (hi >= len) hi = step < 0 ? len - 1 : len;
  }
  const out: number[] = [];
  for (let i = lo; step > 0 ? i < hi : i > hi; i += step) out.push(i);
  return out;
}

/** A tiny deterministic generator of integers in [lo, hi]. */
function intStream(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0 || 1;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) % (hi - lo + 1));
  };
}

export function shapeCases(ctx: SuiteContext): void {
  describe('transpose', () => {
    leakFreeCase(ctx, 'transpose.golden', async () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      const y = transpose(x);
      await expectTensor(y, [[1, 4], [2, 5], [3, 6]], { shape: [3, 2], dtype: 'float32' });
      const z = transpose(x, [1, 0]);
      await expectTensor(z, [[1, 4], [2, 5], [3, 6]], { shape: [3, 2] });
      free(x, y, z);
    });

    leakFreeCase(ctx, 'transpose.random-perms', async () => {
      const shape = [2, 3, 4, 5];
      const values = randomValues(120, 3);
      const x = tensor(values, shape);
      const perms = [[0, 1, 2, 3], [3, 2, 1, 0], [0, 2, 3, 1], [0, 3, 1, 2], [1, 0, 3, 2], [2, 0, 1, 3], [3, 0, 2, 1]];
      for (const perm of perms) {
        const y = transpose(x, perm);
        await expectTensor(y, refTranspose(values, shape, perm), { shape: perm.map((p) => shape[p]!) });
        y.dispose();
      }
      // Negative entries count from the end; the default reverses all dims.
      const neg = transpose(x, [-1, 0, -2, 1]);
      await expectTensor(neg, refTranspose(values, shape, [3, 0, 2, 1]), { shape: [5, 2, 4, 3] });
      const def = transpose(x);
      await expectTensor(def, refTranspose(values, shape, [3, 2, 1, 0]), { shape: [5, 4, 3, 2] });
      free(x, neg, def);
    });

    leakFreeCase(ctx, 'transpose.dtypes-and-edges', async () => {
      const ints = iota([2, 3], 'int32');
      const ti = transpose(ints);
      await expectTensor(ti, [0, 3, 1, 4, 2, 5], { shape: [3, 2], dtype: 'int32' });
      const bools = tensor([[true, false, false], [true, true, false]]);
      const tb = transpose(bools);
      await expectTensor(tb, [1, 1, 0, 1, 0, 0], { shape: [3, 2], dtype: 'bool' });
      const scalar = tensor(4);
      const ts = transpose(scalar);
      await expectTensor(ts, 4, { shape: [] });
      const empty = tensor([], [0, 3]);
      const te = transpose(empty);
      await expectTensor(te, [], { shape: [3, 0] });
      // Moving only size-1 dims keeps memory order.
      const ones = iota([1, 3, 1, 2]);
      const to = transpose(ones, [2, 1, 0, 3]);
      await expectTensor(to, [0, 1, 2, 3, 4, 5], { shape: [1, 3, 1, 2] });
      free(ints, ti, bools, tb, scalar, ts, empty, te, ones, to);
    });

    conformanceCase(ctx, 'transpose.errors', () => {
      const x = iota([2, 3, 4]);
      expectOpError(() => transpose(x, [1, 0]), 'transpose', 'perm', '[1,0]');
      expectOpError(() => transpose(x, [0, 1, 1]), 'transpose', 'perm', '0, 1, 1');
      expectOpError(() => transpose(x, [0, 1, 3]), 'transpose', 'perm', '3');
      x.dispose();
    });

    leakFreeCase(ctx, 'transpose.gradient', async () => {
      const x = tensor(randomValues(24, 9), [2, 3, 4]);
      await checkGradients((t) => transpose(t, [2, 0, 1]), [x]);
      await checkGradients((t) => transpose(t), [x]);
      x.dispose();
    });
  });

  describe('expandDims/squeeze', () => {
    leakFreeCase(ctx, 'expandDims.golden', async () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      const cases: [number, number[]][] = [[0, [1, 2, 3]], [1, [2, 1, 3]], [2, [2, 3, 1]], [-1, [2, 3, 1]], [-3, [1, 2, 3]], [-2, [2, 1, 3]]];
      for (const [axis, shape] of cases) {
        const y = expandDims(x, axis);
        await expectTensor(y, [1, 2, 3, 4, 5, 6], { shape, dtype: 'float32' });
        y.dispose();
      }
      const s = tensor(5, [], 'int32');
      const ys = expandDims(s);
      await expectTensor(ys, [5], { shape: [1], dtype: 'int32' });
      free(x, s, ys);
    });

    leakFreeCase(ctx, 'squeeze.golden', async () => {
      const x = iota([1, 3, 1, 2]);
      const all = squeeze(x);
      await expectTensor(all, [0, 1, 2, 3, 4, 5], { shape: [3, 2] });
      const first = squeeze(x, [0]);
      await expectTensor(first, [0, 1, 2, 3, 4, 5], { shape: [3, 1, 2] });
      const neg = squeeze(x, -2);
      await expectTensor(neg, [0, 1, 2, 3, 4, 5], { shape: [1, 3, 2] });
      const both = squeeze(x, [2, 0]);
      await expectTensor(both, [0, 1, 2, 3, 4, 5], { shape: [3, 2] });
      const one = tensor([7]);
      const scalar = squeeze(one);
      await expectTensor(scalar, 7, { shape: [] });
      const empty = tensor([], [1, 0]);
      const se = squeeze(empty);
      await expectTensor(se, [], { shape: [0] });
      free(x, all, first, neg, both, one, scalar, empty, se);
    });

    conformanceCase(ctx, 'expandSqueeze.errors', () => {
      const x = iota([1, 3]);
      expectOpError(() => expandDims(x, 3), 'expandDims', 'axis', '3');
      expectOpError(() => expandDims(x, -4), 'expandDims', 'axis', '-4');
      expectOpError(() => squeeze(x, 1), 'squeeze', 'axis', 'axis 1', '[1, 3]', 'size 3');
      expectOpError(() => squeeze(x, 2), 'squeeze', 'axis', '2');
      x.dispose();
    });

    leakFreeCase(ctx, 'expandSqueeze.gradient', async () => {
      const x = tensor(randomValues(6, 2), [1, 3, 2]);
      await checkGradients((t) => mul(expandDims(t, -1), 2), [x]);
      await checkGradients((t) => squeeze(t, 0), [x]);
      x.dispose();
    });
  });

  describe('slice', () => {
    leakFreeCase(ctx, 'slice.golden', async () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      const a = slice(x, [0, 1], [2, 2]);
      await expectTensor(a, [[2, 3], [5, 6]], { shape: [2, 2] });
      const b = slice(x, [1, 0], [1, -1]);
      await expectTensor(b, [[4, 5, 6]], { shape: [1, 3] });
      const c = slice(x, 1);
      await expectTensor(c, [[4, 5, 6]], { shape: [1, 3] });
      const d = slice(x, [0, 2]);
      await expectTensor(d, [[3], [6]], { shape: [2, 1] });
      const v = tensor([1, 2, 3, 4]);
      const e = slice(v, 1, 2);
      await expectTensor(e, [2, 3], { shape: [2] });
      free(x, a, b, c, d, v, e);
    });

    leakFreeCase(ctx, 'slice.random', async () => {
      const shape = [4, 5, 6];
      const values = randomValues(120, 17);
      const x = tensor(values, shape);
      const next = intStream(5);
      for (let trial = 0; trial < 20; trial++) {
        const begin = shape.map((d) => next(0, d));
        const size = shape.map((d, i) => (next(0, 4) === 0 ? -1 : next(0, d - begin[i]!)));
        const outShape = size.map((s, i) => (s === -1 ? shape[i]! - begin[i]! : s));
        const ref = build(outShape, (idx) => values[ravel(idx.map((v, i) => v + begin[i]!), shape)]!);
        const y = slice(x, begin, size);
        await expectTensor(y, ref, { shape: outShape });
        y.dispose();
      }
      x.dispose();
    });

    leakFreeCase(ctx, 'slice.dtypes-and-edges', async () => {
      const ints = iota([3, 3], 'int32');
      const si = slice(ints, [1, 1], [2, 2]);
      await expectTensor(si, [4, 5, 7, 8], { dtype: 'int32' });
      const bools = tensor([true, false, true]);
      const sb = slice(bools, [1]);
      await expectTensor(sb, [0, 1], { dtype: 'bool' });
      const empty = slice(ints, [3, 0], [0, 3]);
      await expectTensor(empty, [], { shape: [0, 3] });
      const whole = slice(ints, [0, 0], [-1, -1]);
      await expectTensor(whole, [0, 1, 2, 3, 4, 5, 6, 7, 8], { shape: [3, 3] });
      free(ints, si, bools, sb, empty, whole);
    });

    conformanceCase(ctx, 'slice.errors', () => {
      const x = iota([2, 3]);
      expectOpError(() => slice(x, [0, 4]), 'slice', 'begin', '0, 4');
      expectOpError(() => slice(x, [-1, 0]), 'slice', 'begin', '-1');
      expectOpError(() => slice(x, [1, 1], [2, 1]), 'slice', 'size', '2, 1');
      expectOpError(() => slice(x, [0, 0, 0]), 'slice', 'begin', '[0,0,0]');
      expectOpError(() => slice(x, [0, 0], [1, 1, 1]), 'slice', 'size', '[1,1,1]');
      expectOpError(() => slice(x, [0, 0], [1, -2]), 'slice', 'size', '-2');
      x.dispose();
    });

    leakFreeCase(ctx, 'slice.gradient', async () => {
      const x = tensor(randomValues(30, 4), [5, 6]);
      await checkGradients((t) => slice(t, [1, 2], [3, -1]), [x]);
      await checkGradients((t) => slice(t, [4, 0], [1, 6]), [x]);
      x.dispose();
    });
  });

  describe('stridedSlice', () => {
    leakFreeCase(ctx, 'stridedSlice.1d-golden', async () => {
      const x = iota([10]);
      // [begin, end, stride, beginMask, endMask] and the NumPy result of x[...].
      const cases: [number, number, number, number, number, number[]][] = [
        [2, 8, 2, 0, 0, [2, 4, 6]], // x[2:8:2]
        [8, 2, -2, 0, 0, [8, 6, 4]], // x[8:2:-2]
        [0, 0, -1, 1, 1, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]], // x[::-1]
        [-3, 0, 1, 0, 1, [7, 8, 9]], // x[-3:]
        [5, 100, 1, 0, 0, [5, 6, 7, 8, 9]], // x[5:100]
        [-100, 3, 1, 0, 0, [0, 1, 2]], // x[-100:3]
        [3, -100, -1, 0, 0, [3, 2, 1, 0]], // x[3:-100:-1]
        [0, 0, 3, 1, 1, [0, 3, 6, 9]], // x[::3]
        [5, 2, 1, 0, 0, []], // x[5:2]
        [0, 0, -3, 1, 1, [9, 6, 3, 0]], // x[::-3]
        [4, -1, -1, 0, 0, []], // x[4:-1:-1]
        [99, -99, 1, 1, 1, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], // masked bounds are ignored
        [-2, -5, -1, 0, 0, [8, 7, 6]], // x[-2:-5:-1]
      ];
      for (const [b, e, s, bm, em, expected] of cases) {
        const y = stridedSlice(x, [b], [e], [s], bm, em);
        await expectTensor(y, expected, { shape: [expected.length] });
        y.dispose();
      }
      x.dispose();
    });

    leakFreeCase(ctx, 'stridedSlice.python-random', async () => {
      const shape = [5, 7];
      const values = randomValues(35, 23);
      const x = tensor(values, shape);
      const next = intStream(77);
      const steps = [-3, -2, -1, 1, 2, 3];
      for (let trial = 0; trial < 60; trial++) {
        const begin: number[] = [];
        const end: number[] = [];
        const strides: number[] = [];
        let beginMask = 0;
        let endMask = 0;
        const picks: number[][] = [];
        shape.forEach((d, i) => {
          const b = next(-9, 9);
          const e = next(-9, 9);
          const s = steps[next(0, steps.length - 1)]!;
          const bMasked = next(0, 3) === 0;
          const eMasked = next(0, 3) === 0;
          begin.push(b);
          end.push(e);
          strides.push(s);
          if (bMasked) beginMask |= 1 << i;
          if (eMasked) endMask |= 1 << i;
          picks.push(pySlice(d, bMasked ? null : b, eMasked ? null : e, s));
        });
        const outShape = picks.map((p) => p.length);
        const ref = build(outShape, ([i, j]) => values[picks[0]![i!]! * 7 + picks[1]![j!]!]!);
        const y = stridedSlice(x, begin, end, strides, beginMask, endMask);
        await expectTensor(y, ref, { shape: outShape });
        y.dispose();
      }
      x.dispose();
    });

    leakFreeCase(ctx, 'stridedSlice.masks', async () => {
      const x = iota([2, 3, 4]); // x[i, j, k] = 12 i + 4 j + k
      const at = (i: number, j: number, k: number): number => 12 * i + 4 * j + k;
      const cases: [Tensor, number[], number[]][] = [
        // x[1]
        [stridedSlice(x, [1], [2], [1], 0, 0, 0, 0, 1), [3, 4], build([3, 4], ([j, k]) => at(1, j!, k!))],
        // x[-1, :, 2]
        [stridedSlice(x, [-1, 0, 2], [0, 0, 3], [1, 1, 1], 2, 2, 0, 0, 5), [3], [14, 18, 22]],
        // x[..., 1]
        [stridedSlice(x, [0, 1], [0, 2], [1, 1], 0, 0, 1, 0, 2), [2, 3], build([2, 3], ([i, j]) => at(i!, j!, 1))],
        // x[np.newaxis, 0]
        [stridedSlice(x, [0, 0], [0, 1], [1, 1], 0, 0, 0, 1, 2), [1, 3, 4], build([3, 4], ([j, k]) => at(0, j!, k!))],
        // x[:, np.newaxis, ::-1]
        [stridedSlice(x, [0, 0, 0], [0, 0, 0], [1, 1, -1], 5, 5, 0, 2), [2, 1, 3, 4], build([2, 3, 4], ([i, j, k]) => at(i!, 2 - j!, k!))],
        // x[1, ..., np.newaxis]
        [stridedSlice(x, [1, 0, 0], [2, 0, 0], [1, 1, 1], 0, 0, 2, 4, 1), [3, 4, 1], build([3, 4], ([j, k]) => at(1, j!, k!))],
        // x[..., np.newaxis]
        [stridedSlice(x, [0, 0], [0, 0], [1, 1], 0, 0, 1, 2), [2, 3, 4, 1], build([2, 3, 4], ([i, j, k]) => at(i!, j!, k!))],
        // x[::-1, 1:] (later dims whole)
        [stridedSlice(x, [0, 1], [0, 0], [-1, 1], 1, 3), [2, 2, 4], build([2, 2, 4], ([i, j, k]) => at(1 - i!, j! + 1, k!))],
        // x[0, -1, -1]
        [stridedSlice(x, [0, -1, -1], [1, 0, 0], [1, 1, 1], 0, 0, 0, 0, 7), [], [at(0, 2, 3)]],
      ];
      for (const [y, shape, expected] of cases) {
        await expectTensor(y, expected, { shape });
        y.dispose();
      }
      const ints = iota([3], 'int32');
      const ri = stridedSlice(ints, [0], [0], [-1], 1, 1);
      await expectTensor(ri, [2, 1, 0], { dtype: 'int32' });
      free(x, ints, ri);
    });

    conformanceCase(ctx, 'stridedSlice.errors', () => {
      const x = iota([2, 3, 4]);
      expectOpError(() => stridedSlice(x, [0, 0], [1, 1], [1, 0]), 'stridedSlice', 'strides', '[1, 0]');
      expectOpError(() => stridedSlice(x, [5], [6], [1], 0, 0, 0, 0, 1), 'stridedSlice', 'begin', '5 at entry 0');
      expectOpError(() => stridedSlice(x, [-3], [0], [1], 0, 0, 0, 0, 1), 'stridedSlice', 'begin', '-3');
      expectOpError(() => stridedSlice(x, [0, 0], [1, 1], [1, 1], 0, 0, 3), 'stridedSlice', 'ellipsisMask', '3');
      expectOpError(() => stridedSlice(x, [0, 0], [1]), 'stridedSlice', 'end', '[1]');
      expectOpError(() => stridedSlice(x, [0, 0, 0, 0], [1, 1, 1, 1]), 'stridedSlice', 'begin', '4 entries');
      expectOpError(() => stridedSlice(x, [0.5], [1]), 'stridedSlice', 'begin', '0.5');
      expectOpError(() => stridedSlice(x, [0], [1], [1], -1), 'stridedSlice', 'beginMask', '-1');
      x.dispose();
    });

    leakFreeCase(ctx, 'stridedSlice.gradient', async () => {
      const x = tensor(randomValues(30, 6), [5, 6]);
      await checkGradients((t) => stridedSlice(t, [4, 1], [0, 5], [-2, 3]), [x]); // x[4:0:-2, 1:5:3]
      await checkGradients((t) => stridedSlice(t, [0, 0], [0, 0], [1, -1], 0, 2), [x]); // x[:, ::-1]
      await checkGradients((t) => stridedSlice(t, [0, 2], [0, 3], [1, 1], 1, 1, 0, 0, 2), [x]); // x[:, 2]
      await checkGradients((t) => stridedSlice(t, [1, 0], [100, 0], [3, 2], 0, 2, 0, 0, 0), [x]); // x[1:100:3, ::2]
      await checkGradients((t) => stridedSlice(t, [0, 0, 0], [0, 0, 0], [1, 1, -4], 0, 0, 1, 2, 0), [x]); // x[..., None, ::-4]
      const y = tensor(randomValues(60, 7), [3, 4, 5]);
      await checkGradients((t) => stridedSlice(t, [0, -1, 4], [3, -5, 0], [2, -1, -3]), [y]);
      await checkGradients((t) => stridedSlice(t, [2, 0], [0, 2], [1, 1], 0, 0, 0, 0, 1), [y]); // y[2, 0:2]
      free(x, y);
    });
  });

  describe('reverse', () => {
    leakFreeCase(ctx, 'reverse.golden', async () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      const cases: [number | number[] | undefined, number[]][] = [
        [0, [4, 5, 6, 1, 2, 3]], [1, [3, 2, 1, 6, 5, 4]], [-1, [3, 2, 1, 6, 5, 4]],
        [[0, 1], [6, 5, 4, 3, 2, 1]], [undefined, [6, 5, 4, 3, 2, 1]], [[], [1, 2, 3, 4, 5, 6]],
      ];
      for (const [axis, expected] of cases) {
        const y = reverse(x, axis);
        await expectTensor(y, expected, { shape: [2, 3], dtype: 'float32' });
        y.dispose();
      }
      const ints = iota([4], 'int32');
      const ri = reverse(ints);
      await expectTensor(ri, [3, 2, 1, 0], { dtype: 'int32' });
      const bools = tensor([true, false, false]);
      const rb = reverse(bools);
      await expectTensor(rb, [0, 0, 1], { dtype: 'bool' });
      const empty = tensor([], [2, 0]);
      const re = reverse(empty, 1);
      await expectTensor(re, [], { shape: [2, 0] });
      const s = tensor(3);
      const rs = reverse(s);
      await expectTensor(rs, 3, { shape: [] });
      const big = iota([3, 4, 5]);
      const rbig = reverse(big, [0, 2]);
      await expectTensor(rbig, build([3, 4, 5], ([i, j, k]) => ravel([2 - i!, j!, 4 - k!], [3, 4, 5])), { shape: [3, 4, 5] });
      free(x, ints, ri, bools, rb, empty, re, s, rs, big, rbig);
    });

    conformanceCase(ctx, 'reverse.errors', () => {
      const x = iota([2, 3]);
      const s = tensor(1);
      expectOpError(() => reverse(x, 2), 'reverse', 'axis', '2');
      expectOpError(() => reverse(x, [0, 0]), 'reverse', 'axis', '0, 0');
      expectOpError(() => reverse(s, 0), 'reverse', 'axis', '0');
      free(x, s);
    });

    leakFreeCase(ctx, 'reverse.gradient', async () => {
      const x = tensor(randomValues(24, 12), [2, 3, 4]);
      await checkGradients((t) => reverse(t, [0, -1]), [x]);
      await checkGradients((t) => reverse(t), [x]);
      x.dispose();
    });
  });

  describe('concat/stack/unstack', () => {
    leakFreeCase(ctx, 'concat.golden', async () => {
      const a = tensor([[1, 2]]);
      const b = tensor([[3, 4], [5, 6]]);
      const c0 = concat([a, b]);
      await expectTensor(c0, [[1, 2], [3, 4], [5, 6]], { shape: [3, 2], dtype: 'float32' });
      const p = tensor([[1], [2]]);
      const q = tensor([[3, 4], [5, 6]]);
      const r = tensor([[7], [8]]);
      const c1 = concat([p, q, r], -1);
      await expectTensor(c1, [[1, 3, 4, 7], [2, 5, 6, 8]], { shape: [2, 4] });
      const x = iota([2, 3, 4]);
      const y = tensor(randomValues(2 * 2 * 4, 1), [2, 2, 4]);
      const yv = await y.data();
      const c2 = concat([x, y], 1);
      await expectTensor(c2, build([2, 5, 4], ([i, j, k]) => (j! < 3 ? ravel([i!, j!, k!], [2, 3, 4]) : yv[ravel([i!, j! - 3, k!], [2, 2, 4])]!)), { shape: [2, 5, 4] });
      free(a, b, c0, p, q, r, c1, x, y, c2);
    });

    leakFreeCase(ctx, 'concat.dtypes-and-edges', async () => {
      const i = tensor([1, 2], undefined, 'int32');
      const f = tensor([0.5]);
      const mixed = concat([i, f]);
      await expectTensor(mixed, [1, 2, 0.5], { dtype: 'float32' });
      const ii = concat([i, i]);
      await expectTensor(ii, [1, 2, 1, 2], { dtype: 'int32' });
      const bools = concat([[true], [false, true]]);
      await expectTensor(bools, [1, 0, 1], { dtype: 'bool' });
      const empty = tensor([], [0, 2]);
      const full = tensor([[1, 2]]);
      const withEmpty = concat([empty, full, empty]);
      await expectTensor(withEmpty, [[1, 2]], { shape: [1, 2] });
      const allEmpty = concat([empty, empty]);
      await expectTensor(allEmpty, [], { shape: [0, 2] });
      const single = concat([full]);
      await expectTensor(single, [[1, 2]], { shape: [1, 2] });
      free(i, f, mixed, ii, bools, empty, full, withEmpty, allEmpty, single);
    });

    conformanceCase(ctx, 'concat.errors', () => {
      const a = iota([2, 3]);
      const b = iota([2, 4]);
      const c = iota([2, 3, 1]);
      const s = tensor(1);
      expectOpError(() => concat([]), 'concat', 'xs', 'empty');
      expectOpError(() => concat([a, b], 0), 'concat', 'xs[1]', '[2, 4]');
      expectOpError(() => concat([a, a, c], 1), 'concat', 'xs[2]', '[2, 3, 1]');
      expectOpError(() => concat([a, b], 2), 'concat', 'axis', '2');
      expectOpError(() => concat([s, s]), 'concat', 'xs[0]', 'scalar');
      let message = '';
      try { concat([a, b], 0); } catch (e) { message = (e as Error).message; }
      expect(message, 'names the differing dimension').to.contain('dimension 1 is 4 vs 3');
      free(a, b, c, s);
    });

    leakFreeCase(ctx, 'stack.golden', async () => {
      const a = tensor([1, 2]);
      const b = tensor([3, 4]);
      const c = tensor([5, 6]);
      const s0 = stack([a, b, c]);
      await expectTensor(s0, [[1, 2], [3, 4], [5, 6]], { shape: [3, 2] });
      const s1 = stack([a, b, c], 1);
      await expectTensor(s1, [[1, 3, 5], [2, 4, 6]], { shape: [2, 3] });
      const sm = stack([a, b], -1);
      await expectTensor(sm, [[1, 3], [2, 4]], { shape: [2, 2] });
      const scalars = stack([3, 4]);
      await expectTensor(scalars, [3, 4], { shape: [2] });
      free(a, b, c, s0, s1, sm, scalars);
    });

    leakFreeCase(ctx, 'unstack.golden', async () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      const rows = unstack(x);
      expect(rows.length).to.equal(2);
      await expectTensor(rows[0]!, [1, 2, 3], { shape: [3] });
      await expectTensor(rows[1]!, [4, 5, 6], { shape: [3] });
      const cols = unstack(x, -1);
      expect(cols.length).to.equal(3);
      for (let j = 0; j < 3; j++) await expectTensor(cols[j]!, [j + 1, j + 4], { shape: [2] });
      const empty = tensor([], [0, 2]);
      expect(unstack(empty).length).to.equal(0);
      const ints = iota([2, 1], 'int32');
      const parts = unstack(ints, 1);
      await expectTensor(parts[0]!, [0, 1], { dtype: 'int32', shape: [2] });
      free(x, rows, cols, empty, ints, parts);
    });

    conformanceCase(ctx, 'stack-unstack.errors', () => {
      const a = iota([2]);
      const b = iota([3]);
      const s = tensor(1);
      expectOpError(() => stack([a, b]), 'stack', 'xs[1]', '[3]');
      expectOpError(() => stack([a, a], 2), 'stack', 'axis', '2');
      expectOpError(() => stack([]), 'stack', 'xs', 'empty');
      expectOpError(() => unstack(a, 1), 'unstack', 'axis', '1');
      expectOpError(() => unstack(s), 'unstack', 'x', 'scalar');
      free(a, b, s);
    });

    leakFreeCase(ctx, 'concat-stack.gradient', async () => {
      const a = tensor(randomValues(6, 1), [2, 3]);
      const b = tensor(randomValues(4, 2), [2, 2]);
      const c = tensor(randomValues(2, 3), [2, 1]);
      const d = tensor(randomValues(6, 4), [2, 3]);
      await checkGradients((x, y, z) => concat([x!, y!, z!], 1), [a, b, c]);
      await checkGradients((x, y) => concat([x!, x!, y!], -1), [a, b]);
      await checkGradients((x, y) => stack([x!, mul(y!, 3)], 1), [a, d]);
      await checkGradients((x) => {
        const [p, q, r] = unstack(x!, 1);
        return add(mul(p!, 2), mul(r!, q!));
      }, [a]);
      free(a, b, c, d);
    });
  });

  describe('split', () => {
    leakFreeCase(ctx, 'split.golden', async () => {
      const x = tensor([1, 2, 3, 4]);
      const halves = split(x, 2);
      await expectTensor(halves[0]!, [1, 2], { shape: [2] });
      await expectTensor(halves[1]!, [3, 4], { shape: [2] });
      const sized = split(x, [1, -1]);
      await expectTensor(sized[0]!, [1], { shape: [1] });
      await expectTensor(sized[1]!, [2, 3, 4], { shape: [3] });
      const withZero = split(x, [0, 3, 1]);
      await expectTensor(withZero[0]!, [], { shape: [0] });
      await expectTensor(withZero[2]!, [4], { shape: [1] });
      const m = iota([2, 6], 'int32');
      const cols = split(m, [2, 4], -1);
      await expectTensor(cols[0]!, [[0, 1], [6, 7]], { shape: [2, 2], dtype: 'int32' });
      await expectTensor(cols[1]!, [[2, 3, 4, 5], [8, 9, 10, 11]], { shape: [2, 4] });
      const thirds = split(m, 3, 1);
      expect(thirds.map((t) => t.shape)).to.deep.equal([[2, 2], [2, 2], [2, 2]]);
      await expectTensor(thirds[2]!, [4, 5, 10, 11]);
      const one = split(m, 1);
      await expectTensor(one[0]!, Array.from({ length: 12 }, (_, i) => i), { shape: [2, 6] });
      free(x, halves, sized, withZero, m, cols, thirds, one);
    });

    conformanceCase(ctx, 'split.errors', () => {
      const x = iota([6, 2]);
      const s = tensor(1);
      expectOpError(() => split(x, 4), 'split', 'numOrSizeSplits', '4');
      expectOpError(() => split(x, 0), 'split', 'numOrSizeSplits', '0');
      expectOpError(() => split(x, [2, 3]), 'split', 'numOrSizeSplits', '2, 3');
      expectOpError(() => split(x, [-1, -1]), 'split', 'numOrSizeSplits', '[-1,-1]');
      expectOpError(() => split(x, [5, 3, -1]), 'split', 'numOrSizeSplits', '5, 3, -1');
      expectOpError(() => split(x, 2, 2), 'split', 'axis', '2');
      expectOpError(() => split(s, 1), 'split', 'x', 'scalar');
      free(x, s);
    });

    leakFreeCase(ctx, 'split.gradient', async () => {
      const x = tensor(randomValues(24, 5), [4, 6]);
      // Only some parts reach the objective: the others' slices of the gradient are zero.
      await checkGradients((t) => {
        const [a, , c] = split(t, [2, 1, -1], 1);
        return add(sum(mul(a!, a!), 1), sum(c!, 1));
      }, [x]);
      await checkGradients((t) => split(t, 2)[1]!, [x]);
      x.dispose();
    });
  });

  describe('pad', () => {
    leakFreeCase(ctx, 'pad.golden', async () => {
      const x = tensor([[1, 2]]);
      const y = pad(x, [[1, 0], [0, 1]]);
      await expectTensor(y, [[0, 0, 0], [1, 2, 0]], { shape: [2, 3], dtype: 'float32' });
      const z = pad(x, [[0, 1], [2, 0]], -1);
      await expectTensor(z, [[-1, -1, 1, 2], [-1, -1, -1, -1]], { shape: [2, 4] });
      const ints = tensor([5], undefined, 'int32');
      const pi = pad(ints, [[2, 1]], 7);
      await expectTensor(pi, [7, 7, 5, 7], { dtype: 'int32' });
      const bools = tensor([true]);
      const pb = pad(bools, [[1, 1]]);
      await expectTensor(pb, [0, 1, 0], { dtype: 'bool' });
      const empty = tensor([], [0, 2]);
      const pe = pad(empty, [[1, 1], [0, 0]], 3);
      await expectTensor(pe, [3, 3, 3, 3], { shape: [2, 2] });
      const none = pad(x, [[0, 0], [0, 0]]);
      await expectTensor(none, [[1, 2]], { shape: [1, 2] });
      const cube = iota([2, 2, 2]);
      const pc = pad(cube, [[0, 1], [1, 0], [1, 1]], 0.5);
      await expectTensor(pc, build([3, 3, 4], ([i, j, k]) => (i! < 2 && j! >= 1 && k! >= 1 && k! <= 2 ? ravel([i!, j! - 1, k! - 1], [2, 2, 2]) : 0.5)), { shape: [3, 3, 4] });
      free(x, y, z, ints, pi, bools, pb, empty, pe, none, cube, pc);
    });

    conformanceCase(ctx, 'pad.errors', () => {
      const x = iota([2, 2]);
      expectOpError(() => pad(x, [[1, 1]]), 'pad', 'paddings', '[[1,1]]');
      expectOpError(() => pad(x, [[1, -1], [0, 0]]), 'pad', 'paddings', '-1');
      expectOpError(() => pad(x, [[1, 0.5], [0, 0]]), 'pad', 'paddings', '0.5');
      x.dispose();
    });

    leakFreeCase(ctx, 'pad.gradient', async () => {
      const x = tensor(randomValues(12, 14), [3, 4]);
      await checkGradients((t) => pad(t, [[1, 2], [0, 3]], 5), [x]);
      x.dispose();
    });
  });

  describe('leaks', () => {
    leakFreeCase(ctx, 'shape.op-and-gradient-no-leaks', async () => {
      const x = tensor(randomValues(24, 40), [2, 3, 4]);
      const ops: ((t: Tensor) => Tensor)[] = [
        (t) => transpose(t, [1, 2, 0]),
        (t) => expandDims(t, 1),
        (t) => squeeze(expandDims(t, 0)),
        (t) => slice(t, [0, 1, 1], [2, 2, -1]),
        (t) => stridedSlice(t, [1, 0, 3], [0, 0, 0], [-1, 2, -2], 0, 2, 0, 0, 0),
        (t) => reverse(t, 1),
        (t) => concat([t, t], 2),
        (t) => stack([t, t], 1),
        (t) => unstack(t, 2)[1]!,
        (t) => split(t, [1, 2], 1)[1]!,
        (t) => pad(t, [[0, 1], [1, 0], [2, 2]]),
      ];
      for (const op of ops) {
        const y = tidy(() => op(x));
        const g = grad((t) => op(t))(x);
        await y.data();
        const gv = await g.data();
        expect(gv.length).to.equal(24);
        free(y, g);
      }
      x.dispose();
    });
  });
}


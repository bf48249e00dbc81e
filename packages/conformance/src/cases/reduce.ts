import { expect } from 'chai';
import {
  all, any, argMax, argMin, grad, logSumExp, max, mean, min, moments, prod, sum, tensor, type NestedArray, type Tensor,
} from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { sizeOfShape, unravel } from './host-index.js';
import { expectOpError } from './case-helpers.js';

type Reducer = (xs: number[]) => number;

/** Reference reduction in float64: groups the input elements by output position, then reduces. */
function refReduce(values: ArrayLike<number>, shape: readonly number[], axes: readonly number[], keepDims: boolean, reducer: Reducer): { values: number[]; shape: number[] } {
  const outShapeKept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: sizeOfShape(outShapeKept) }, () => []);
  for (let i = 0; i < values.length; i++) {
    const idx = unravel(i, shape);
    let o = 0;
    for (let d = 0; d < shape.length; d++) o = o * outShapeKept[d]! + (axes.includes(d) ? 0 : idx[d]!);
    groups[o]!.push(values[i]!);
  }
  const outShape = keepDims ? outShapeKept : shape.filter((_d, i) => !axes.includes(i));
  return { values: groups.map(reducer), shape: outShape };
}

const REDUCERS: Record<string, Reducer> = {
  sum: (xs) => xs.reduce((a, b) => a + b, 0),
  mean: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  prod: (xs) => xs.reduce((a, b) => a * b, 1),
  max: (xs) => (xs.some(Number.isNaN) ? NaN : xs.reduce((a, b) => (b > a ? b : a), -Infinity)),
  min: (xs) => (xs.some(Number.isNaN) ? NaN : xs.reduce((a, b) => (b < a ? b : a), Infinity)),
  logSumExp: (xs) => {
    if (xs.some(Number.isNaN)) return NaN;
    const m = xs.reduce((a, b) => (b > a ? b : a), -Infinity);
    if (!Number.isFinite(m)) return m;
    return m + Math.log(xs.reduce((acc, v) => acc + Math.exp(v - m), 0));
  },
};

type AxisArg = number | number[] | null;
type ReduceFn = (x: Tensor, axis?: AxisArg, keepDims?: boolean) => Tensor;
const OPS: Record<string, ReduceFn> = { sum, mean, prod, max, min, logSumExp };

function normalize(axis: AxisArg, rank: number): number[] {
  if (axis === null) return Array.from({ length: rank }, (_, i) => i);
  return (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/** Positions of the first maximum (or minimum) along `axis` of a rank-2 host array, by hand loops. */
function refArg(values: ArrayLike<number>, shape: readonly [number, number], axis: 0 | 1, pickMax: boolean): number[] {
  const [r, c] = shape;
  const better = (a: number, b: number): boolean => (pickMax ? a > b : a < b);
  const out: number[] = [];
  const lines = axis === 1 ? r : c;
  const len = axis === 1 ? c : r;
  for (let l = 0; l < lines; l++) {
    let best = 0;
    for (let k = 1; k < len; k++) {
      const at = (q: number): number => values[axis === 1 ? l * c + q : q * c + l]!;
      if (better(at(k), at(best))) best = k;
    }
    out.push(best);
  }
  return out;
}

/** A case that must also leave no tensor or buffer behind. */
function leakFreeCase(ctx: SuiteContext, id: string, fn: () => Promise<void> | void): void {
  conformanceCase(ctx, id, () => expectNoLeaks(fn));
}

export function reduceCases(ctx: SuiteContext): void {
  describe('golden', () => {
    leakFreeCase(ctx, 'reduce.golden', async () => {
      const x = tensor([[1, 2], [3, 4]]);
      const checks: [Tensor, NestedArray, number[]][] = [
        [sum(x), 10, []], [sum(x, 0), [4, 6], [2]], [sum(x, 1), [3, 7], [2]],
        [mean(x), 2.5, []], [mean(x, 1), [1.5, 3.5], [2]],
        [prod(x), 24, []], [prod(x, 0), [3, 8], [2]],
        [max(x, 0), [3, 4], [2]], [max(x, 1), [2, 4], [2]],
        [min(x), 1, []], [min(x, -1), [1, 3], [2]],
        [sum(x, 1, true), [[3], [7]], [2, 1]],
      ];
      for (const [y, expected, shape] of checks) {
        await expectTensor(y, expected, { shape, dtype: 'float32' });
        y.dispose();
      }
      x.dispose();
    });

    leakFreeCase(ctx, 'reduce.axes-random', async () => {
      // Every combination of axes of a rank-3 tensor, including non-contiguous [0, 2] and negatives.
      const shape = [3, 4, 5];
      const values = randomValues(60, 11, 0.5, 1.5); // positive and near 1, so prod stays in range
      const x = tensor(values, shape);
      const axesList: AxisArg[] = [null, 0, 1, 2, -1, [0, 2], [-3, -1], [1, 2], [0, 1], [0, 1, 2], [2, 0]];
      for (const [name, op] of Object.entries(OPS)) {
        for (const axis of axesList) {
          for (const keepDims of [false, true]) {
            const ref = refReduce(values, shape, normalize(axis, 3), keepDims, REDUCERS[name]!);
            const y = op(x, axis, keepDims);
            await expectTensor(y, ref.values, { shape: ref.shape, dtype: 'float32', atol: 1e-5, rtol: 1e-5 });
            y.dispose();
          }
        }
      }
      x.dispose();
    });

    leakFreeCase(ctx, 'reduce.size-1-and-scalar', async () => {
      const s = tensor(7);
      for (const op of [sum, mean, prod, max, min, logSumExp]) {
        const y = op(s);
        await expectTensor(y, 7, { shape: [] });
        y.dispose();
      }
      const x = tensor([[[5]], [[6]]]); // [2, 1, 1]
      const y = sum(x, [1, 2]);
      await expectTensor(y, [5, 6], { shape: [2] });
      const z = max(x, 1, true);
      await expectTensor(z, [5, 6], { shape: [2, 1, 1] });
      [s, x, y, z].forEach((t) => t.dispose());
    });
  });

  describe('dtypes', () => {
    leakFreeCase(ctx, 'reduce.int32', async () => {
      const x = tensor([[1, -2, 3], [4, 5, -6]], undefined, 'int32');
      const cases: [Tensor, NestedArray, string][] = [
        [sum(x, 1), [2, 3], 'int32'],
        [prod(x, 0), [4, -10, -18], 'int32'],
        [max(x, 1), [3, 5], 'int32'],
        [min(x), -6, 'int32'],
        [mean(x, 0), [2.5, 1.5, -1.5], 'float32'],
        [argMax(x, 1), [2, 1], 'int32'],
      ];
      for (const [y, expected, dtype] of cases) {
        await expectTensor(y, expected, { dtype });
        y.dispose();
      }
      x.dispose();
    });

    leakFreeCase(ctx, 'reduce.bool', async () => {
      const x = tensor([[true, false, true], [false, false, false]]);
      const cases: [Tensor, NestedArray, string][] = [
        [sum(x, 1), [2, 0], 'int32'],
        [sum(x), 2, 'int32'],
        [any(x, 1), [1, 0], 'bool'],
        [all(x, 0), [0, 0, 0], 'bool'],
        [any(x), 1, 'bool'],
        [all([[true, true], [true, false]], -1), [1, 0], 'bool'],
        [any(x, 0, true), [[1, 0, 1]], 'bool'],
      ];
      for (const [y, expected, dtype] of cases) {
        await expectTensor(y, expected, { dtype });
        y.dispose();
      }
      x.dispose();
    });
  });

  describe('special values', () => {
    leakFreeCase(ctx, 'reduce.empty', async () => {
      // Reductions over zero elements give each op's identity (mean: 0/0 = NaN).
      const x = tensor([], [2, 0]);
      const expected: [ReduceFn, number][] = [[sum, 0], [prod, 1], [max, -Infinity], [min, Infinity], [mean, NaN], [logSumExp, -Infinity]];
      for (const [op, v] of expected) {
        const y = op(x, 1);
        await expectTensor(y, [v, v], { shape: [2], dtype: 'float32' });
        const all0 = op(x);
        await expectTensor(all0, v, { shape: [] });
        [y, all0].forEach((t) => t.dispose());
      }
      const empty03 = tensor([], [0, 3]);
      const across = sum(empty03, 0);
      await expectTensor(across, [0, 0, 0], { shape: [3] });
      const kept = sum(x, 0, true);
      await expectTensor(kept, [], { shape: [1, 0] });
      const b = tensor([], [0], 'bool');
      const anyB = any(b);
      const allB = all(b);
      await expectTensor(anyB, 0, { dtype: 'bool' });
      await expectTensor(allB, 1, { dtype: 'bool' });
      [x, empty03, across, kept, b, anyB, allB].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'reduce.nan-propagation', async () => {
      const x = tensor([[1, NaN, 3], [100, 2, -5]]);
      for (const op of [sum, mean, prod, max, min, logSumExp]) {
        const y = op(x, 1);
        const values = await y.data();
        expect(Number.isNaN(values[0]), `${op.name} of a row with NaN`).to.equal(true);
        expect(Number.isNaN(values[1]), `${op.name} of a row without NaN`).to.equal(false);
        y.dispose();
      }
      // NaN wins even against larger or smaller neighbours, wherever it sits.
      const first = tensor([NaN, 5, -5]);
      const mx = max(first);
      const mn = min(first);
      await expectTensor(mx, NaN);
      await expectTensor(mn, NaN);
      [x, first, mx, mn].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'reduce.infinities', async () => {
      const x = tensor([[Infinity, -Infinity], [Infinity, 1], [-Infinity, 1]]);
      const s = sum(x, 1);
      await expectTensor(s, [NaN, Infinity, -Infinity]);
      const mx = max(x, 1);
      await expectTensor(mx, [Infinity, Infinity, 1]);
      const mn = min(x, 1);
      await expectTensor(mn, [-Infinity, 1, -Infinity]);
      [x, s, mx, mn].forEach((t) => t.dispose());
    });
  });

  describe('argMax/argMin', () => {
    leakFreeCase(ctx, 'argMax.golden', async () => {
      const x = tensor([[1, 9, 3], [8, 2, 7]]);
      const a0 = argMax(x);
      const a1 = argMax(x, 1);
      const n1 = argMin(x, -1);
      const n0 = argMin(x, 0);
      await expectTensor(a0, [1, 0, 1], { shape: [3], dtype: 'int32' });
      await expectTensor(a1, [1, 0], { shape: [2], dtype: 'int32' });
      await expectTensor(n1, [0, 1], { dtype: 'int32' });
      await expectTensor(n0, [0, 1, 0], { dtype: 'int32' });
      [x, a0, a1, n1, n0].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'argMax.ties-first', async () => {
      const x = tensor([[1, 3, 3, 2], [5, 5, 5, 5]]);
      const a = argMax(x, 1);
      await expectTensor(a, [1, 0], { dtype: 'int32' });
      const m = tensor([[2, 1, 1, 4], [0, 0, 1, 0]]);
      const b = argMin(m, 1);
      await expectTensor(b, [1, 0], { dtype: 'int32' });
      const bools = argMax([false, true, true]);
      await expectTensor(bools, 1, { dtype: 'int32' });
      [x, a, m, b, bools].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'argMax.random', async () => {
      const values = randomValues(7 * 9, 5);
      const x = tensor(values, [7, 9]);
      for (const axis of [0, 1] as const) {
        const ym = argMax(x, axis);
        const yn = argMin(x, axis - 2);
        await expectTensor(ym, refArg(values, [7, 9], axis, true), { dtype: 'int32' });
        await expectTensor(yn, refArg(values, [7, 9], axis, false), { dtype: 'int32' });
        [ym, yn].forEach((t) => t.dispose());
      }
      x.dispose();
    });
  });

  describe('logSumExp', () => {
    leakFreeCase(ctx, 'logSumExp.golden', async () => {
      const y = logSumExp([[0, 0], [1, 2]], 1);
      await expectTensor(y, [Math.LN2, 2 + Math.log1p(Math.exp(-1))]);
      const k = logSumExp([[0, 0], [1, 2]], 0, true);
      await expectTensor(k, [[Math.log(1 + Math.E), Math.log(1 + Math.E ** 2)]], { shape: [1, 2] });
      [y, k].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'logSumExp.large-values', async () => {
      // exp(1000) overflows float32 and float64: only the shifted form gets these right.
      const y = logSumExp([[1000, 1000], [1000, 0], [-1000, -1000]], 1);
      await expectTensor(y, [1000 + Math.LN2, 1000, -1000 + Math.LN2], { atol: 1e-3, rtol: 1e-6 });
      y.dispose();
    });

    leakFreeCase(ctx, 'logSumExp.infinities', async () => {
      const y = logSumExp([[-Infinity, -Infinity], [-Infinity, 0], [Infinity, 1], [NaN, 1]], -1);
      await expectTensor(y, [-Infinity, 0, Infinity, NaN]);
      y.dispose();
    });
  });

  describe('moments', () => {
    leakFreeCase(ctx, 'moments.golden', async () => {
      const { mean: m, variance: v } = moments([[1, 2], [3, 6]], 1);
      await expectTensor(m, [1.5, 4.5], { shape: [2], dtype: 'float32' });
      await expectTensor(v, [0.25, 2.25], { shape: [2], dtype: 'float32' });
      const all0 = moments([1, 2, 3, 4]);
      await expectTensor(all0.mean, 2.5, { shape: [] });
      await expectTensor(all0.variance, 1.25, { shape: [] });
      const int24 = tensor([2, 4], undefined, 'int32');
      const ints = moments(int24, 0, true);
      await expectTensor(ints.mean, [3], { shape: [1], dtype: 'float32' });
      await expectTensor(ints.variance, [1], { shape: [1], dtype: 'float32' });
      [m, v, all0.mean, all0.variance, int24, ints.mean, ints.variance].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'moments.axes-random', async () => {
      const shape = [3, 4, 5];
      const values = randomValues(60, 21, -3, 3);
      const x = tensor(values, shape);
      const variance: Reducer = (xs) => {
        const mu = REDUCERS.mean!(xs);
        return xs.reduce((acc, v) => acc + (v - mu) ** 2, 0) / xs.length;
      };
      for (const axis of [[0, 2], -1, [1]] as AxisArg[]) {
        for (const keepDims of [false, true]) {
          const axes = normalize(axis, 3);
          const r = moments(x, axis, keepDims);
          const refM = refReduce(values, shape, axes, keepDims, REDUCERS.mean!);
          const refV = refReduce(values, shape, axes, keepDims, variance);
          await expectTensor(r.mean, refM.values, { shape: refM.shape });
          await expectTensor(r.variance, refV.values, { shape: refV.shape, atol: 1e-5, rtol: 1e-4 });
          [r.mean, r.variance].forEach((t) => t.dispose());
        }
      }
      x.dispose();
    });

    leakFreeCase(ctx, 'moments.empty', async () => {
      const e = tensor([], [2, 0]);
      const r = moments(e, 1);
      await expectTensor(r.mean, [NaN, NaN], { shape: [2] });
      await expectTensor(r.variance, [NaN, NaN], { shape: [2] });
      [e, r.mean, r.variance].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'moments.gradient', async () => {
      const x = tensor(randomValues(24, 8, -2, 2), [2, 3, 4]);
      await checkGradients((t) => moments(t, [0, 2]).variance, [x]);
      await checkGradients((t) => moments(t, 1, true).mean, [x]);
      x.dispose();
    });
  });

  describe('errors', () => {
    conformanceCase(ctx, 'reduce.errors', () => {
      const x = tensor(randomValues(24, 1), [2, 3, 4]);
      expectOpError(() => sum(x, 3), 'sum', 'axis', '3');
      expectOpError(() => mean(x, -4), 'mean', 'axis', '-4');
      expectOpError(() => max(x, [0, -3]), 'max', 'axis', '0, -3');
      expectOpError(() => argMax(x, 5), 'argMax', 'axis', '5');
      const scalar = tensor(3);
      const empty = tensor([], [2, 0]);
      expectOpError(() => argMax(scalar), 'argMax', 'x', 'scalar');
      expectOpError(() => argMin(empty, 1), 'argMin', 'x', 'size 0');
      expectOpError(() => logSumExp(x, 9), 'logSumExp', 'axis', '9');
      expectOpError(() => moments(x, 4), 'moments', 'axis', '4');
      [x, scalar, empty].forEach((t) => t.dispose());
    });
  });

  describe('gradients', () => {
    leakFreeCase(ctx, 'reduce.gradients', async () => {
      const values = randomValues(24, 31, -2, 2);
      const x = tensor(values, [2, 3, 4]);
      await checkGradients((t) => sum(t, [0, 2]), [x]);
      await checkGradients((t) => sum(t), [x]);
      await checkGradients((t) => mean(t, 1, true), [x]);
      await checkGradients((t) => mean(t, -1), [x]);
      await checkGradients((t) => logSumExp(t, [0, 2]), [x]);
      await checkGradients((t) => logSumExp(t, 1, true), [x]);
      // Distinct values, well apart, so max/min are away from ties.
      const spread = tensor(Array.from({ length: 24 }, (_, i) => ((i * 7) % 24) * 0.37 - 4), [2, 3, 4]);
      await checkGradients((t) => max(t, [0, 2]), [spread]);
      await checkGradients((t) => min(t, -1), [spread]);
      await checkGradients((t) => max(t), [spread]);
      // Away from zero, so prod is smooth and the divisions in its gradient exact.
      const positive = tensor(randomValues(12, 4, 0.5, 1.5), [3, 4]);
      await checkGradients((t) => prod(t, 1), [positive]);
      await checkGradients((t) => prod(t, [0, 1], true), [positive]);
      [x, spread, positive].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'reduce.gradient-ties', async () => {
      // The gradient of max is shared among tied maxima.
      const g = grad((t) => max(t))([1, 3, 3]);
      await expectTensor(g, [0, 0.5, 0.5]);
      const h = grad((t) => min(t, 1))([[2, 2], [1, 4]]);
      await expectTensor(h, [[0.5, 0.5], [1, 0]]);
      [g, h].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'logSumExp.gradient-large-values', async () => {
      // d logSumExp / dx = softmax(x): exact even where exp(x) overflows.
      const g = grad((t) => logSumExp(t))([1000, 1000 + Math.LN2]);
      await expectTensor(g, [1 / 3, 2 / 3], { atol: 1e-4 });
      const h = grad((t) => logSumExp(t, 1))([[-Infinity, 0]]);
      await expectTensor(h, [[0, 1]]);
      [g, h].forEach((t) => t.dispose());
    });

    leakFreeCase(ctx, 'reduce.no-leaks', async () => {
      const x = tensor(randomValues(12, 2), [3, 4]);
      await expectNoLeaks(async () => {
        for (const op of [sum, mean, prod, max, min, logSumExp]) {
          const y = op(x, [0, 1]);
          const g = grad((t) => op(t, 1))(x);
          await y.data();
          await g.data();
          [y, g].forEach((t) => t.dispose());
        }
        const r = moments(x, 0);
        const gm = grad((t) => moments(t, 0).variance)(x);
        const am = argMax(x, 1);
        [r.mean, r.variance, gm, am].forEach((t) => t.dispose());
      });
      x.dispose();
    });
  });
}

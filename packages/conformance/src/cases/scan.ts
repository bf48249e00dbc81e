import { expect } from 'chai';
import { cumsum, grad, sum, tensor, tidy, topK, type Tensor } from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { sizeOfShape } from './host-index.js';
import { expectOpError } from './case-helpers.js';

/** A case that must also leave no tensor or buffer behind. */
function leakFreeCase(ctx: SuiteContext, id: string, fn: () => Promise<void> | void): void {
  conformanceCase(ctx, id, () => expectNoLeaks(fn));
}

function free(...ts: (Tensor | Tensor[])[]): void {
  for (const t of ts.flat()) t.dispose();
}

/** Reference cumulative sum along `axis` in float64, by explicit index loops. */
function refCumsum(values: ArrayLike<number>, shape: readonly number[], axis: number, exclusive: boolean, reverse: boolean): number[] {
  const len = shape[axis]!;
  const inner = sizeOfShape(shape.slice(axis + 1));
  const outer = sizeOfShape(shape.slice(0, axis));
  const out = new Array<number>(values.length).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number): number => (o * len + k) * inner + i;
      for (let k = 0; k < len; k++) {
        let total = 0;
        for (let q = 0; q < len; q++) {
          const included = reverse ? (exclusive ? q > k : q >= k) : exclusive ? q < k : q <= k;
          if (included) total += values[at(q)]!;
        }
        out[at(k)] = total;
      }
    }
  }
  return out;
}

/** Reference top-k of each row (last axis): stable sort by value descending. */
function refTopK(values: ArrayLike<number>, shape: readonly number[], k: number): { values: number[]; indices: number[] } {
  const n = shape[shape.length - 1]!;
  const rows = n === 0 ? 0 : values.length / n;
  const vs: number[] = [];
  const is: number[] = [];
  for (let r = 0; r < rows; r++) {
    const order = Array.from({ length: n }, (_, j) => j);
    order.sort((a, b) => values[r * n + b]! - values[r * n + a]! || a - b);
    for (let t = 0; t < k; t++) {
      vs.push(values[r * n + order[t]!]!);
      is.push(order[t]!);
    }
  }
  return { values: vs, indices: is };
}

export function scanCases(ctx: SuiteContext): void {
  describe('cumsum', () => {
    leakFreeCase(ctx, 'cumsum.golden', async () => {
      const x = tensor([1, 2, 3]);
      const cases: [boolean, boolean, number[]][] = [
        [false, false, [1, 3, 6]], [true, false, [0, 1, 3]], [false, true, [6, 5, 3]], [true, true, [5, 3, 0]],
      ];
      for (const [exclusive, reverse, expected] of cases) {
        const y = cumsum(x, 0, exclusive, reverse);
        await expectTensor(y, expected, { shape: [3], dtype: 'float32' });
        y.dispose();
      }
      const m = tensor([[1, 2], [3, 4]]);
      const rows = cumsum(m, 1);
      await expectTensor(rows, [[1, 3], [3, 7]]);
      const cols = cumsum(m);
      await expectTensor(cols, [[1, 2], [4, 6]]);
      free(x, m, rows, cols);
    });

    leakFreeCase(ctx, 'cumsum.random-axes', async () => {
      const shape = [3, 4, 5];
      const values = randomValues(60, 15);
      const x = tensor(values, shape);
      for (const axis of [0, 1, 2, -1, -3]) {
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) {
            const y = cumsum(x, axis, exclusive, reverse);
            await expectTensor(y, refCumsum(values, shape, axis < 0 ? axis + 3 : axis, exclusive, reverse), { shape, atol: 1e-5, rtol: 1e-5 });
            y.dispose();
          }
        }
      }
      x.dispose();
    });

    leakFreeCase(ctx, 'cumsum.dtypes-and-edges', async () => {
      const ints = tensor([[1, -2, 3], [4, 5, 6]], undefined, 'int32');
      const ci = cumsum(ints, 1);
      await expectTensor(ci, [[1, -1, 2], [4, 9, 15]], { dtype: 'int32' });
      const bools = tensor([true, false, true, true]);
      const cb = cumsum(bools);
      await expectTensor(cb, [1, 1, 2, 3], { dtype: 'int32' });
      const empty = tensor([], [2, 0]);
      const ce = cumsum(empty, 1);
      await expectTensor(ce, [], { shape: [2, 0] });
      const one = tensor([[4], [5]]);
      const c1 = cumsum(one, 1, true);
      await expectTensor(c1, [[0], [0]], { shape: [2, 1] });
      // NaN and infinities poison every later sum and none before.
      const special = tensor([1, NaN, 2, Infinity]);
      const cs = cumsum(special);
      await expectTensor(cs, [1, NaN, NaN, NaN]);
      const cr = cumsum(special, 0, false, true);
      await expectTensor(cr, [NaN, NaN, Infinity, Infinity]);
      free(ints, ci, bools, cb, empty, ce, one, c1, special, cs, cr);
    });

    conformanceCase(ctx, 'cumsum.errors', () => {
      const x = tensor([[1, 2]]);
      const s = tensor(1);
      expectOpError(() => cumsum(x, 2), 'cumsum', 'axis', '2');
      expectOpError(() => cumsum(x, -3), 'cumsum', 'axis', '-3');
      expectOpError(() => cumsum(s), 'cumsum', 'x', 'scalar');
      free(x, s);
    });

    leakFreeCase(ctx, 'cumsum.gradient', async () => {
      const x = tensor(randomValues(24, 19), [2, 3, 4]);
      for (const [axis, exclusive, reverse] of [[0, false, false], [1, true, false], [-1, false, true], [2, true, true]] as const) {
        await checkGradients((t) => cumsum(t, axis, exclusive, reverse), [x]);
      }
      const g = grad((t) => sum(cumsum(t)))([1, 1, 1]);
      await expectTensor(g, [3, 2, 1]);
      free(x, g);
    });
  });

  describe('topK', () => {
    leakFreeCase(ctx, 'topK.golden', async () => {
      const { values, indices } = topK([[1, 5, 3], [4, 2, 6]], 2);
      await expectTensor(values, [[5, 3], [6, 4]], { shape: [2, 2], dtype: 'float32' });
      await expectTensor(indices, [[1, 2], [2, 0]], { shape: [2, 2], dtype: 'int32' });
      const one = topK([3, 9, 1]);
      await expectTensor(one.values, [9], { shape: [1] });
      await expectTensor(one.indices, [1], { shape: [1], dtype: 'int32' });
      free(values, indices, one.values, one.indices);
    });

    leakFreeCase(ctx, 'topK.ties-and-nan', async () => {
      const ties = topK([2, 7, 7, 1, 7], 3);
      await expectTensor(ties.values, [7, 7, 7]);
      await expectTensor(ties.indices, [1, 2, 4], { dtype: 'int32' });
      // NaN ranks above every number (NumPy's sort order), -Infinity below.
      const special = topK([1, NaN, -Infinity, Infinity], 4);
      await expectTensor(special.values, [NaN, Infinity, 1, -Infinity]);
      await expectTensor(special.indices, [1, 3, 0, 2], { dtype: 'int32' });
      free(ties.values, ties.indices, special.values, special.indices);
    });

    leakFreeCase(ctx, 'topK.random', async () => {
      const shape = [3, 2, 40];
      const values = randomValues(240, 27, -10, 10);
      const x = tensor(values, shape);
      for (const k of [0, 1, 5, 40]) {
        const r = topK(x, k);
        const ref = refTopK(values, shape, k);
        await expectTensor(r.values, ref.values, { shape: [3, 2, k] });
        await expectTensor(r.indices, ref.indices, { shape: [3, 2, k], dtype: 'int32' });
        free(r.values, r.indices);
      }
      const unsorted = topK(x, 3, false);
      const ref = refTopK(values, shape, 3);
      // Any order is allowed: compare the sets per row.
      const got = Array.from(await unsorted.values.data());
      for (let row = 0; row < 6; row++) {
        expect(got.slice(row * 3, row * 3 + 3).sort()).to.deep.equal(ref.values.slice(row * 3, row * 3 + 3).map((v) => Math.fround(v)).sort());
      }
      free(x, unsorted.values, unsorted.indices);
    });

    leakFreeCase(ctx, 'topK.dtypes-and-edges', async () => {
      const ints = tensor([[3, 1, 2]], undefined, 'int32');
      const ri = topK(ints, 2);
      await expectTensor(ri.values, [[3, 2]], { dtype: 'int32' });
      await expectTensor(ri.indices, [[0, 2]], { dtype: 'int32' });
      const empty = tensor([], [0, 4]);
      const re = topK(empty, 2);
      await expectTensor(re.values, [], { shape: [0, 2] });
      const narrow = tensor([], [3, 0]);
      const rn = topK(narrow, 0);
      await expectTensor(rn.indices, [], { shape: [3, 0], dtype: 'int32' });
      free(ints, ri.values, ri.indices, empty, re.values, re.indices, narrow, rn.values, rn.indices);
    });

    conformanceCase(ctx, 'topK.errors', () => {
      const x = tensor([[1, 2, 3]]);
      const s = tensor(1);
      const b = tensor([true, false]);
      expectOpError(() => topK(x, 4), 'topK', 'k', '4');
      expectOpError(() => topK(x, -1), 'topK', 'k', '-1');
      expectOpError(() => topK(x, 1.5), 'topK', 'k', '1.5');
      expectOpError(() => topK(s), 'topK', 'x', 'scalar');
      expectOpError(() => topK(b), 'topK', 'x', 'bool');
      free(x, s, b);
    });

    leakFreeCase(ctx, 'topK.gradient', async () => {
      // Distinct values, well apart, so the selection does not change under the finite differences.
      const x = tensor(Array.from({ length: 24 }, (_, i) => ((i * 5) % 24) * 0.3 - 3), [2, 3, 4]);
      await checkGradients((t) => topK(t, 2).values, [x]);
      await checkGradients((t) => topK(t, 4).values, [x]);
      const g = grad((t) => sum(topK(t, 2).values))([[1, 9, 5], [7, 2, 3]]);
      await expectTensor(g, [[0, 1, 1], [1, 0, 1]]);
      free(x, g);
    });

    leakFreeCase(ctx, 'scan.op-and-gradient-no-leaks', async () => {
      const x = tensor(randomValues(12, 4), [3, 4]);
      const ops: ((t: Tensor) => Tensor)[] = [(t) => cumsum(t, 1, true, true), (t) => topK(t, 2).values];
      for (const op of ops) {
        const y = tidy(() => op(x));
        const g = grad((t) => op(t))(x);
        await y.data();
        await g.data();
        free(y, g);
      }
      const { values, indices } = topK(x, 3);
      free(x, values, indices);
    });
  });
}

import { expect } from 'chai';
import { activeEngine, gather, grad, oneHot, scatterAdd, sum, mul, tensor, tidy, type Tensor } from '@strata/core';
import { checkGradients, conformanceCase, expectClose, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { build, ravel, sizeOfShape } from './host-index.js';
import { expectOpError } from './case-helpers.js';

/** A case that must also leave no tensor or buffer behind. */
function leakFreeCase(ctx: SuiteContext, id: string, fn: () => Promise<void> | void): void {
  conformanceCase(ctx, id, () => expectNoLeaks(fn));
}

function free(...ts: (Tensor | Tensor[])[]): void {
  for (const t of ts.flat()) t.dispose();
}

/** Reference gather along `axis`: output index = x index with the axis entry replaced by `indices[...]`. */
function refGather(values: ArrayLike<number>, shape: readonly number[], indices: readonly number[], indicesShape: readonly number[], axis: number): { values: number[]; shape: number[] } {
  const outShape = [...shape.slice(0, axis), ...indicesShape, ...shape.slice(axis + 1)];
  const k = indicesShape.length;
  const out = build(outShape, (idx) => {
    const which = indices[ravel(idx.slice(axis, axis + k), indicesShape)]!;
    const src = [...idx.slice(0, axis), which, ...idx.slice(axis + k)];
    return values[ravel(src, shape)]!;
  });
  return { values: out, shape: outShape };
}

/** Reference scatter-add along axis 0: `out[indices[i], ...] += updates[i, ...]`. */
function refScatterAdd(indices: readonly number[], updates: ArrayLike<number>, shape: readonly number[]): number[] {
  const row = sizeOfShape(shape.slice(1));
  const out = new Array<number>(sizeOfShape(shape)).fill(0);
  indices.forEach((r, i) => {
    for (let j = 0; j < row; j++) out[r * row + j] += updates[i * row + j]!;
  });
  return out;
}

/** Checks an out-of-range index: an error naming it on engines that read synchronously. */
function expectRangeCheck(fn: () => Tensor, op: string, bad: number): void {
  if (activeEngine().engine.capabilities.readSync) {
    expectOpError(fn, op, 'indices', `index ${bad}`);
  } else {
    // Documented: without synchronous reads the check is skipped and the op does not throw.
    fn().dispose();
  }
}

export function gatherCases(ctx: SuiteContext): void {
  describe('gather', () => {
    leakFreeCase(ctx, 'gather.golden', async () => {
      const x = tensor([[1, 2], [3, 4], [5, 6]]);
      const rows = gather(x, [2, 0]);
      await expectTensor(rows, [[5, 6], [1, 2]], { shape: [2, 2], dtype: 'float32' });
      const repeated = gather(x, [1, 1, 1]);
      await expectTensor(repeated, [[3, 4], [3, 4], [3, 4]], { shape: [3, 2] });
      const cols = gather(x, [[1], [0]], 1);
      await expectTensor(cols, [[[2], [1]], [[4], [3]], [[6], [5]]], { shape: [3, 2, 1] });
      const negAxis = gather(x, [1], -1);
      await expectTensor(negAxis, [[2], [4], [6]], { shape: [3, 1] });
      const scalarIndex = gather(x, 1);
      await expectTensor(scalarIndex, [3, 4], { shape: [2] });
      const noIndices = tensor([], [0], 'int32');
      const none = gather(x, noIndices);
      await expectTensor(none, [], { shape: [0, 2] });
      free(x, rows, repeated, cols, negAxis, scalarIndex, noIndices, none);
    });

    leakFreeCase(ctx, 'gather.random', async () => {
      const shape = [3, 4, 5];
      const values = randomValues(60, 31);
      const x = tensor(values, shape);
      const cases: [number[], number[], number][] = [
        [[2, 0, 2, 1], [2, 2], 0], [[3, 0, 0], [3], 1], [[4, 1, 0, 4, 2, 3], [3, 1, 2], 2], [[1], [], -2],
      ];
      for (const [idx, idxShape, axis] of cases) {
        const i = tensor(idx, idxShape, 'int32');
        const y = gather(x, i, axis);
        const ref = refGather(values, shape, idx, idxShape, axis < 0 ? axis + 3 : axis);
        await expectTensor(y, ref.values, { shape: ref.shape });
        free(i, y);
      }
      x.dispose();
    });

    leakFreeCase(ctx, 'gather.dtypes', async () => {
      const ints = tensor([10, 20, 30], undefined, 'int32');
      const gi = gather(ints, [2, 0]);
      await expectTensor(gi, [30, 10], { dtype: 'int32' });
      const bools = tensor([true, false]);
      const gb = gather(bools, [1, 0, 0]);
      await expectTensor(gb, [0, 1, 1], { dtype: 'bool' });
      const typed = gather(ints, new Int32Array([1]));
      await expectTensor(typed, [20], { dtype: 'int32' });
      free(ints, gi, bools, gb, typed);
    });

    conformanceCase(ctx, 'gather.errors', () => {
      const x = tensor([[1, 2], [3, 4], [5, 6]]);
      const floats = tensor([0, 1]);
      const s = tensor(1);
      const bad = tensor([0, 3], undefined, 'int32');
      const negative = tensor([-1], undefined, 'int32');
      expectOpError(() => gather(x, floats), 'gather', 'indices', 'float32');
      expectOpError(() => gather(x, [0.5]), 'gather', 'indices', '0.5');
      expectOpError(() => gather(x, [0], 2), 'gather', 'axis', '2');
      expectOpError(() => gather(s, [0]), 'gather', 'x', 'scalar');
      expectRangeCheck(() => gather(x, bad), 'gather', 3);
      expectRangeCheck(() => gather(x, negative), 'gather', -1);
      expectRangeCheck(() => gather(x, bad, 1), 'gather', 3);
      if (activeEngine().engine.capabilities.readSync) {
        let message = '';
        try { gather(x, bad); } catch (e) { message = (e as Error).message; }
        expect(message, 'names the valid range').to.contain('[0, 2]');
      }
      free(x, floats, s, bad, negative);
    });

    leakFreeCase(ctx, 'gather.gradient', async () => {
      // Repeated indices: their gradients accumulate in the same row.
      const x = tensor(randomValues(12, 3), [4, 3]);
      const idx = tensor([[3, 0], [3, 3]], undefined, 'int32');
      await checkGradients((t) => gather(t, idx), [x]);
      const colIdx = tensor([[2, 0], [2, 2]], undefined, 'int32');
      await checkGradients((t) => gather(t, colIdx, 1), [x]);
      const g = grad((t) => sum(gather(t, [1, 1, 2])))([5, 6, 7]);
      await expectTensor(g, [0, 2, 1]);
      free(x, idx, colIdx, g);
    });
  });

  describe('oneHot', () => {
    leakFreeCase(ctx, 'oneHot.golden', async () => {
      const a = oneHot([0, 2, 1], 3);
      await expectTensor(a, [[1, 0, 0], [0, 0, 1], [0, 1, 0]], { shape: [3, 3], dtype: 'float32' });
      const b = oneHot([[0], [3]], 4, 5, -1);
      await expectTensor(b, [[[5, -1, -1, -1]], [[-1, -1, -1, 5]]], { shape: [2, 1, 4] });
      const scalar = oneHot(1, 2);
      await expectTensor(scalar, [0, 1], { shape: [2] });
      const i10 = tensor([1, 0], undefined, 'int32');
      const ints = oneHot(i10, 2, 1, 0, 'int32');
      await expectTensor(ints, [[0, 1], [1, 0]], { dtype: 'int32' });
      free(a, b, scalar, i10, ints);
    });

    leakFreeCase(ctx, 'oneHot.out-of-range', async () => {
      // As in TensorFlow: an index outside [0, depth) gives a row of offValue.
      const y = oneHot([3, -1, 1, 100], 3, 1, 0.25);
      await expectTensor(y, [[0.25, 0.25, 0.25], [0.25, 0.25, 0.25], [0.25, 1, 0.25], [0.25, 0.25, 0.25]], { shape: [4, 3] });
      const noIndices = tensor([], [0], 'int32');
      const empty = oneHot(noIndices, 3);
      await expectTensor(empty, [], { shape: [0, 3] });
      const depth0 = oneHot([0, 1], 0);
      await expectTensor(depth0, [], { shape: [2, 0] });
      free(y, noIndices, empty, depth0);
    });

    conformanceCase(ctx, 'oneHot.errors', () => {
      const floats = tensor([0, 1]);
      expectOpError(() => oneHot([0], 2.5), 'oneHot', 'depth', '2.5');
      expectOpError(() => oneHot([0], -1), 'oneHot', 'depth', '-1');
      expectOpError(() => oneHot(floats, 2), 'oneHot', 'indices', 'float32');
      expectOpError(() => oneHot([1.5], 2), 'oneHot', 'indices', '1.5');
      floats.dispose();
    });
  });

  describe('scatterAdd', () => {
    leakFreeCase(ctx, 'scatterAdd.golden', async () => {
      const u = tensor([[1, 1], [2, 2], [3, 3]]);
      const y = scatterAdd([0, 2, 0], u, [3, 2]);
      await expectTensor(y, [[4, 4], [0, 0], [2, 2]], { shape: [3, 2], dtype: 'float32' });
      const ones = tensor([1, 1, 1, 1], undefined, 'int32');
      const counts = scatterAdd([1, 3, 1, 1], ones, [5]);
      await expectTensor(counts, [0, 3, 0, 1, 0], { dtype: 'int32' });
      const nested = scatterAdd([[0, 1], [1, 1]], [[10, 20], [30, 40]], [2]);
      await expectTensor(nested, [10, 90], { shape: [2] });
      const noIndices = tensor([], [0], 'int32');
      const noUpdates = tensor([], [0, 2]);
      const none = scatterAdd(noIndices, noUpdates, [2, 2]);
      await expectTensor(none, [0, 0, 0, 0], { shape: [2, 2] });
      free(u, y, ones, counts, nested, noIndices, noUpdates, none);
    });

    leakFreeCase(ctx, 'scatterAdd.random-and-adjoint', async () => {
      const shape = [6, 4];
      const idx = [5, 0, 2, 5, 5, 1, 0];
      const updates = randomValues(idx.length * 4, 13);
      const i = tensor(idx, [7], 'int32');
      const u = tensor(updates, [7, 4]);
      const y = scatterAdd(i, u, shape);
      await expectTensor(y, refScatterAdd(idx, updates, shape), { shape });
      // Adjoint of gather: <gather(x, i), u> = <x, scatterAdd(i, u)>.
      const x = tensor(randomValues(24, 14), shape);
      const lhs = tidy(() => sum(mul(gather(x, i), u)));
      const rhs = tidy(() => sum(mul(x, y)));
      expectClose(await lhs.data(), await rhs.data(), { atol: 1e-4, rtol: 1e-4 }, 'adjoint');
      free(i, u, y, x, lhs, rhs);
    });

    conformanceCase(ctx, 'scatterAdd.errors', () => {
      const u = tensor([[1, 1], [2, 2]]);
      const bools = tensor([true, false]);
      const bad = tensor([0, 4], undefined, 'int32');
      expectOpError(() => scatterAdd([0, 1], u, [3, 3]), 'scatterAdd', 'updates', '[2, 2]');
      expectOpError(() => scatterAdd([0, 1, 2], u, [3, 2]), 'scatterAdd', 'updates', '[2, 2]');
      expectOpError(() => scatterAdd([0, 1], bools, [2]), 'scatterAdd', 'updates', 'bool');
      expectOpError(() => scatterAdd([0, 1], u, []), 'scatterAdd', 'shape', '[]');
      expectOpError(() => scatterAdd([0, 1], u, [2, -2]), 'scatterAdd', 'shape', '-2');
      expectRangeCheck(() => scatterAdd(bad, u, [4, 2]), 'scatterAdd', 4);
      free(u, bools, bad);
    });

    leakFreeCase(ctx, 'scatterAdd.gradient', async () => {
      const u = tensor(randomValues(12, 8), [4, 3]);
      const i = tensor([2, 0, 2, 1], undefined, 'int32');
      await checkGradients((t) => scatterAdd(i, t, [3, 3]), [u]);
      free(u, i);
    });

    leakFreeCase(ctx, 'gather.op-and-gradient-no-leaks', async () => {
      const x = tensor(randomValues(12, 9), [4, 3]);
      const i = tensor([3, 1, 3], undefined, 'int32');
      const ops: ((t: Tensor) => Tensor)[] = [
        (t) => gather(t, i), (t) => gather(t, [2, 0], 1), (t) => scatterAdd(i, gather(t, i), [4, 3]),
        (t) => mul(oneHot([1, 2, 0, 1], 3), t),
      ];
      for (const op of ops) {
        const y = tidy(() => op(x));
        const g = grad((t) => op(t))(x);
        await y.data();
        await g.data();
        free(y, g);
      }
      free(x, i);
    });
  });
}

import { expect } from 'chai';
import {
  clone, eye, fill, ones, onesLike, range, tensor, zeros, zerosLike, type DType, type Tensor,
} from '@strata/core';
import { conformanceCase, expectNoLeaks, expectTensor, type SuiteContext } from '../harness.js';
import { expectDisposed, expectOpError } from './case-helpers.js';

/** Reads a tensor, disposes it, and returns its nested values. */
async function arrayOf(t: Tensor): Promise<unknown> {
  try {
    return await t.array();
  } finally {
    t.dispose();
  }
}

/** The identity pattern of a `rows x cols` matrix, repeated `batch` times (reference for `eye`). */
function identityValues(rows: number, cols: number, batch = 1): number[] {
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.push(i === j ? 1 : 0);
  }
  return out;
}

/**
 * Cases for the creation ops: `tensor` (inference, explicit shape/dtype, ragged input, a single
 * value filling a shape), `zeros`/`ones`/`fill`/`zerosLike`/`onesLike`, `range`, `eye`, `clone`,
 * and reading values back with `array()`.
 *
 * @example
 * describe('creation', () => creationCases(ctx));
 */
export function creationCases(ctx: SuiteContext): void {
  describe('tensor', () => {
    conformanceCase(ctx, 'tensor.scalar', async () => {
      const t = tensor(3.5);
      expect(t.rank).to.equal(0);
      expect(t.size).to.equal(1);
      await expectTensor(t, [3.5], { shape: [], dtype: 'float32' });
      expect(await arrayOf(t)).to.equal(3.5);
      expect(await arrayOf(tensor(true))).to.equal(true);
      expect(await arrayOf(tensor(-7, [], 'int32'))).to.equal(-7);
    });

    conformanceCase(ctx, 'tensor.nested-numbers', async () => {
      const t = tensor([[1, 2, 3], [4, 5, 6]]);
      expect([...t.shape]).to.deep.equal([2, 3]);
      expect(t.dtype).to.equal('float32');
      expect(await arrayOf(t)).to.deep.equal([[1, 2, 3], [4, 5, 6]]);
      const t3 = tensor([[[1], [2]], [[3], [4]], [[5], [6]]]);
      expect([...t3.shape]).to.deep.equal([3, 2, 1]);
      expect(await arrayOf(t3)).to.deep.equal([[[1], [2]], [[3], [4]], [[5], [6]]]);
    });

    conformanceCase(ctx, 'tensor.nested-booleans', async () => {
      const t = tensor([[true, false], [false, true]]);
      expect(t.dtype).to.equal('bool');
      await expectTensor(t, [1, 0, 0, 1], { shape: [2, 2], dtype: 'bool' });
      expect(await arrayOf(t)).to.deep.equal([[true, false], [false, true]]);
    });

    conformanceCase(ctx, 'tensor.typed-arrays', async () => {
      const f = tensor(new Float32Array([0.5, -1.25, 3]));
      await expectTensor(f, [0.5, -1.25, 3], { shape: [3], dtype: 'float32' });
      const i = tensor(new Int32Array([7, -8]));
      await expectTensor(i, [7, -8], { shape: [2], dtype: 'int32' });
      const b = tensor(new Uint8Array([1, 0, 1]));
      await expectTensor(b, [1, 0, 1], { shape: [3], dtype: 'bool' });
      expect(await arrayOf(b)).to.deep.equal([true, false, true]);
      [f, i, b].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'tensor.explicit-shape', async () => {
      const t = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
      expect(await arrayOf(t)).to.deep.equal([[1, 2], [3, 4], [5, 6]]);
      const u = tensor(new Float32Array([1, 2, 3, 4]), [2, 1, 2]);
      expect(await arrayOf(u)).to.deep.equal([[[1, 2]], [[3, 4]]]);
      // A nested input may be given a different shape with the same size.
      const v = tensor([[1, 2], [3, 4]], [4]);
      await expectTensor(v, [1, 2, 3, 4], { shape: [4] });
      v.dispose();
    });

    conformanceCase(ctx, 'tensor.explicit-dtype', async () => {
      // To int32 truncates toward zero, as cast does.
      const i = tensor([1.7, -1.7, 2, -0.2], undefined, 'int32');
      await expectTensor(i, [1, -1, 2, 0], { dtype: 'int32', shape: [4] });
      const b = tensor([0, 2, -1, 0.5], undefined, 'bool');
      await expectTensor(b, [0, 1, 1, 1], { dtype: 'bool' });
      const f = tensor([true, false], undefined, 'float32');
      await expectTensor(f, [1, 0], { dtype: 'float32' });
      const fromInt = tensor(new Int32Array([3, -4]), [2], 'float32');
      await expectTensor(fromInt, [3, -4], { dtype: 'float32' });
      const boolToInt = tensor([true, false, true], [3], 'int32');
      await expectTensor(boolToInt, [1, 0, 1], { dtype: 'int32' });
      [i, b, f, fromInt, boolToInt].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'tensor.single-value-fills-shape', async () => {
      const a = tensor(7, [2, 3]);
      await expectTensor(a, [7, 7, 7, 7, 7, 7], { shape: [2, 3], dtype: 'float32' });
      const b = tensor([2.5], [2, 2]);
      await expectTensor(b, [2.5, 2.5, 2.5, 2.5], { shape: [2, 2] });
      const c = tensor(true, [3]);
      await expectTensor(c, [1, 1, 1], { shape: [3], dtype: 'bool' });
      const d = tensor(-3, [2], 'int32');
      await expectTensor(d, [-3, -3], { shape: [2], dtype: 'int32' });
      const e = tensor(1, [0, 4]);
      await expectTensor(e, [], { shape: [0, 4] });
      [a, b, c, d, e].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'tensor.size-zero', async () => {
      const a = tensor([]);
      await expectTensor(a, [], { shape: [0], dtype: 'float32' });
      expect(await arrayOf(a)).to.deep.equal([]);
      const b = tensor([[], []]);
      expect([...b.shape]).to.deep.equal([2, 0]);
      expect(await arrayOf(b)).to.deep.equal([[], []]);
      const c = tensor([], [3, 0, 2], 'int32');
      expect([...c.shape]).to.deep.equal([3, 0, 2]);
      expect(c.size).to.equal(0);
      expect(await arrayOf(c)).to.deep.equal([[], [], []]);
    });

    conformanceCase(ctx, 'tensor.ragged-names-path', () => {
      expectOpError(() => tensor([[1, 2], [3]]), 'tensor', 'values', 'length 1 at values[1]', 'expected length 2', '[2, 2]');
      expectOpError(() => tensor([[1, 2], 3] as never), 'tensor', 'values', 'number at values[1]');
      expectOpError(() => tensor([[[1], [2]], [[3], [4, 5]]]), 'tensor', 'values', 'length 2 at values[1][1]');
      expectOpError(() => tensor([[1, 2], [3, [4]]] as never), 'tensor', 'values', 'values[1][1]');
    });

    conformanceCase(ctx, 'tensor.shape-mismatch', async () => {
      await expectNoLeaks(() => {
        expectOpError(() => tensor([1, 2, 3], [2, 2]), 'tensor', 'shape', '[2, 2]', '4', '3');
        expectOpError(() => tensor([1, 2, 3, 4], [3]), 'tensor', 'shape', '[3]');
        expectOpError(() => tensor([1, 2], [-1, 2]), 'tensor', 'shape', '[-1,2]', 'non-negative integers');
        expectOpError(() => tensor([1, 2], [2.5]), 'tensor', 'shape', '[2.5]');
      });
    });

    conformanceCase(ctx, 'tensor.bad-values', () => {
      expectOpError(() => tensor(['a', 'b'] as never), 'tensor', 'values', 'string at flat index 0', 'numbers or booleans');
      const t = tensor([1]);
      expectOpError(() => tensor(t as never), 'tensor', 'values', 'a Tensor');
      t.dispose();
      expectOpError(() => tensor([1], undefined, 'float64' as DType), 'tensor', 'dtype', '"float64"', 'float32, int32, bool');
    });
  });

  describe('zeros, ones, fill', () => {
    conformanceCase(ctx, 'zeros.dtypes', async () => {
      const f = zeros([2, 3]);
      await expectTensor(f, [0, 0, 0, 0, 0, 0], { shape: [2, 3], dtype: 'float32' });
      const i = zeros([2], 'int32');
      await expectTensor(i, [0, 0], { dtype: 'int32' });
      const b = zeros([2], 'bool');
      await expectTensor(b, [0, 0], { dtype: 'bool' });
      const s = zeros([]);
      await expectTensor(s, [0], { shape: [] });
      const e = zeros([0, 5]);
      await expectTensor(e, [], { shape: [0, 5] });
      [f, i, b, s, e].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'ones.dtypes', async () => {
      const f = ones([3]);
      await expectTensor(f, [1, 1, 1], { shape: [3], dtype: 'float32' });
      const i = ones([1, 2], 'int32');
      await expectTensor(i, [1, 1], { shape: [1, 2], dtype: 'int32' });
      const b = ones([2], 'bool');
      expect(await arrayOf(b)).to.deep.equal([true, true]);
      [f, i].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'fill.values', async () => {
      const f = fill([2, 2], 7.5);
      await expectTensor(f, [7.5, 7.5, 7.5, 7.5], { shape: [2, 2], dtype: 'float32' });
      // Filling converts the value as cast would: int32 truncates toward zero, bool is x != 0.
      const i = fill([3], -2.9, 'int32');
      await expectTensor(i, [-2, -2, -2], { dtype: 'int32' });
      const b = fill([2], 3, 'bool');
      await expectTensor(b, [1, 1], { dtype: 'bool' });
      const big = fill([1], 256, 'bool');
      await expectTensor(big, [1], { dtype: 'bool' });
      const inf = fill([2], -Infinity);
      await expectTensor(inf, [-Infinity, -Infinity]);
      const nan = fill([1], NaN);
      await expectTensor(nan, [NaN]);
      const s = fill([], 4);
      await expectTensor(s, [4], { shape: [] });
      [f, i, b, big, inf, nan, s].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'fill.errors', () => {
      expectOpError(() => zeros([-1]), 'zeros', 'shape', '[-1]');
      expectOpError(() => ones([2, 0.5]), 'ones', 'shape', '[2,0.5]');
      expectOpError(() => fill([2], 'x' as never), 'fill', 'value', 'string');
      expectOpError(() => zeros([2], 'complex64' as DType), 'zeros', 'dtype', '"complex64"');
    });

    conformanceCase(ctx, 'zerosLike.onesLike', async () => {
      const x = tensor([[1, 2, 3]], undefined, 'int32');
      const z = zerosLike(x);
      await expectTensor(z, [0, 0, 0], { shape: [1, 3], dtype: 'int32' });
      const o = onesLike(x);
      await expectTensor(o, [1, 1, 1], { shape: [1, 3], dtype: 'int32' });
      const b = onesLike(tensor([false, false]));
      await expectTensor(b, [1, 1], { shape: [2], dtype: 'bool' });
      await expectNoLeaks(async () => {
        // Plain arrays are converted and freed again.
        const fromArray = zerosLike([[1.5], [2.5]]);
        await expectTensor(fromArray, [0, 0], { shape: [2, 1], dtype: 'float32' });
        fromArray.dispose();
      });
      [x, z, o, b].forEach((t) => t.dispose());
    });
  });

  describe('range', () => {
    conformanceCase(ctx, 'range.integers', async () => {
      await expectDisposed(range(5), [0, 1, 2, 3, 4], { shape: [5], dtype: 'float32' });
      await expectDisposed(range(2, 5), [2, 3, 4], { shape: [3] });
      await expectDisposed(range(-3, 3, 2), [-3, -1, 1], { shape: [3] });
      await expectDisposed(range(0, 10, 3, 'int32'), [0, 3, 6, 9], { shape: [4], dtype: 'int32' });
    });

    conformanceCase(ctx, 'range.negative-step', async () => {
      await expectDisposed(range(5, 0, -1), [5, 4, 3, 2, 1], { shape: [5] });
      await expectDisposed(range(3, -4, -3), [3, 0, -3], { shape: [3] });
      await expectDisposed(range(1, 0, -0.3), [1, 0.7, 0.4, 0.1], { shape: [4], atol: 1e-6 });
    });

    conformanceCase(ctx, 'range.fractional-step', async () => {
      await expectDisposed(range(0, 1, 0.25), [0, 0.25, 0.5, 0.75], { shape: [4] });
      // ceil((2 - 1) / 0.3) = 4 elements; the stop is exclusive.
      await expectDisposed(range(1, 2, 0.3), [1, 1.3, 1.6, 1.9], { shape: [4], atol: 1e-6 });
    });

    conformanceCase(ctx, 'range.empty', async () => {
      await expectDisposed(range(3, 3), [], { shape: [0] });
      await expectDisposed(range(5, 0), [], { shape: [0] });
      await expectDisposed(range(0, 5, -1), [], { shape: [0] });
      await expectDisposed(range(0), [], { shape: [0] });
    });

    conformanceCase(ctx, 'range.errors', () => {
      expectOpError(() => range(0, 5, 0), 'range', 'step', '0');
      expectOpError(() => range(0, 5, NaN), 'range', 'step', 'NaN');
      expectOpError(() => range(0, Infinity), 'range', 'start/stop', 'Infinity', 'finite');
    });
  });

  describe('eye', () => {
    conformanceCase(ctx, 'eye.square', async () => {
      await expectDisposed(eye(3), identityValues(3, 3), { shape: [3, 3], dtype: 'float32' });
      await expectDisposed(eye(1), [1], { shape: [1, 1] });
    });

    conformanceCase(ctx, 'eye.rectangular', async () => {
      await expectDisposed(eye(2, 3), [1, 0, 0, 0, 1, 0], { shape: [2, 3] });
      await expectDisposed(eye(3, 2), [1, 0, 0, 1, 0, 0], { shape: [3, 2] });
    });

    conformanceCase(ctx, 'eye.batched', async () => {
      await expectDisposed(eye(2, 2, [3]), identityValues(2, 2, 3), { shape: [3, 2, 2] });
      await expectDisposed(eye(2, 3, [2, 1]), identityValues(2, 3, 2), { shape: [2, 1, 2, 3] });
      await expectDisposed(eye(2, 2, [0]), [], { shape: [0, 2, 2] });
    });

    conformanceCase(ctx, 'eye.dtypes-and-empty', async () => {
      await expectDisposed(eye(2, 2, [], 'int32'), [1, 0, 0, 1], { shape: [2, 2], dtype: 'int32' });
      await expectDisposed(eye(2, 2, [], 'bool'), [1, 0, 0, 1], { dtype: 'bool' });
      await expectDisposed(eye(0), [], { shape: [0, 0] });
      await expectDisposed(eye(0, 3), [], { shape: [0, 3] });
    });

    conformanceCase(ctx, 'eye.errors', () => {
      expectOpError(() => eye(-1), 'eye', 'numRows/numColumns', '-1');
      expectOpError(() => eye(2, 2.5), 'eye', 'numRows/numColumns', '2.5');
      expectOpError(() => eye(2, 2, [-1]), 'eye', 'batchShape', '[-1]');
    });
  });

  describe('clone', () => {
    conformanceCase(ctx, 'clone.independent-handle', async () => {
      const a = tensor([[1, 2], [3, 4]], undefined, 'int32');
      const b = clone(a);
      expect(b).to.not.equal(a);
      expect(b.id).to.not.equal(a.id);
      a.dispose();
      expect(b.isDisposed).to.equal(false);
      await expectTensor(b, [1, 2, 3, 4], { shape: [2, 2], dtype: 'int32' });
      b.dispose();
    });

    conformanceCase(ctx, 'clone.plain-values', async () => {
      await expectNoLeaks(async () => {
        const c = clone([true, false]);
        await expectTensor(c, [1, 0], { shape: [2], dtype: 'bool' });
        c.dispose();
      });
    });
  });

  describe('array', () => {
    conformanceCase(ctx, 'array.nesting-and-scalars', async () => {
      const values = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]];
      expect(await arrayOf(tensor(values, undefined, 'int32'))).to.deep.equal(values);
      expect(await arrayOf(tensor([[0.5]]))).to.deep.equal([[0.5]]);
      expect(await arrayOf(tensor(2, []))).to.equal(2);
      expect(await arrayOf(tensor(false))).to.equal(false);
      expect(await arrayOf(tensor([true], []))).to.equal(true);
    });
  });
}

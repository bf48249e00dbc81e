import { expect } from 'chai';
import { add, cast, grad, grads, mul, sum, tensor, where, type DType } from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, type SuiteContext } from '../harness.js';
import { expectDisposed, expectOpError } from './case-helpers.js';

/**
 * Cases for `where` (broadcasting of all three operands, dtype promotion, the condition's dtype,
 * gradients to both branches) and `cast` (truncation, bool conversions, NaN, gradients).
 *
 * @example
 * describe('where and cast', () => whereCastCases(ctx));
 */
export function whereCastCases(ctx: SuiteContext): void {
  describe('where', () => {
    conformanceCase(ctx, 'where.golden', async () => {
      const c = tensor([true, false, true, false]);
      await expectDisposed(where(c, [1, 2, 3, 4], [9, 8, 7, 6]), [1, 8, 3, 6], { shape: [4], dtype: 'float32' });
      // NaN in the branch not taken does not leak through.
      await expectDisposed(where(c, [NaN, NaN, 0, 0], [5, 5, NaN, NaN]), [NaN, 5, 0, NaN]);
      c.dispose();
    });

    conformanceCase(ctx, 'where.broadcast-all-three', async () => {
      const cond = tensor([[true], [false]]);
      // condition [2, 1], a [1, 3], b [] -> [2, 3]
      await expectDisposed(where(cond, [[1, 2, 3]], 0), [[1, 2, 3], [0, 0, 0]], { shape: [2, 3] });
      // condition [3], a [2, 1], b [1] -> [2, 3]
      const c3 = tensor([true, false, true]);
      await expectDisposed(where(c3, [[1], [2]], [-1]), [[1, -1, 1], [2, -1, 2]], { shape: [2, 3] });
      // condition [] (rank 0) picks a whole branch.
      const scalarCond = tensor(false);
      await expectDisposed(where(scalarCond, [1, 2], [3, 4]), [3, 4], { shape: [2] });
      // Size-0 broadcast.
      await expectDisposed(where(cond, [[], []] as number[][], 1), [], { shape: [2, 0] });
      [cond, c3, scalarCond].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'where.dtype-promotion', async () => {
      const c = tensor([true, false]);
      const i = tensor([1, 2], [2], 'int32');
      const j = tensor([7, 8], [2], 'int32');
      await expectDisposed(where(c, i, [0.5, 0.5]), [1, 0.5], { dtype: 'float32' });
      await expectDisposed(where(c, i, j), [1, 8], { dtype: 'int32' });
      // A plain number takes the other branch's dtype.
      await expectDisposed(where(c, i, 5), [1, 5], { dtype: 'int32' });
      await expectDisposed(where(c, 5, i), [5, 2], { dtype: 'int32' });
      await expectDisposed(where(c, 1, 2), [1, 2], { dtype: 'float32' });
      await expectDisposed(where(c, [true, true], [false, false]), [1, 0], { dtype: 'bool' });
      await expectDisposed(where(c, [true, true], i), [1, 2], { dtype: 'int32' });
      [c, i, j].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'where.errors', async () => {
      await expectNoLeaks(() => {
        expectOpError(() => where([1, 0], [1, 2], [3, 4]), 'where', 'condition', 'dtype float32', 'bool');
        const ic = tensor([1, 0], [2], 'int32');
        expectOpError(() => where(ic, [1, 2], [3, 4]), 'where', 'condition', 'dtype int32');
        ic.dispose();
        expectOpError(() => where([true, false], [1, 2, 3], [1, 2]), 'where', 'a', '[2]', '[3]');
        expectOpError(() => where([true, false], [1, 2], [1, 2, 3]), 'where', 'b', '[2]', '[3]');
      });
    });

    conformanceCase(ctx, 'where.gradient', async () => {
      const cond = tensor([true, false, false, true]);
      const a = tensor([0.5, -1, 2, 3]);
      const b = tensor([1.5, 2.5, -0.5, 4]);
      await checkGradients((x, y) => where(cond, x, y), [a, b]);
      // dy goes to a where the condition holds and to b elsewhere.
      const [ga, gb] = grads((x, y) => where(cond, x, y))([a, b], [10, 20, 30, 40]);
      await expectDisposed(ga!, [10, 0, 0, 40]);
      await expectDisposed(gb!, [0, 20, 30, 0]);
      [cond, a, b].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'where.gradient-broadcast', async () => {
      const cond = tensor([[true, false, true], [false, false, true]]);
      const a = tensor([0.5, -1, 2]);
      const b = tensor([[1.5], [-2]]);
      await checkGradients((x, y) => where(cond, x, y), [a, b]);
      const [ga, gb] = grads((x, y) => sum(where(cond, x, y)))([a, b]);
      await expectDisposed(ga!, [1, 0, 2], { shape: [3] });
      await expectDisposed(gb!, [[1], [2]], { shape: [2, 1] });
      [cond, a, b].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'where.no-leaks', async () => {
      const a = tensor([1, 2]);
      await expectNoLeaks(async () => {
        const y = where([true, false], a, [5, 6]);
        await y.data();
        y.dispose();
        const g = grad((x) => where([false, true], x, 0))(a);
        await g.data();
        g.dispose();
      });
      a.dispose();
    });
  });

  describe('cast', () => {
    conformanceCase(ctx, 'cast.float-to-int32-truncates', async () => {
      await expectDisposed(cast([1.7, -1.7, 2.5, -0.5, 0, 3, -2.9999], 'int32'), [1, -1, 2, 0, 0, 3, -2], { dtype: 'int32', shape: [7] });
      await expectDisposed(cast([NaN], 'int32'), [0], { dtype: 'int32' });
      await expectDisposed(cast([16777216, -1e6], 'int32'), [16777216, -1000000], { dtype: 'int32' });
    });

    conformanceCase(ctx, 'cast.to-bool', async () => {
      await expectDisposed(cast([0, -0, 2, -0.5, NaN, Infinity], 'bool'), [0, 0, 1, 1, 1, 1], { dtype: 'bool' });
      const i = tensor([0, 3, -1], [3], 'int32');
      await expectDisposed(cast(i, 'bool'), [0, 1, 1], { dtype: 'bool' });
      i.dispose();
    });

    conformanceCase(ctx, 'cast.from-bool-and-int', async () => {
      const b = tensor([true, false, true]);
      await expectDisposed(cast(b, 'float32'), [1, 0, 1], { dtype: 'float32' });
      await expectDisposed(cast(b, 'int32'), [1, 0, 1], { dtype: 'int32' });
      const i = tensor([-5, 0, 123456], [3], 'int32');
      await expectDisposed(cast(i, 'float32'), [-5, 0, 123456], { dtype: 'float32' });
      [b, i].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'cast.same-dtype-new-handle', async () => {
      for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
        const x = tensor([1, 0], [2], dtype);
        const y = cast(x, dtype);
        expect(y).to.not.equal(x);
        x.dispose();
        await expectDisposed(y, [1, 0], { dtype, shape: [2] });
      }
    });

    conformanceCase(ctx, 'cast.shapes', async () => {
      await expectDisposed(cast([[1.5, 2.5]], 'int32'), [[1, 2]], { shape: [1, 2], dtype: 'int32' });
      const s = tensor(7.9);
      await expectDisposed(cast(s, 'int32'), [7], { shape: [], dtype: 'int32' });
      const e = tensor([], [0, 2]);
      await expectDisposed(cast(e, 'bool'), [], { shape: [0, 2], dtype: 'bool' });
      [s, e].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'cast.errors', () => {
      expectOpError(() => cast([1], 'string' as DType), 'cast', 'dtype', '"string"');
    });

    conformanceCase(ctx, 'cast.gradient', async () => {
      const x = tensor([0.5, -1.5, 2]);
      // float32 -> float32 is the identity, gradient 1.
      await checkGradients((t) => mul(cast(t, 'float32'), 3), [x]);
      const g = grad((t) => mul(cast(t, 'float32'), 3))(x);
      await expectDisposed(g, [3, 3, 3]);
      // Through int32 the value is piecewise constant: no gradient flows that way.
      const h = grad((t) => add(cast(cast(t, 'int32'), 'float32'), t))(x);
      await expectDisposed(h, [1, 1, 1]);
      const k = grad((t) => cast(cast(t, 'bool'), 'float32'))(x);
      await expectDisposed(k, [0, 0, 0]);
      x.dispose();
    });

    conformanceCase(ctx, 'cast.no-leaks', async () => {
      await expectNoLeaks(async () => {
        const y = cast([1.5, 2.5], 'int32');
        await y.data();
        y.dispose();
        const g = grad((t) => cast(t, 'float32'))([1, 2]);
        g.dispose();
      });
    });
  });
}

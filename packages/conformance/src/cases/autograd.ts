import { expect } from 'chai';
import {
  StrataError, Variable, add, argMax, broadcastTo, cast, clip, clone, customGrad, exp, grad, grads,
  mul, ones, reshape, runKernel1, sin, square, stopGradient, sub, sum, tanh, tensor, tile,
  valueAndGrad, valueAndGrads, variable, variableGrads, zeros, type Tensor,
} from '@strata/core';
import { checkGradients, conformanceCase, expectClose, expectNoLeaks, expectTensor, type SuiteContext } from '../harness.js';
import { expectDisposed, expectStrataError } from './case-helpers.js';

/** A gradient clipper: the identity forward, with its incoming gradient clipped to [-1, 1]. */
const clipGradient = customGrad((x: Tensor, save: (saved: Tensor[]) => void) => {
  save([x]);
  return { value: clone(x), gradFunc: (dy: Tensor) => clip(dy, -1, 1) };
});

/**
 * Cases for autograd: `grad`, `grads`, `valueAndGrad(s)`, `variableGrads`, `customGrad`,
 * `stopGradient`, the chain rule through a composite, accumulation over several uses,
 * zero gradients for unrelated inputs, `dy`, gradients through layout ops, error paths, and
 * `Variable.assign`.
 *
 * @example
 * describe('autograd', () => autogradCases(ctx));
 */
export function autogradCases(ctx: SuiteContext): void {
  describe('gradient functions', () => {
    conformanceCase(ctx, 'grad.basic', async () => {
      await expectDisposed(grad((x) => square(x))(tensor([3, -2])), [6, -4], { shape: [2], dtype: 'float32' });
      // A plain-array argument is converted and freed.
      await expectNoLeaks(async () => {
        await expectDisposed(grad((x) => mul(x, x))([1.5]), [3], { shape: [1] });
      });
      // A scalar result of a scalar input.
      await expectDisposed(grad((x) => exp(x))(0), [1], { shape: [] });
    });

    conformanceCase(ctx, 'grads.basic', async () => {
      const a = tensor([2, 3]);
      const b = tensor([5, 7]);
      const [ga, gb] = grads((x, y) => mul(x, y))([a, b]);
      await expectDisposed(ga!, [5, 7]);
      await expectDisposed(gb!, [2, 3]);
      [a, b].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'valueAndGrad.basic', async () => {
      const x = tensor([1, 2, 3]);
      const { value, grad: g } = valueAndGrad((t) => sum(square(t)))(x);
      await expectDisposed(value, [14], { shape: [] });
      await expectDisposed(g, [2, 4, 6], { shape: [3] });
      x.dispose();
    });

    conformanceCase(ctx, 'valueAndGrads.basic', async () => {
      const a = tensor([[1, 2]]);
      const b = tensor([[3], [4]]);
      const { value, grads: [ga, gb] } = valueAndGrads((x, y) => sum(mul(x, y)))([a, b]);
      // sum over the [2, 2] broadcast of a_j * b_i.
      await expectDisposed(value, [21], { shape: [] });
      await expectDisposed(ga!, [[7, 7]], { shape: [1, 2] });
      await expectDisposed(gb!, [[3], [3]], { shape: [2, 1] });
      [a, b].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'grad.dy', async () => {
      const x = tensor([1, 2]);
      await expectDisposed(grad((t) => mul(t, 3))(x, [1, -2]), [3, -6]);
      const dy = tensor([[1, 0], [2, 1]]);
      const [gx] = grads((t) => mul(t, tensor([[1], [10]])))([x], dy);
      // d/dx_j sum_i dy_ij * x_j * w_i = sum_i dy_ij w_i
      await expectDisposed(gx!, [21, 10], { shape: [2] });
      const { value, grad: g } = valueAndGrad((t) => square(t))(x, [0.5, 0.5]);
      await expectDisposed(value, [1, 4]);
      await expectDisposed(g, [1, 2]);
      [x, dy].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'grad.chain-rule-composite', async () => {
      // f = sum(tanh(x w)^2): df/dx = 2 tanh(xw) (1 - tanh(xw)^2) w, and symmetrically for w.
      const xs = [0.3, -0.8, 1.1, 0.05];
      const ws = [0.7, 0.4, -0.9, 2];
      const x = tensor(xs);
      const w = tensor(ws);
      const [gx, gw] = grads((a, b) => sum(square(tanh(mul(a, b)))))([x, w]);
      const xf = Array.from(Float32Array.from(xs));
      const wf = Array.from(Float32Array.from(ws));
      const common = xf.map((xi, i) => {
        const t = Math.tanh(xi * wf[i]!);
        return 2 * t * (1 - t * t);
      });
      await expectDisposed(gx!, common.map((c, i) => c * wf[i]!), { rtol: 1e-5, atol: 1e-6 });
      await expectDisposed(gw!, common.map((c, i) => c * xf[i]!), { rtol: 1e-5, atol: 1e-6 });
      await checkGradients((a, b) => square(tanh(mul(a, b))), [x, w]);
      [x, w].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'grad.accumulates-over-uses', async () => {
      const x = tensor([0.5, -1, 2]);
      // d/dx (x*x + x) = 2x + 1
      await expectDisposed(grad((t) => add(mul(t, t), t))(x), [2, -1, 5]);
      // Two paths through different ops: d/dx e^x sin x = e^x (sin x + cos x)
      const ref = [0.5, -1, 2].map((v) => Math.exp(v) * (Math.sin(v) + Math.cos(v)));
      await expectDisposed(grad((t) => mul(exp(t), sin(t)))(x), ref, { rtol: 1e-5 });
      // The same tensor as both operands of one op.
      await expectDisposed(grad((t) => sub(mul(t, 3), t))(x), [2, 2, 2]);
      x.dispose();
    });

    conformanceCase(ctx, 'grad.unrelated-inputs-get-zeros', async () => {
      const a = tensor([1, 2]);
      const b = tensor([[3, 4, 5]]);
      const i = tensor([1, 2], [2], 'int32');
      const [ga, gb, gi] = grads((x) => square(x))([a, b, i]);
      await expectDisposed(ga!, [2, 4]);
      await expectDisposed(gb!, [[0, 0, 0]], { shape: [1, 3], dtype: 'float32' });
      await expectDisposed(gi!, [0, 0], { shape: [2], dtype: 'float32' });
      // An int32 input that the result does depend on still gets no gradient (it is not continuous).
      const [ga2, gi2] = grads((x, k) => mul(x, cast(k, 'float32')))([a, i]);
      await expectDisposed(ga2!, [1, 2]);
      await expectDisposed(gi2!, [0, 0], { dtype: 'float32' });
      [a, b, i].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'grad.identity-function', async () => {
      const x = tensor([1, 2]);
      await expectDisposed(grad((t) => t)(x), [1, 1]);
      await expectDisposed(grad((t) => t)(x, [3, 4]), [3, 4]);
      expect(x.isDisposed).to.equal(false);
      x.dispose();
    });

    conformanceCase(ctx, 'grad.results-are-independent-handles', async () => {
      // Gradients that are the same values (here: dy itself, twice) must still be separate
      // tensors: disposing one, or the dy given, leaves the others intact.
      const a = tensor([1, 2]);
      const b = tensor([3, 4]);
      const dy = tensor([5, 6]);
      const [ga, gb] = grads((x, y) => add(x, y))([a, b], dy);
      expect(ga).to.not.equal(gb);
      expect(ga).to.not.equal(dy);
      ga!.dispose();
      dy.dispose();
      await expectDisposed(gb!, [5, 6]);
      const [gc, gd] = grads((x, y) => add(x, y))([a, b]);
      gc!.dispose();
      await expectDisposed(gd!, [1, 1]);
      // dy given as plain values is converted and freed; the gradient must survive that.
      const g = grad((x) => add(x, 1))(a, [7, 8]);
      await expectDisposed(g, [7, 8]);
      [a, b].forEach((t) => t.dispose());
    });
  });

  describe('variables', () => {
    conformanceCase(ctx, 'variableGrads.trainable-by-name', async () => {
      const w1 = variable(tensor([1, 2]), true, 'autograd_case_w1');
      const w2 = variable([[3]], true, 'autograd_case_w2');
      const frozen = variable(tensor([5, 5]), false, 'autograd_case_frozen');
      const unused = variable([9], true, 'autograd_case_unused');
      try {
        const { value, grads: g } = variableGrads(() => sum(mul(add(square(w1), frozen), w2)));
        // value = 3 * ((1 + 5) + (4 + 5)) = 45
        await expectDisposed(value, [45], { shape: [] });
        expect(Object.keys(g)).to.include.members(['autograd_case_w1', 'autograd_case_w2', 'autograd_case_unused']);
        expect(Object.keys(g)).to.not.include('autograd_case_frozen');
        await expectTensor(g.autograd_case_w1!, [6, 12], { shape: [2] });
        await expectTensor(g.autograd_case_w2!, [15], { shape: [1, 1] });
        await expectTensor(g.autograd_case_unused!, [0], { shape: [1] });
        Object.values(g).forEach((t) => t.dispose());
      } finally {
        [w1, w2, frozen, unused].forEach((v) => v.dispose());
      }
    });

    conformanceCase(ctx, 'variableGrads.explicit-list', async () => {
      const w = variable([2, 3], true, 'autograd_case_list_w');
      const frozen = variable([4, 5], false, 'autograd_case_list_frozen');
      try {
        const { value, grads: g } = variableGrads(() => sum(mul(w, frozen)), [frozen]);
        expect(Object.keys(g)).to.deep.equal(['autograd_case_list_frozen']);
        await expectDisposed(value, [23]);
        await expectDisposed(g.autograd_case_list_frozen!, [2, 3]);
      } finally {
        [w, frozen].forEach((v) => v.dispose());
      }
    });

    conformanceCase(ctx, 'variable.assign', async () => {
      const v = variable([1, 2, 3], true, 'autograd_case_assign');
      try {
        expect(v).to.be.instanceOf(Variable);
        const next = tensor([4, 5, 6]);
        v.assign(next);
        next.dispose();
        await expectTensor(v, [4, 5, 6]);
        // Gradients see the assigned value.
        const { grads: g } = variableGrads(() => sum(square(v)), [v]);
        await expectDisposed(g.autograd_case_assign!, [8, 10, 12]);
        const wrongShape = tensor([1, 2]);
        expectStrataError(() => v.assign(wrongShape), "Variable 'autograd_case_assign'.assign", 'shape [3]', 'float32', 'received shape [2]');
        const wrongDType = tensor([1, 2, 3], [3], 'int32');
        expectStrataError(() => v.assign(wrongDType), 'dtype float32', 'dtype int32');
        [wrongShape, wrongDType].forEach((t) => t.dispose());
        await expectTensor(v, [4, 5, 6]);
      } finally {
        v.dispose();
      }
    });

    conformanceCase(ctx, 'variable.duplicate-name', () => {
      const v = variable([1], true, 'autograd_case_dup');
      try {
        expectStrataError(() => variable([2], true, 'autograd_case_dup'), "already named 'autograd_case_dup'");
      } finally {
        v.dispose();
      }
    });
  });

  describe('custom and stopped gradients', () => {
    conformanceCase(ctx, 'customGrad.clipper', async () => {
      const x = tensor([0.2, 3, -4]);
      // The true gradient of sum(square(x)) is 2x = [0.4, 6, -8]; the clipper bounds it.
      const g = grad((t) => sum(square(clipGradient(t))))(x);
      await expectDisposed(g, [0.4, 1, -1]);
      // Forward is the identity.
      await expectDisposed(clipGradient(x), [0.2, 3, -4]);
      x.dispose();
    });

    conformanceCase(ctx, 'customGrad.saved-tensors', async () => {
      let savedShapes: number[][] = [];
      // Forward x^3; the gradient 3 x^2 dy is built only from the saved x^2, so a wrong or freed
      // saved tensor shows in the result.
      const cube = customGrad((x: Tensor, save: (saved: Tensor[]) => void) => {
        save([x, square(x)]);
        return {
          value: mul(square(x), x),
          gradFunc: (dy: Tensor, saved: Tensor[]) => {
            savedShapes = saved.map((t) => [...t.shape]);
            return mul(dy, mul(saved[1]!, 3));
          },
        };
      });
      const x = tensor([1, -2, 0.5]);
      await expectDisposed(cube(x), [1, -8, 0.125]);
      const g = grad((t) => cube(t))(x);
      await expectDisposed(g, [3, 12, 0.75]);
      expect(savedShapes).to.deep.equal([[3], [3]]);
      await checkGradients((t) => cube(t), [x]);
      x.dispose();
    });

    conformanceCase(ctx, 'customGrad.two-inputs', async () => {
      // Value a*b, but a gradient that swaps the roles (deliberately not the true one).
      const f = customGrad((a: Tensor, b: Tensor) => ({
        value: mul(a, b),
        gradFunc: (dy: Tensor) => [mul(dy, 10), mul(dy, 100)],
      }));
      const a = tensor([1, 2]);
      const b = tensor([3, 4]);
      await expectDisposed(f(a, b), [3, 8]);
      const [ga, gb] = grads((x, y) => f(x, y))([a, b]);
      await expectDisposed(ga!, [10, 10]);
      await expectDisposed(gb!, [100, 100]);
      [a, b].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'customGrad.wrong-gradient-count', async () => {
      const f = customGrad((a: Tensor, b: Tensor) => ({ value: add(a, b), gradFunc: (dy: Tensor) => [dy] }));
      const a = tensor([1]);
      const b = tensor([2]);
      await expectNoLeaks(() => {
        expectStrataError(() => grads((x, y) => f(x, y))([a, b]), 'customGrad', '1 gradient(s) for 2 input(s)');
      });
      [a, b].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'stopGradient.blocks', async () => {
      const x = tensor([3, -1]);
      // d/dx [x * sg(x)] = sg(x), not 2x.
      await expectDisposed(grad((t) => mul(t, stopGradient(t)))(x), [3, -1]);
      await expectDisposed(grad((t) => stopGradient(square(t)))(x), [0, 0]);
      await expectDisposed(stopGradient(x), [3, -1]);
      x.dispose();
    });
  });

  describe('gradients through layout ops', () => {
    conformanceCase(ctx, 'grad.through-reshape', async () => {
      const x = tensor([[0.5, -1, 2], [1.5, 0.25, -3]]);
      await checkGradients((t) => square(reshape(t, [3, 2])), [x]);
      await expectDisposed(grad((t) => mul(reshape(t, [6]), [1, 2, 3, 4, 5, 6]))(x), [[1, 2, 3], [4, 5, 6]], { shape: [2, 3] });
      x.dispose();
    });

    conformanceCase(ctx, 'grad.through-broadcastTo', async () => {
      const x = tensor([1, 2, 3]);
      await checkGradients((t) => square(broadcastTo(t, [2, 3])), [x]);
      // Each element is used twice.
      await expectDisposed(grad((t) => broadcastTo(t, [2, 3]))(x), [2, 2, 2], { shape: [3] });
      const col = tensor([[1], [2]]);
      await expectDisposed(grad((t) => broadcastTo(t, [2, 4]))(col), [[4], [4]], { shape: [2, 1] });
      // Adding a leading dim only (a reshape path).
      await expectDisposed(grad((t) => broadcastTo(t, [1, 3]))(x), [1, 1, 1], { shape: [3] });
      [x, col].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'grad.through-tile', async () => {
      const x = tensor([[0.5, -1], [2, 3]]);
      await checkGradients((t) => square(tile(t, [2, 3])), [x]);
      await expectDisposed(grad((t) => tile(t, [3, 2]))(x), [[6, 6], [6, 6]], { shape: [2, 2] });
      x.dispose();
    });
  });

  describe('errors', () => {
    conformanceCase(ctx, 'grad.function-must-return-tensor', async () => {
      await expectNoLeaks(() => {
        expectStrataError(() => grad(() => 3 as unknown as Tensor)([1]), 'must return a Tensor', 'number');
        expectStrataError(() => grad(() => [ones([1])] as unknown as Tensor)([1]), 'must return a Tensor');
      });
    });

    conformanceCase(ctx, 'grad.dy-shape-mismatch', async () => {
      const x = tensor([1, 2]);
      await expectNoLeaks(() => {
        expectStrataError(() => grad((t) => square(t))(x, [1, 2, 3]), 'dy has shape [3]', 'result has shape [2]');
      });
      x.dispose();
    });

    conformanceCase(ctx, 'grad.function-throws', async () => {
      const x = tensor([1, 2]);
      await expectNoLeaks(() => {
        const err = new Error('user failure');
        expect(() => grad((t) => {
          square(t);
          throw err;
        })(x)).to.throw('user failure');
      });
      x.dispose();
    });

    conformanceCase(ctx, 'grad.through-argMax-is-zero', async () => {
      // argMax is piecewise constant: its gradient is defined as zero (null), not an error.
      const x = tensor([[0.1, 0.9], [0.7, 0.2]]);
      await expectDisposed(grad((t) => cast(argMax(t, 1), 'float32'))(x), [[0, 0], [0, 0]], { shape: [2, 2] });
      // sum(t) is broadcast over the 2 argMax results, so each element's gradient is 2.
      await expectDisposed(grad((t) => add(cast(argMax(t, 1), 'float32'), sum(t)))(x), [[2, 2], [2, 2]]);
      x.dispose();
    });

    conformanceCase(ctx, 'grad.op-without-gradient', async () => {
      // An op with no registered gradient on the path is reported by name.
      const unregistered = (t: Tensor): Tensor =>
        runKernel1('conformanceUnregisteredOp', [t], { shape: t.shape, dtype: t.dtype }, (e, [ti]) => e.unary('neg', ti!, { shape: t.shape, dtype: t.dtype }));
      const x = tensor([1, 2]);
      await expectNoLeaks(() => {
        const err = expectStrataError(() => grad((t) => square(unregistered(t)))(x), "op 'conformanceUnregisteredOp' is not differentiable", 'stopGradient');
        expect(err).to.be.instanceOf(StrataError);
      });
      // Off the differentiated path it is fine.
      const other = tensor([5]);
      await expectDisposed(grad((t) => add(square(t), sum(unregistered(other))))(x), [2, 4]);
      other.dispose();
      x.dispose();
    });

    conformanceCase(ctx, 'grads.args-must-be-array', () => {
      const t1 = tensor([1]);
      expectStrataError(() => grads((t) => t)(t1 as never), 'args must be an array');
      t1.dispose();
    });
  });

  describe('leaks', () => {
    conformanceCase(ctx, 'autograd.no-leaks', async () => {
      const x = tensor([0.5, -1.5]);
      const y = tensor([2, 3]);
      await expectNoLeaks(async () => {
        grad((t) => sum(square(tanh(t))))(x).dispose();
        grads((a, b) => mul(exp(a), b))([x, y]).forEach((g) => g.dispose());
        const vg = valueAndGrads((a, b) => sum(mul(a, b)))([x, [1, 1]], 1);
        vg.value.dispose();
        vg.grads.forEach((g) => g.dispose());
        grad((t) => sum(mul(clipGradient(t), 5)))(x).dispose();
        clipGradient(x).dispose();
        grad((t) => mul(t, stopGradient(t)))(x).dispose();
        const v = variable([1, 2], true, 'autograd_case_leak_v');
        const vgr = variableGrads(() => sum(square(v)), [v]);
        vgr.value.dispose();
        Object.values(vgr.grads).forEach((g) => g.dispose());
        v.dispose();
        const z = zeros([2]);
        expectClose(await z.data(), [0, 0]);
        z.dispose();
      });
      [x, y].forEach((t) => t.dispose());
    });
  });
}

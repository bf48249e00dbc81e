import { expect } from 'chai';
import { clone, customGrad, grad, memory, mul, sum, tensor, transpose, type Tensor } from '@strata/core';
import {
  BinaryCrossentropy,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalHinge,
  cosineSimilarity,
  hinge,
  huber,
  kld,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  sparseCategoricalCrossentropy,
  squaredHinge,
  type Reduction,
} from '../src/losses/index.js';
import { checkLossGradient } from './losses-grad-helper.js';
import { distributionArray, expectClose, oneHotArray, signArray, take, uniformArray } from './losses-helpers.js';

// Finite-difference checks of the gradient with respect to yPred, at points away from each
// loss's kinks (|e| = 0 for MAE, margin 0 for the hinges, the clip bounds).

const SHAPE = [3, 4];
const N = 12;

/** Moves each prediction at least `gap` away from where `kink(t, p)` is 0. */
function avoid(t: Float32Array, p: Float32Array, kink: (t: number, p: number) => number, gap: number, step: (t: number) => number): Float32Array {
  const out = Float32Array.from(p);
  for (let i = 0; i < out.length; i++) {
    while (Math.abs(kink(t[i]!, out[i]!)) < gap) out[i] = out[i]! + step(t[i]!);
  }
  return out;
}

function check(f: (yPred: Tensor) => Tensor, p: Float32Array, options?: { h?: number; rtol?: number; atol?: number }): Promise<void> {
  return checkLossGradient(f, p, SHAPE, options);
}

describe('losses: gradients with respect to yPred', () => {
  const t = uniformArray(N, -2, 2, 1);
  const yt = () => tensor(t, SHAPE);

  it('meanSquaredError', () => check((p) => meanSquaredError(yt(), p), uniformArray(N, -2, 2, 2)));

  it('meanAbsoluteError', () => {
    const p = avoid(t, uniformArray(N, -2, 2, 3), (a, b) => b - a, 0.05, () => 0.1);
    return check((x) => meanAbsoluteError(yt(), x), p);
  });

  it('meanAbsolutePercentageError', () => {
    const tt = uniformArray(N, 0.5, 2, 4).map((v, i) => (i % 2 ? v : -v));
    const p = avoid(tt, uniformArray(N, -2, 2, 5), (a, b) => b - a, 0.05, () => 0.1);
    return check((x) => meanAbsolutePercentageError(tensor(tt, SHAPE), x), p, { h: 1e-2 });
  });

  it('meanSquaredLogarithmicError', () => {
    const tt = uniformArray(N, 0, 3, 6);
    return check((x) => meanSquaredLogarithmicError(tensor(tt, SHAPE), x), uniformArray(N, 0.1, 3, 7));
  });

  for (const delta of [1, 0.5]) {
    it(`huber (delta ${delta})`, () => {
      const p = avoid(t, uniformArray(N, -3, 3, 8), (a, b) => Math.abs(b - a) - delta, 0.02, () => 0.05);
      return check((x) => huber(yt(), x, delta), p);
    });
  }

  it('logCosh', () => check((x) => logCosh(yt(), x), uniformArray(N, -3, 3, 9)));

  for (const axis of [-1, 0]) {
    it(`cosineSimilarity (axis ${axis})`, () => check((x) => cosineSimilarity(yt(), x, axis), uniformArray(N, -1, 1, 10)));
  }

  describe('binaryCrossentropy', () => {
    const z = signArray(N, 11, true);
    const yz = () => tensor(z, SHAPE);
    it('probabilities', () => check((x) => binaryCrossentropy(yz(), x), uniformArray(N, 0.05, 0.95, 12), { h: 1e-4 }));
    it('probabilities, label smoothing, axis 0', () => check((x) => binaryCrossentropy(yz(), x, { labelSmoothing: 0.2, axis: 0 }), uniformArray(N, 0.05, 0.95, 13), { h: 1e-4 }));
    it('logits', () => check((x) => binaryCrossentropy(yz(), x, { fromLogits: true }), uniformArray(N, -4, 4, 14)));
    it('logits with soft labels', () => check((x) => binaryCrossentropy(tensor(uniformArray(N, 0, 1, 15), SHAPE), x, { fromLogits: true, labelSmoothing: 0.1 }), uniformArray(N, -4, 4, 16)));

    it('logits exactly 0 get the true gradient sigmoid(0) - z, and huge logits a finite one', async () => {
      const labels = tensor([[1, 0, 1, 0]]);
      const g = grad((x: Tensor) => sum(binaryCrossentropy(labels, x, { fromLogits: true })))(tensor([[0, 0, 500, -500]]));
      expectClose(await take(g), [-0.5 / 4, 0.5 / 4, 0, 0], 1e-6, 1e-7);
      labels.dispose();
    });

    it('probabilities 0 and 1 give a finite gradient (clipped)', async () => {
      const labels = tensor([[1, 0, 1, 0]]);
      const g = await take(grad((x: Tensor) => sum(binaryCrossentropy(labels, x)))(tensor([[0, 1, 1, 0]])));
      expect(g.every(Number.isFinite)).to.equal(true);
      labels.dispose();
    });
  });

  describe('categoricalCrossentropy', () => {
    const { oneHot } = oneHotArray(SHAPE, 17);
    const yo = () => tensor(oneHot, SHAPE);
    it('probabilities (unnormalised)', () => check((x) => categoricalCrossentropy(yo(), x), uniformArray(N, 0.1, 1, 18), { h: 1e-4 }));
    it('probabilities, label smoothing', () => check((x) => categoricalCrossentropy(yo(), x, { labelSmoothing: 0.1 }), uniformArray(N, 0.1, 1, 19), { h: 1e-4 }));
    it('logits', () => check((x) => categoricalCrossentropy(yo(), x, { fromLogits: true }), uniformArray(N, -3, 3, 20)));
    it('logits, soft labels, axis 0', () =>
      check((x) => categoricalCrossentropy(transpose(tensor(distributionArray([4, 3], 21), [4, 3])), x, { fromLogits: true, axis: 0 }), uniformArray(N, -3, 3, 22)));

    it('huge logits give softmax - labels, finite', async () => {
      const labels = tensor([[0, 1, 0]]);
      const g = await take(grad((x: Tensor) => sum(categoricalCrossentropy(labels, x, { fromLogits: true })))(tensor([[1000, 0, -1000]])));
      expectClose(g, [1, -1, 0], 1e-6, 1e-7);
      labels.dispose();
    });
  });

  describe('sparseCategoricalCrossentropy', () => {
    const { indices } = oneHotArray(SHAPE, 23);
    const yi = () => tensor(indices, [3], 'int32');
    it('probabilities', () => check((x) => sparseCategoricalCrossentropy(yi(), x), uniformArray(N, 0.1, 1, 24), { h: 1e-4 }));
    it('logits', () => check((x) => sparseCategoricalCrossentropy(yi(), x, { fromLogits: true }), uniformArray(N, -3, 3, 25)));
    it('logits with an ignored class', () => check((x) => sparseCategoricalCrossentropy(tensor([2, -1, 0], [3], 'int32'), x, { fromLogits: true, ignoreClass: -1 }), uniformArray(N, -3, 3, 26)));
  });

  describe('binaryFocalCrossentropy', () => {
    const z = signArray(N, 27, true);
    const yz = () => tensor(z, SHAPE);
    it('probabilities, defaults', () => check((x) => binaryFocalCrossentropy(yz(), x), uniformArray(N, 0.05, 0.95, 28), { h: 1e-4 }));
    it('probabilities, gamma 1.5, class balancing, label smoothing', () =>
      check((x) => binaryFocalCrossentropy(yz(), x, { gamma: 1.5, applyClassBalancing: true, alpha: 0.4, labelSmoothing: 0.1 }), uniformArray(N, 0.05, 0.95, 29), { h: 1e-4 }));
    it('logits', () => check((x) => binaryFocalCrossentropy(yz(), x, { fromLogits: true, gamma: 2, applyClassBalancing: true }), uniformArray(N, -4, 4, 30)));
  });

  it('kld', () => check((x) => kld(tensor(distributionArray(SHAPE, 31), SHAPE), x), uniformArray(N, 0.05, 0.95, 32), { h: 1e-4 }));

  it('poisson', () => check((x) => poisson(tensor(uniformArray(N, 0, 4, 33).map(Math.round), SHAPE), x), uniformArray(N, 0.3, 3, 34)));

  describe('hinge family', () => {
    const s = signArray(N, 35);
    const ys = () => tensor(s, SHAPE);
    const margin = (a: number, b: number): number => 1 - a * b;
    const p = avoid(s, uniformArray(N, -2, 2, 36), margin, 0.05, (a) => 0.1 * a);
    it('hinge', () => check((x) => hinge(ys(), x), p));
    it('squaredHinge', () => check((x) => squaredHinge(ys(), x), p));
    it('categoricalHinge', () => {
      // Rows chosen with a clear runner-up and margins away from 0 (one row fully inside the margin).
      const labels = tensor([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]);
      const scores = Float32Array.from([0.3, 0.9, 0.1, -0.2, 0.2, 0.8, -0.5, 0.1, 0.4, 0.0, -0.3, 2.5]);
      return check((x) => categoricalHinge(labels, x), scores);
    });
  });

  describe('compute with sample weights and reductions', () => {
    const z = signArray(N, 37, true);
    const weights = [0.5, 2, 1];
    for (const reduction of ['sum_over_batch_size', 'sum', 'mean_with_sample_weight', 'none'] as Reduction[]) {
      it(`BinaryCrossentropy, reduction '${reduction}'`, () =>
        check((x) => new BinaryCrossentropy({ fromLogits: true, reduction }).compute(tensor(z, SHAPE), x, weights), uniformArray(N, -3, 3, 38)));
    }
    it('MeanSquaredError with per-entry weights', () => check((x) => new MeanSquaredError().compute(yt(), x, tensor([[1], [0], [3]])), uniformArray(N, -2, 2, 39)));
    it('SparseCategoricalCrossentropy with an ignored class (masked mean)', () =>
      check((x) => new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 1 }).compute(tensor([1, 0, 3], [3], 'int32'), x, weights), uniformArray(N, -3, 3, 40)));
  });

  it('the checker itself catches a wrong gradient', async () => {
    // Identity whose declared gradient is off by 10% in every element.
    const skewed = customGrad((x: Tensor) => ({ value: clone(x), gradFunc: (dy: Tensor) => mul(dy, 1.1) }));
    let failed = false;
    try {
      await check((x) => meanSquaredError(yt(), skewed(x)), uniformArray(N, -2, 2, 42));
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
  });

  it('gradients leak nothing', async () => {
    const labels = tensor(t, SHAPE);
    const x = tensor(uniformArray(N, -2, 2, 41), SHAPE);
    const before = memory().numTensors;
    const g = grad((v: Tensor) => new MeanSquaredError().compute(labels, v, [1, 2, 3]))(x);
    const g2 = grad((v: Tensor) => new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 0 }).compute([0, 1, 2], v))(x);
    g.dispose();
    g2.dispose();
    expect(memory().numTensors).to.equal(before);
    labels.dispose();
    x.dispose();
  });
});

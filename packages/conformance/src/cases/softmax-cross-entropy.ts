import { grads, softmaxCrossEntropy, tensor, type Tensor } from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { expectDisposed, expectOpError } from './case-helpers.js';

/**
 * Reference softmax cross-entropy in float64, row by row over the last axis of `[rows, C]` data:
 * the loss `-sum t log p`, the gradient with respect to the logits `p sum(t) - t`, and with
 * respect to the labels `-log p`, each scaled by the row's `dy`.
 */
function reference(x: ArrayLike<number>, t: ArrayLike<number>, classes: number, dy?: ArrayLike<number>): { loss: number[]; dx: number[]; dt: number[] } {
  const rows = classes === 0 ? 0 : x.length / classes;
  const loss: number[] = [];
  const dx: number[] = [];
  const dt: number[] = [];
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, x[r * classes + c]!);
    let total = 0;
    for (let c = 0; c < classes; c++) total += Math.exp(x[r * classes + c]! - max);
    let l = 0;
    let labelSum = 0;
    const logP: number[] = [];
    for (let c = 0; c < classes; c++) {
      logP.push(x[r * classes + c]! - max - Math.log(total));
      l -= t[r * classes + c]! * logP[c]!;
      labelSum += t[r * classes + c]!;
    }
    loss.push(l);
    const d = dy ? dy[r]! : 1;
    for (let c = 0; c < classes; c++) {
      dx.push(d * (Math.exp(logP[c]!) * labelSum - t[r * classes + c]!));
      dt.push(-d * logP[c]!);
    }
  }
  return { loss, dx, dt };
}

/** Rows of positive values that sum to 1 (soft labels), from a seed. */
function softLabels(rows: number, classes: number, seed: number): Float32Array {
  const raw = randomValues(rows * classes, seed, 0.05, 1);
  const out = new Float32Array(raw.length);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < classes; c++) s += raw[r * classes + c]!;
    for (let c = 0; c < classes; c++) out[r * classes + c] = raw[r * classes + c]! / s;
  }
  return out;
}

/**
 * Cases for `softmaxCrossEntropy`: golden values against float64 loops (one-hot and soft labels,
 * any leading shape, a vector), large logits, NaN, empty dims, int32, errors, gradients (finite
 * differences in both arguments, closed forms with `dy`, labels that do not sum to 1) and leaks.
 *
 * @example
 * describe('softmaxCrossEntropy', () => softmaxCrossEntropyCases(ctx));
 */
export function softmaxCrossEntropyCases(ctx: SuiteContext): void {
  conformanceCase(ctx, 'softmaxCrossEntropy.golden', async () => {
    // log(e^2 + e + 1) - 2, by hand: the loss of class 0 for logits [2, 1, 0].
    const expected = Math.log(Math.E ** 2 + Math.E + 1) - 2;
    await expectDisposed(softmaxCrossEntropy([[2, 1, 0]], [[1, 0, 0]]), [expected], { shape: [1], dtype: 'float32' });
    // A vector gives a scalar.
    await expectDisposed(softmaxCrossEntropy([2, 1, 0], [0, 0, 1]), expected + 2, { shape: [] });
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.soft-labels-random', async () => {
    const shape = [3, 4, 7];
    const x = randomValues(84, 11, -5, 5);
    const t = softLabels(12, 7, 12);
    await expectDisposed(softmaxCrossEntropy(tensor(x, shape), tensor(t, shape)), reference(x, t, 7).loss, { shape: [3, 4], atol: 1e-5, rtol: 1e-5 });
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.one-hot-random', async () => {
    const x = randomValues(50, 13, -8, 8);
    const t = new Float32Array(50);
    for (let r = 0; r < 5; r++) t[r * 10 + ((r * 3) % 10)] = 1;
    await expectDisposed(softmaxCrossEntropy(tensor(x, [5, 10]), tensor(t, [5, 10])), reference(x, t, 10).loss, { shape: [5], atol: 1e-5, rtol: 1e-5 });
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.large-logits', async () => {
    // Unshifted, exp(1000) overflows; shifted, these are the losses of logits [0, 1, 2] and [0, -1, -2].
    const x = [1000, 1001, 1002, -1000, -1001, -1002];
    const t = [0.2, 0.3, 0.5, 0, 1, 0];
    const expected = reference([0, 1, 2, 0, -1, -2], t, 3).loss;
    await expectDisposed(softmaxCrossEntropy(tensor(x, [2, 3]), tensor(t, [2, 3])), expected, { shape: [2], atol: 1e-4, rtol: 1e-5 });
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.nan-propagates-within-its-row', async () => {
    const y = softmaxCrossEntropy([[NaN, 0, 1], [0, 0, 0]], [[0, 1, 0], [1, 0, 0]]);
    await expectDisposed(y, [NaN, Math.log(3)], { shape: [2] });
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.empty', async () => {
    await expectDisposed(softmaxCrossEntropy(tensor([], [0, 3]), tensor([], [0, 3])), [], { shape: [0] });
    // No classes: an empty sum, 0 per row.
    await expectDisposed(softmaxCrossEntropy(tensor([], [2, 0]), tensor([], [2, 0])), [0, 0], { shape: [2] });
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.int32-gives-float32', async () => {
    const x = tensor([1, 2, 3, 0, 0, 5], [2, 3], 'int32');
    const t = tensor([0, 0, 1, 1, 0, 0], [2, 3], 'int32');
    await expectDisposed(softmaxCrossEntropy(x, t), reference([1, 2, 3, 0, 0, 5], [0, 0, 1, 1, 0, 0], 3).loss, { shape: [2], dtype: 'float32' });
    [x, t].forEach((v) => v.dispose());
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.errors', async () => {
    const x = tensor([[1, 2, 3]]);
    const flags = tensor([[true, false, true]]);
    expectOpError(() => softmaxCrossEntropy(x, [[1, 0]]), 'softmaxCrossEntropy', 'labels', 'shape [1, 2]', 'logits of shape [1, 3]', 'oneHot');
    expectOpError(() => softmaxCrossEntropy(x, [1, 0, 0]), 'softmaxCrossEntropy', 'labels', 'shape [3]', '[1, 3]');
    expectOpError(() => softmaxCrossEntropy(3, 1), 'softmaxCrossEntropy', 'logits', 'shape []');
    expectOpError(() => softmaxCrossEntropy(flags, x), 'softmaxCrossEntropy', 'logits', 'dtype bool');
    expectOpError(() => softmaxCrossEntropy(x, flags), 'softmaxCrossEntropy', 'labels', 'dtype bool');
    [x, flags].forEach((v) => v.dispose());
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.gradient', async () => {
    const x = tensor(randomValues(12, 14, -2, 2), [3, 4]);
    const t = tensor(softLabels(3, 4, 15), [3, 4]);
    await checkGradients((a, b) => softmaxCrossEntropy(a, b), [x, t]);
    // Labels that do not sum to 1 (masked rows, unnormalised weights) still get the true gradient.
    const loose = tensor(randomValues(24, 16, 0, 2), [2, 3, 4]);
    const cube = tensor(randomValues(24, 17, -2, 2), [2, 3, 4]);
    await checkGradients((a, b) => softmaxCrossEntropy(a, b), [cube, loose]);
    [x, t, loose, cube].forEach((v) => v.dispose());
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.gradient-closed-form', async () => {
    const xs = randomValues(15, 18, -3, 3);
    xs[0] = 900; // a large logit: the gradient must stay finite
    const ts = randomValues(15, 19, 0, 1);
    ts.fill(0, 5, 10); // an all-zero (masked) row: its logits get no gradient
    const dys = [0.5, -1.5, 2];
    const x = tensor(xs, [3, 5]);
    const t = tensor(ts, [3, 5]);
    const dy = tensor(dys, [3]);
    const ref = reference(xs, ts, 5, dys);
    const [dx, dt] = grads((a: Tensor, b: Tensor) => softmaxCrossEntropy(a, b))([x, t], dy);
    await expectTensor(dx!, ref.dx, { shape: [3, 5], atol: 1e-5, rtol: 1e-4 });
    await expectTensor(dt!, ref.dt, { shape: [3, 5], atol: 1e-5, rtol: 1e-4 });
    [x, t, dy, dx!, dt!].forEach((v) => v.dispose());
  });

  conformanceCase(ctx, 'softmaxCrossEntropy.no-leaks', async () => {
    const x = tensor(randomValues(12, 20), [3, 4]);
    const t = tensor(softLabels(3, 4, 21), [3, 4]);
    await expectNoLeaks(async () => {
      const y = softmaxCrossEntropy(x, t);
      await y.data();
      y.dispose();
      softmaxCrossEntropy([[1, 2]], [[0, 1]]).dispose();
      grads((a: Tensor, b: Tensor) => softmaxCrossEntropy(a, b))([x, t]).forEach((g) => g.dispose());
    });
    [x, t].forEach((v) => v.dispose());
  });
}

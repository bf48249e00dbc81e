import { expect } from 'chai';
import { Tensor, abs, memory, mul, sub, tensor, type TensorLike } from '@strata/core';
import { Mean, MeanMetricWrapper, Metric } from '../src/metrics/index.js';
import { expectClose, expectNoLeak, expectThrow, read } from './metrics-helpers.js';

/** After a first update (which may create state), further updates and reads leave no tensors. */

describe('metrics: Mean', () => {
  it('is the mean of all values seen, not the mean of per-batch means', async () => {
    const m = new Mean();
    expect(m.name).to.equal('mean');
    m.updateState([1, 2, 3]);
    m.updateState([10]);
    // Reference: all 4 values pooled. Per-batch means would give (2 + 10) / 2 = 6.
    const [v] = await read(m);
    expectClose(v!, (1 + 2 + 3 + 10) / 4);
    expect(v).to.not.be.closeTo(6, 1e-3);
    m.dispose();
  });

  it('weighs values by sampleWeight and counts the weights', async () => {
    const m = new Mean();
    m.updateState([1, 3, 5, 7], [1, 0, 2, 1]);
    m.updateState(tensor([2]), tensor([4]));
    expectClose((await read(m))[0]!, (1 * 1 + 5 * 2 + 7 * 1 + 2 * 4) / (1 + 2 + 1 + 4));
    m.dispose();
  });

  it('averages rank-2 values to one per sample, and reduces them to the weights\' rank', async () => {
    const m = new Mean();
    // Per-sample means 2 and 5, weights 3 and 1.
    m.updateState([[1, 3], [4, 6]], [3, 1]);
    expectClose((await read(m))[0]!, (2 * 3 + 5 * 1) / 4);
    m.resetState();
    // Element weights: mean over each row of v*w, divided by the mean of each row of w.
    m.updateState([[1, 3], [4, 6]], [[1, 0], [1, 1]]);
    expectClose((await read(m))[0]!, (0.5 + 5) / (0.5 + 1));
    m.resetState();
    // A scalar value counts as one sample; a scalar weight scales the whole batch.
    m.updateState(4);
    m.updateState([1, 2, 3], 2);
    expectClose((await read(m))[0]!, (4 + 2 * 2) / (1 + 2));
    m.dispose();
  });

  it('returns 0 before any update and after resetState', async () => {
    const m = new Mean();
    expect(await read(m)).to.deep.equal([0]);
    m.updateState([5]);
    m.resetState();
    expect(await read(m)).to.deep.equal([0]);
    m.updateState([5]);
    expect(await read(m)).to.deep.equal([5]);
    m.dispose();
  });

  it('keeps two non-trainable scalar variables and frees them on dispose', () => {
    const before = memory().numTensors;
    const m = new Mean();
    expect(m.variables.map((v) => [v.shape.length, v.trainable])).to.deep.equal([[0, false], [0, false]]);
    const m2 = new Mean();
    expect(m2.variables[0]!.name).to.not.equal(m.variables[0]!.name);
    m.dispose();
    m2.dispose();
    m.dispose();
    expect(memory().numTensors).to.equal(before);
    expect(m.isDisposed).to.equal(true);
  });

  it('leaks nothing per update', () => {
    const m = new Mean();
    expectNoLeak(m, () => m.updateState([[1, 2], [3, 4]], [1, 2]));
    m.dispose();
  });

  it('names itself, the received value and the fix in errors', () => {
    expectThrow(() => new Mean({ name: '' }), 'Mean', "'name'", '""');
    expectThrow(() => new Mean({ nmae: 'x' } as never), 'Mean', "unknown option 'nmae'", 'Known options: name');
    expectThrow(() => new Mean(null as never), 'Mean', 'expected an options object', 'null');
    const m = new Mean({ name: 'loss_mean' });
    expectThrow(() => m.updateState([[1, 2], [3, 4]], [1, 2, 3]), 'loss_mean (Mean)', 'sampleWeight of shape [3]', 'values of shape [2, 2]', 'Reshape');
    m.dispose();
    expectThrow(() => m.updateState([1]), 'loss_mean (Mean).updateState', 'disposed', 'Create a new metric');
    expectThrow(() => m.result(), 'loss_mean (Mean).result', 'disposed');
  });
});

describe('metrics: MeanMetricWrapper', () => {
  const absError = (t: Tensor, p: Tensor): Tensor => abs(sub(t, p));

  it('turns a per-sample function into an epoch mean over samples', async () => {
    const m = new MeanMetricWrapper(absError);
    expect(m.name).to.equal('absError');
    expect(m).to.be.instanceOf(Mean);
    const batches: [number[], number[]][] = [
      [[1, 2, 3], [1.5, 2, 2]],
      [[0], [4]],
    ];
    for (const [t, p] of batches) m.updateState(t, p);
    const errors = batches.flatMap(([t, p]) => t.map((v, i) => Math.abs(v - p[i]!)));
    const pooled = errors.reduce((a, b) => a + b, 0) / errors.length;
    const perBatch = (0.5 + 0 + 1) / 3 / 2 + 4 / 2;
    const [v] = await read(m);
    expectClose(v!, pooled);
    expect(Math.abs(v! - perBatch)).to.be.greaterThan(0.1);
    m.dispose();
  });

  it('applies sample weights to the function\'s values', async () => {
    const m = new MeanMetricWrapper(absError, { name: 'abs_err' });
    expect(m.name).to.equal('abs_err');
    m.updateState([[1], [2]], [[2], [4]], [3, 1]);
    expectClose((await read(m))[0]!, (1 * 3 + 2 * 1) / 4);
    m.dispose();
  });

  it('runs the function inside tidy, so its intermediates do not leak', () => {
    const m = new MeanMetricWrapper((t, p) => mul(abs(sub(t, p)), 2));
    expectNoLeak(m, () => m.updateState([[1, 2]], [[0, 0]]));
    m.dispose();
  });

  it('rejects what is not a function, and functions that return no tensor', () => {
    expectThrow(() => new MeanMetricWrapper(3 as never), 'MeanMetricWrapper', "'fn'", 'number 3', 'Pass a function');
    const bad = new MeanMetricWrapper((() => 1) as unknown as (t: Tensor, p: Tensor) => Tensor, { name: 'bad' });
    expectThrow(() => bad.updateState([1], [1]), 'bad (MeanMetricWrapper)', 'must return a Tensor', 'number 1');
    expectThrow(() => bad.updateState([1] as TensorLike), "'yPred' is missing");
    bad.dispose();
  });
});

import { expect } from 'chai';
import { grad, memory, tensor, type Tensor } from '@strata/core';
import { getLoss, lossRegistry, losses, type Reduction } from '../src/losses/index.js';
import { distributionArray, oneHotArray } from './losses-helpers.js';

// Every loss, as a function and as a class under every reduction, with and without weights and
// under a gradient: live tensors and buffers return to their baseline.

const SHAPE = [4, 3];

function inputsFor(className: string): { yTrue: Tensor; yPred: Tensor } {
  if (className === 'SparseCategoricalCrossentropy') {
    return { yTrue: tensor([0, 2, 1, 1], [4], 'int32'), yPred: tensor(distributionArray(SHAPE, 1), SHAPE) };
  }
  const { oneHot } = oneHotArray(SHAPE, 2);
  return { yTrue: tensor(oneHot, SHAPE), yPred: tensor(distributionArray(SHAPE, 3), SHAPE) };
}

function baseline(): [number, number] {
  const m = memory();
  return [m.numTensors, m.numDataBuffers];
}

describe('losses: memory', () => {
  for (const className of lossRegistry.names()) {
    it(`${className} leaks nothing through call, compute (every reduction, weights) or grad`, () => {
      const { yTrue, yPred } = inputsFor(className);
      const weights = tensor([1, 0.5, 2, 0]);
      const before = baseline();
      for (const reduction of ['sum_over_batch_size', 'sum', 'none', 'mean', 'mean_with_sample_weight'] as Reduction[]) {
        const loss = lossRegistry.get({ className, config: { reduction } });
        loss.call(yTrue, yPred).dispose();
        loss.compute(yTrue, yPred).dispose();
        loss.compute(yTrue, yPred, weights).dispose();
        loss.compute(yTrue, yPred, [1, 2, 3, 4]).dispose();
        if (reduction !== 'none') grad((p: Tensor) => loss.compute(yTrue, p, weights))(yPred).dispose();
      }
      expect(baseline()).to.deep.equal(before);
      for (const t of [yTrue, yPred, weights]) t.dispose();
    });
  }

  it('the plain functions leak nothing, with tensors or nested arrays as inputs', () => {
    const { yTrue, yPred } = inputsFor('CategoricalCrossentropy');
    const labels = tensor([0, 2, 1, 1], [4], 'int32');
    const before = baseline();
    for (const [name, fn] of Object.entries(losses)) {
      if (name[0] !== name[0]!.toLowerCase()) continue;
      const f = fn as (t: unknown, p: unknown) => Tensor;
      const t = name === 'sparseCategoricalCrossentropy' ? labels : yTrue;
      f(t, yPred).dispose();
      f(name === 'sparseCategoricalCrossentropy' ? [0, 2, 1, 1] : [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.6, 0.2, 0.2]]).dispose();
    }
    expect(baseline()).to.deep.equal(before);
    for (const t of [yTrue, yPred, labels]) t.dispose();
  });

  it('a wrapped user function leaks nothing beyond what it returns', () => {
    const { yTrue, yPred } = inputsFor('MeanSquaredError');
    const before = baseline();
    const loss = getLoss((t: Tensor, p: Tensor) => losses.meanSquaredError(t, p));
    loss.compute(yTrue, yPred, [1, 1, 1, 1]).dispose();
    expect(baseline()).to.deep.equal(before);
    yTrue.dispose();
    yPred.dispose();
  });
});

import { expect } from 'chai';
import { memory, mean, mul, square, sub, tensor, tidy, variableGrads, type Tensor } from '@strata/core';
import { resetLayerNames } from '../src/engine/naming.js';
import { Dense } from '../src/layers/core/dense.js';
import { GRU, LSTM, SimpleRNN, type BaseRNN } from '../src/layers/recurrent/index.js';
import { checkLayerGradients } from './layer-harness.js';
import { det } from './layers-recurrent-reference.js';

// Small sizes, as finite differences in float32 need: batch 2, time 3, input 2, units 2.
const SHAPE = [2, 3, 2];

function withDetWeights<L extends BaseRNN>(layer: L, seed: number): L {
  layer.build([null, 3, 2]);
  const tensors = layer.weights.map((w, i) => tensor(det(w.size, seed + i, 0.7), [...w.shape]));
  layer.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return layer;
}

describe('recurrent layers: gradients through time (finite differences)', () => {
  beforeEach(() => resetLayerNames());

  const cases: [string, () => BaseRNN, Record<string, unknown>][] = [
    ['SimpleRNN, every step', () => new SimpleRNN({ units: 2, returnSequences: true }), {}],
    ['SimpleRNN, last step, goBackwards', () => new SimpleRNN({ units: 2, goBackwards: true }), {}],
    ['LSTM, every step', () => new LSTM({ units: 2, returnSequences: true }), {}],
    ['LSTM, last step with a padded mask', () => new LSTM({ units: 2 }), { mask: true }],
    ['GRU resetAfter: true, every step', () => new GRU({ units: 2, returnSequences: true }), {}],
    ['GRU resetAfter: false, every step', () => new GRU({ units: 2, returnSequences: true, resetAfter: false }), {}],
    ['GRU resetAfter: false, goBackwards with a mask', () => new GRU({ units: 2, resetAfter: false, goBackwards: true, returnSequences: true }), { mask: true }],
  ];

  for (const [label, make, opts] of cases) {
    it(`${label}: input and every weight`, async () => {
      const layer = withDetWeights(make(), 2);
      const x = tensor(det(12, 5, 1.2), SHAPE);
      const mask = opts.mask ? tensor([[true, true, false], [false, true, true]]) : null;
      const before = memory().numTensors;
      await checkLayerGradients(layer, x, { args: mask ? { mask } : {} });
      expect(memory().numTensors).to.equal(before);
      x.dispose();
      mask?.dispose();
      layer.dispose();
    });
  }
});

describe('recurrent layers: training', () => {
  beforeEach(() => resetLayerNames());

  it('an LSTM learns a toy sequence task with hand-written SGD (variableGrads), its loss falling', async () => {
    // Target: the mean of the first feature over the sequence minus the last step's second feature.
    const batch = 8;
    const time = 5;
    const xs = det(batch * time * 2, 17, 1);
    const ys = Array.from({ length: batch }, (_, b) => {
      let s = 0;
      for (let t = 0; t < time; t++) s += xs[(b * time + t) * 2]!;
      return s / time - xs[(b * time + time - 1) * 2 + 1]!;
    });
    const x = tensor(xs, [batch, time, 2]);
    const y = tensor(ys, [batch, 1]);
    const rnn = new LSTM({ units: 6, kernelInitializer: { className: 'GlorotUniform', config: { seed: 1 } }, recurrentInitializer: { className: 'Orthogonal', config: { seed: 2 } } });
    const head = new Dense({ units: 1, kernelInitializer: { className: 'GlorotUniform', config: { seed: 3 } } });
    const loss = (): Tensor => mean(square(sub(head.apply(rnn.apply(x) as Tensor) as Tensor, y)));
    const first = tidy(loss);
    const weights = [...rnn.trainableWeights, ...head.trainableWeights];
    const baseline = memory().numTensors;
    const losses: number[] = [];
    for (let step = 0; step < 60; step++) {
      const { value, grads } = variableGrads(loss, weights);
      losses.push((await value.data())[0]!);
      value.dispose();
      for (const w of weights) {
        const next = tidy(() => sub(w, mul(grads[w.name]!, 0.3)));
        w.assign(next);
        next.dispose();
      }
      Object.values(grads).forEach((g) => g.dispose());
      expect(memory().numTensors, `tensors after step ${step}`).to.equal(baseline);
    }
    const start = (await first.data())[0]!;
    expect(losses[0]).to.be.closeTo(start, 1e-6);
    expect(losses[losses.length - 1]).to.be.lessThan(start * 0.5);
    expect(losses.slice(-10).every((l, i, a) => i === 0 || l <= a[i - 1]! * 1.05)).to.equal(true);
    [first, x, y].forEach((t) => t.dispose());
    rnn.dispose();
    head.dispose();
  });
});

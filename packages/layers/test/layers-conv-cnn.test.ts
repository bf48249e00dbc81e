import { expect } from 'chai';
import { logSoftmax, mean, memory, mul, neg, setSeed, sub, sum, tensor, tidy, variableGrads, type Tensor } from '@strata/core';
import { input } from '../src/engine/input-layer.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { Flatten } from '../src/layers/basic/flatten.js';
import { Conv1D, Conv2D } from '../src/layers/convolutional/index.js';
import { Dense } from '../src/layers/core/dense.js';
import { GlobalMaxPooling1D, MaxPooling2D } from '../src/layers/pooling/index.js';

// A tiny CNN trained by hand-written SGD steps (no fit): the loss must fall, and the loop must
// leave no tensors behind. This checks that the convolution and pooling gradients compose through
// a whole model, not just one layer.

/** Mean softmax cross-entropy of logits against one-hot labels. */
function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  return neg(mean(sum(mul(labels, logSoftmax(logits)), -1)));
}

/** Runs `steps` SGD steps of `model` on (x, y) and returns the loss before each step. */
async function train(model: LayersModel, x: Tensor, y: Tensor, steps: number, lr: number): Promise<number[]> {
  const weights = model.trainableWeights;
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const { value, grads } = variableGrads(() => crossEntropy(model.call(x, { training: true }) as Tensor, y), weights);
    losses.push((await value.data())[0]!);
    value.dispose();
    for (const w of weights) {
      const next = tidy(() => sub(w, mul(grads[w.name]!, lr)));
      w.assign(next);
      next.dispose();
    }
    for (const g of Object.values(grads)) g.dispose();
  }
  return losses;
}

/** 6x6 one-channel images: class 0 has a bright 2x2 patch in the top-left, class 1 in the bottom-right. */
function images(): { x: Tensor; y: Tensor } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let n = 0; n < 8; n++) {
    const cls = n % 2;
    const shift = (n >> 1) % 2; // two positions per class
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) {
      const r = cls === 0 ? i - shift : 5 - i - shift;
      const c = cls === 0 ? j - shift : 5 - j - shift;
      xs.push(r >= 0 && r < 2 && c >= 0 && c < 2 ? 1 : 0.1 * (((n * 7 + i * 3 + j) % 5) / 5));
    }
    ys.push(cls === 0 ? 1 : 0, cls === 0 ? 0 : 1);
  }
  return { x: tensor(xs, [8, 6, 6, 1]), y: tensor(ys, [8, 2]) };
}

describe('a tiny CNN trained with hand-written SGD', () => {
  beforeEach(() => {
    resetLayerNames();
    setSeed(1234);
  });

  it('conv-pool-flatten-dense: the loss falls and nothing leaks', async () => {
    const model = new Sequential({
      layers: [
        new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 1] }),
        new MaxPooling2D({ poolSize: 2 }),
        new Flatten(),
        new Dense({ units: 2 }),
      ],
    });
    expect(model.outputs[0]!.shape).to.deep.equal([null, 2]);
    expect(model.trainableWeights.map((w) => [...w.shape])).to.deep.equal([[3, 3, 1, 4], [4], [36, 2], [2]]);
    const { x, y } = images();
    const before = memory().numTensors;
    const losses = await train(model, x, y, 30, 0.5);
    expect(memory().numTensors).to.equal(before);
    expect(losses.every(Number.isFinite)).to.equal(true);
    expect(losses[losses.length - 1]!).to.be.below(losses[0]! * 0.5);
    x.dispose();
    y.dispose();
    model.dispose();
  });

  it('conv1d (causal) - global max pooling - dense in a functional model: the loss falls', async () => {
    // Sequences whose class is whether a rising step (0 -> 1) occurs.
    const xs: number[] = [];
    const ys: number[] = [];
    for (let n = 0; n < 8; n++) {
      const rising = n % 2 === 0;
      const at = 2 + (n % 4);
      for (let t = 0; t < 8; t++) xs.push(rising ? (t >= at ? 1 : 0) : (t >= at ? 0 : 1));
      ys.push(rising ? 1 : 0, rising ? 0 : 1);
    }
    const x = tensor(xs, [8, 8, 1]);
    const y = tensor(ys, [8, 2]);
    const inp = input({ shape: [8, 1] });
    const h = new Conv1D({ filters: 3, kernelSize: 2, padding: 'causal', activation: 'relu' }).apply(inp) as SymbolicTensor;
    const pooled = new GlobalMaxPooling1D().apply(h) as SymbolicTensor;
    const model = new LayersModel({ inputs: inp, outputs: new Dense({ units: 2 }).apply(pooled) as SymbolicTensor });
    const before = memory().numTensors;
    const losses = await train(model, x, y, 40, 0.5);
    expect(memory().numTensors).to.equal(before);
    expect(losses[losses.length - 1]!).to.be.below(losses[0]! * 0.7);
    x.dispose();
    y.dispose();
    model.dispose();
  });
});

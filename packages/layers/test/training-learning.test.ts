import { expect } from 'chai';
import { memory, setSeed, tensor } from '@strata/core';
import { optimizers } from '../src/optimizers/index.js';
import { circles, lcg, mlp, spirals } from './training-helpers.js';

describe('fit: real learning', function () {
  this.timeout(120000);

  it('learns two interleaved spirals to > 95% accuracy, on held-out points too', async () => {
    setSeed(7);
    const train = spirals(300, 1);
    const test = spirals(200, 99);
    const xs = tensor(train.x);
    const ys = tensor(train.y.map((v) => [v]));
    const xt = tensor(test.x);
    const yt = tensor(test.y.map((v) => [v]));
    const model = mlp(2, [32, 32], 1, 'sigmoid');
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const before = memory().numTensors;
    const history = await model.fit(xs, ys, { epochs: 150, batchSize: 32, verbose: 0 });
    // What the first fit creates and keeps: Adam's two slots per weight, and the accuracy
    // metric's total and count (metrics are built on the first data, as in Keras 3).
    expect(memory().numTensors - before).to.equal(2 * model.trainableWeights.length + 2);
    const first = history.history.loss![0]!;
    const last = history.history.loss![149]!;
    expect(last).to.be.lessThan(first / 5);
    expect((await model.evaluate(xs, ys)).accuracy).to.be.greaterThan(0.95);
    expect((await model.evaluate(xt, yt)).accuracy).to.be.greaterThan(0.95);
    model.dispose();
    for (const t of [xs, ys, xt, yt]) t.dispose();
  });

  it('learns concentric circles with softmax and sparse integer labels', async () => {
    setSeed(3);
    const { x, y } = circles(200);
    const xs = tensor(x);
    const ys = tensor(y, [y.length], 'int32');
    const model = mlp(2, [16], 2, 'softmax');
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', metrics: ['acc'] });
    const history = await model.fit(xs, ys, { epochs: 60, batchSize: 20, verbose: 0 });
    expect(Object.keys(history.history)).to.deep.equal(['loss', 'acc']);
    expect(history.history.acc![59]).to.be.greaterThan(0.95);
    model.dispose();
    xs.dispose();
    ys.dispose();
  });

  it('fits a non-linear regression to a low mean squared error', async () => {
    setSeed(11);
    const rand = lcg(5);
    const x: number[][] = [];
    const y: number[][] = [];
    for (let i = 0; i < 256; i++) {
      const a = 2 * rand() - 1;
      const b = 2 * rand() - 1;
      x.push([a, b]);
      y.push([Math.sin(2 * a) + 0.5 * b * b]);
    }
    const xs = tensor(x);
    const ys = tensor(y);
    // The variance of the target, so the bar is relative to predicting the mean.
    const meanY = y.reduce((s, [v]) => s + v!, 0) / y.length;
    const variance = y.reduce((s, [v]) => s + (v! - meanY) ** 2, 0) / y.length;
    const model = mlp(2, [32, 32], 1);
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'mse', metrics: ['mae'] });
    await model.fit(xs, ys, { epochs: 100, batchSize: 32, verbose: 0 });
    const { loss, mae } = await model.evaluate(xs, ys);
    expect(loss).to.be.lessThan(0.005);
    expect(loss).to.be.lessThan(variance / 50);
    expect(mae).to.be.lessThan(0.06);
    model.dispose();
    xs.dispose();
    ys.dispose();
  });
});

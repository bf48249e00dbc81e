import { expect } from 'chai';
import { memory, setSeed, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { Callback, callbacks } from '../src/callbacks/index.js';
import { input } from '../src/engine/input-layer.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { Dense } from '../src/layers/core/dense.js';
import { metrics } from '../src/metrics/index.js';
import { optimizers } from '../src/optimizers/index.js';
import { column, constDense, linear, mlp, twoByTwo, values, weightValues } from './training-helpers.js';

/** Data for `twoByTwo()`: inputs a [n,3], b [n,2]; targets reg [n,1], cls one-hot [n,3]. */
function twoByTwoData(n: number) {
  const a = Array.from({ length: n }, (_, i) => [i / n, 1 - i / n, 0.5]);
  const b = Array.from({ length: n }, (_, i) => [0.3 * i, -0.2]);
  const reg = Array.from({ length: n }, (_, i) => [i % 3 === 0 ? 1 : -0.5]);
  const clsIdx = Array.from({ length: n }, (_, i) => i % 3);
  const cls = clsIdx.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
  return { a, b, reg, cls, clsIdx };
}

describe('fit: multi-input / multi-output models', () => {
  beforeEach(() => resetLayerNames());

  it('names per-output losses and metrics as Keras and weights the total loss', async () => {
    const model = twoByTwo();
    model.compile({
      optimizer: optimizers.sgd({ learningRate: 0.01 }),
      loss: { reg: 'mse', cls: 'categorical_crossentropy' },
      lossWeights: { reg: 0.5, cls: 2 },
      metrics: { reg: ['mae'], cls: ['accuracy'] },
    });
    const d = twoByTwoData(9);
    const [a, b, reg, cls] = [tensor(d.a), tensor(d.b), tensor(d.reg), tensor(d.cls)];
    // Before training, by hand: reg = 0.2 * 4 * 0.1 * sum(a) = 0.08 sum(a); the three cls logits are
    // equal, so p = 1/3 everywhere, crossentropy ln 3, and arg-max picks class 0.
    const regPred = d.a.map((row) => 0.08 * row.reduce((s, v) => s + v, 0));
    const regLoss = regPred.reduce((s, p, i) => s + (p - d.reg[i]![0]!) ** 2, 0) / 9;
    const regMae = regPred.reduce((s, p, i) => s + Math.abs(p - d.reg[i]![0]!), 0) / 9;
    const clsLoss = Math.log(3);
    const clsAcc = d.clsIdx.filter((c) => c === 0).length / 9;
    const logs = await model.evaluate({ a, b }, { reg, cls }, { batchSize: 4 });
    expect(Object.keys(logs)).to.deep.equal(['loss', 'reg_loss', 'cls_loss', 'reg_mae', 'cls_accuracy']);
    expectClose([logs.loss!, logs.reg_loss!, logs.cls_loss!, logs.reg_mae!, logs.cls_accuracy!], [0.5 * regLoss + 2 * clsLoss, regLoss, clsLoss, regMae, clsAcc], { atol: 1e-5, rtol: 1e-5 });

    const history = await model.fit([a, b], [reg, cls], { epochs: 2, batchSize: 3, verbose: 0, validationData: [{ a, b }, [reg, cls]] });
    expect(Object.keys(history.history)).to.deep.equal([
      'loss', 'reg_loss', 'cls_loss', 'reg_mae', 'cls_accuracy', 'val_loss', 'val_reg_loss', 'val_cls_loss', 'val_reg_mae', 'val_cls_accuracy',
    ]);
    for (const k of ['loss', 'val_loss']) {
      const [total, r, c] = ['', 'reg_', 'cls_'].map((p) => history.history[k.replace('loss', `${p}loss`)]!);
      total!.forEach((t, i) => expectClose([t], [0.5 * r![i]! + 2 * c![i]!], { atol: 1e-5, rtol: 1e-5 }));
    }
    expect(model.metricsNames).to.deep.equal(['loss', 'reg_loss', 'cls_loss', 'reg_mae', 'cls_accuracy']);
    model.dispose();
    for (const t of [a, b, reg, cls]) t.dispose();
  });

  it('takes one loss for all outputs, a list of losses, and null for an output without a loss', async () => {
    const d = twoByTwoData(6);
    const [a, b, reg, cls] = [tensor(d.a), tensor(d.b), tensor(d.reg), tensor(d.cls)];
    const m1 = twoByTwo();
    m1.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mse'] });
    const l1 = await m1.evaluate([a, b], [reg, cls]);
    expect(Object.keys(l1)).to.deep.equal(['loss', 'reg_loss', 'cls_loss', 'reg_mse', 'cls_mse']);
    expectClose([l1.loss!], [l1.reg_loss! + l1.cls_loss!], { atol: 1e-6 });
    expectClose([l1.reg_mse!, l1.cls_mse!], [l1.reg_loss!, l1.cls_loss!], { atol: 1e-6 });
    const m2 = twoByTwo();
    m2.compile({ optimizer: 'sgd', loss: ['mse', null] });
    const l2 = await m2.evaluate([a, b], [reg, cls]);
    expect(Object.keys(l2)).to.deep.equal(['loss', 'reg_loss']);
    expectClose([l2.loss!], [l1.reg_loss!], { atol: 1e-6 });
    m1.dispose();
    m2.dispose();
    for (const t of [a, b, reg, cls]) t.dispose();
  });
});

describe('fit: sample weights and class weights', () => {
  beforeEach(() => resetLayerNames());

  // x [5, 2], y [5, 1], weights; a linear model k = 0.1, b = 0: prediction 0.1 (x0 + x1).
  const X = [[1, 2], [0, 1], [3, -1], [2, 2], [-1, 0.5]];
  const Y = [[1], [0], [2], [-1], [0.5]];
  const SW = [1, 0, 2, 0.5, 3];
  const pred = X.map(([p, q]) => 0.1 * (p! + q!));
  const resid = pred.map((p, i) => p - Y[i]![0]!);

  it('weights each sample\'s loss by sampleWeight: sum(w_i l_i) / N, in the loss and in the gradient', async () => {
    const model = linear(2);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 1 }), loss: 'mse' });
    const [x, y, sw] = [tensor(X), tensor(Y), tensor(SW)];
    const history = await model.fit(x, y, { epochs: 1, batchSize: 5, shuffle: false, sampleWeight: sw, verbose: 0 });
    const expected = resid.reduce((s, r, i) => s + SW[i]! * r * r, 0) / 5;
    expectClose(history.history.loss!, [expected], { atol: 1e-6, rtol: 1e-6 });
    // One SGD step with rate 1: w -= dL/dw, dL/dw_j = (2/N) sum_i w_i r_i x_ij, dL/db = (2/N) sum_i w_i r_i.
    const gk = [0, 1].map((j) => (2 / 5) * resid.reduce((s, r, i) => s + SW[i]! * r * X[i]![j]!, 0));
    const gb = (2 / 5) * resid.reduce((s, r, i) => s + SW[i]! * r, 0);
    const [kernel, bias] = await weightValues(model);
    expectClose(kernel!, [0.1 - gk[0]!, 0.1 - gk[1]!], { atol: 1e-6, rtol: 1e-5 });
    expectClose(bias!, [-gb], { atol: 1e-6, rtol: 1e-5 });
    // evaluate weights the same way
    const m2 = linear(2);
    m2.compile({ optimizer: 'sgd', loss: 'mse' });
    expectClose([(await m2.evaluate(x, y, { sampleWeight: sw })).loss!], [expected], { atol: 1e-6, rtol: 1e-6 });
    model.dispose();
    m2.dispose();
    for (const t of [x, y, sw]) t.dispose();
  });

  it('turns classWeight into per-sample weights from integer labels (missing classes weigh 1)', async () => {
    // A sigmoid unit: p_i = sigmoid(0.1 (x0 + x1)); binary crossentropy, class 1 weighted 3.
    const labels = [1, 0, 1, 1, 0];
    const model = new Sequential({ layers: [constDense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'binary_crossentropy' });
    const [x, y] = [tensor(X), column(labels)];
    const history = await model.fit(x, y, { epochs: 1, batchSize: 5, classWeight: { 1: 3 }, verbose: 0 });
    const p = pred.map((z) => 1 / (1 + Math.exp(-z)));
    const bce = p.map((pi, i) => -(labels[i]! * Math.log(pi) + (1 - labels[i]!) * Math.log(1 - pi)));
    const expected = bce.reduce((s, l, i) => s + (labels[i] === 1 ? 3 : 1) * l, 0) / 5;
    expectClose(history.history.loss!, [expected], { atol: 1e-5, rtol: 1e-5 });
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('takes the class of a one-hot label from its arg-max', async () => {
    const classes = [2, 0, 1, 2, 1];
    const weight: Record<number, number> = { 0: 2, 1: 0.5, 2: 1.5 };
    const model = new Sequential({ layers: [constDense({ units: 3, inputShape: [2], activation: 'softmax', k: 0.2 })] });
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'categorical_crossentropy' });
    const [x, y] = [tensor(X), tensor(classes.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))))];
    const history = await model.fit(x, y, { epochs: 1, batchSize: 5, classWeight: weight, verbose: 0 });
    // All three logits are equal (constant kernel), so every probability is 1/3.
    const expected = classes.reduce((s, c) => s + weight[c]! * Math.log(3), 0) / 5;
    expectClose(history.history.loss!, [expected], { atol: 1e-5, rtol: 1e-5 });
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('applies class weights per output name on a multi-output model', async () => {
    const model = twoByTwo();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: { reg: 'mse', cls: 'categorical_crossentropy' } });
    const d = twoByTwoData(6);
    const [a, b, reg, cls] = [tensor(d.a), tensor(d.b), tensor(d.reg), tensor(d.cls)];
    const history = await model.fit([a, b], [reg, cls], { epochs: 1, batchSize: 6, classWeight: { cls: { 0: 0, 1: 0, 2: 3 } }, verbose: 0 });
    const expected = (d.clsIdx.filter((c) => c === 2).length * 3 * Math.log(3)) / 6;
    expectClose(history.history.cls_loss!, [expected], { atol: 1e-5, rtol: 1e-5 });
    model.dispose();
    for (const t of [a, b, reg, cls]) t.dispose();
  });
});

describe('fit: data handling', () => {
  beforeEach(() => resetLayerNames());

  it('validationSplit validates on the last fraction of the samples, unshuffled, and trains on the rest', async () => {
    // 10 samples, split 0.3: train on the first 7, validate on the last 3 (whose labels are huge,
    // so training on them would show in the training loss).
    const X = Array.from({ length: 10 }, (_, i) => [i / 10, 1]);
    const Y = Array.from({ length: 10 }, (_, i) => [i < 7 ? i / 10 : 100]);
    const [x, y] = [tensor(X), tensor(Y)];
    const model = linear(2);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    const seen: unknown[] = [];
    const history = await model.fit(x, y, {
      epochs: 2, batchSize: 7, validationSplit: 0.3, verbose: 0,
      callbacks: [{ onTrainBegin: function (this: Callback) { seen.push(this.params); } }],
    });
    // Epoch 0's loss is the first step's loss with the initial weights, on the first 7 samples.
    const trainLoss = X.slice(0, 7).reduce((s, [p, q], i) => s + (0.1 * (p! + q!) - Y[i]![0]!) ** 2, 0) / 7;
    expectClose([history.history.loss![0]!], [trainLoss], { atol: 1e-6, rtol: 1e-6 });
    const [xv, yv] = [tensor(X.slice(7)), tensor(Y.slice(7))];
    expectClose([history.history.val_loss![1]!], [(await model.evaluate(xv, yv)).loss!], { atol: 1e-6, rtol: 1e-6 });
    model.dispose();
    for (const t of [x, y, xv, yv]) t.dispose();
  });

  it('reports params (samples, steps, metrics) to callbacks', async () => {
    const [x, y] = [tensor(Array.from({ length: 10 }, (_, i) => [i, 1])), tensor(Array.from({ length: 10 }, () => [0]))];
    const model = linear(2);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const cb = callbacks.lambdaCallback({});
    await model.fit(x, y, { epochs: 3, batchSize: 3, validationSplit: 0.3, verbose: 0, callbacks: [cb] });
    expect(cb.params).to.deep.include({ epochs: 3, initialEpoch: 0, samples: 7, steps: 3, batchSize: 3, doValidation: true });
    expect(cb.params.metrics).to.deep.equal(['loss', 'mae', 'val_loss', 'val_mae']);
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('accepts lists and objects keyed by input/output name, giving the same result', async () => {
    const d = twoByTwoData(8);
    const [a, b, reg, cls] = [tensor(d.a), tensor(d.b), tensor(d.reg), tensor(d.cls)];
    const run = async (byName: boolean) => {
      setSeed(4);
      resetLayerNames();
      const m = twoByTwo();
      m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: ['mse', 'categorical_crossentropy'] });
      const h = byName
        ? await m.fit({ b, a }, { cls, reg }, { epochs: 2, batchSize: 3, verbose: 0 })
        : await m.fit([a, b], [reg, cls], { epochs: 2, batchSize: 3, verbose: 0 });
      const w = await weightValues(m);
      m.dispose();
      return { loss: h.history.loss, w };
    };
    expect(await run(true)).to.deep.equal(await run(false));
    for (const t of [a, b, reg, cls]) t.dispose();
  });

  it('builds a Sequential model without an input shape from the first data', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 4, activation: 'relu' }), new Dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const [x, y] = [tensor([[1, 2, 3], [4, 5, 6]]), tensor([[1], [2]])];
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(model.inputs[0]!.shape).to.deep.equal([null, 3]);
    expect(model.trainableWeights.map((w) => w.shape)).to.deep.equal([[3, 4], [4], [4, 1], [1]]);
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('runs stepsPerEpoch batches per epoch, cycling through the data', async () => {
    const [x, y] = [tensor(Array.from({ length: 10 }, (_, i) => [i])), tensor(Array.from({ length: 10 }, () => [0]))];
    const model = linear(1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const batches: number[] = [];
    await model.fit(x, y, { epochs: 2, batchSize: 4, stepsPerEpoch: 5, verbose: 0, callbacks: [{ onBatchBegin: (b) => void batches.push(b) }] });
    expect(batches).to.deep.equal([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(model.optimizer!.iterations).to.equal(10);
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('validates every validationFreq epochs, or at the listed epochs', async () => {
    const [x, y] = [tensor(Array.from({ length: 8 }, (_, i) => [i / 8])), tensor(Array.from({ length: 8 }, () => [1]))];
    const model = linear(1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const ends: string[][] = [];
    const record = { onEpochEnd: (_e: number, logs: Record<string, number>) => void ends.push(Object.keys(logs)) };
    await model.fit(x, y, { epochs: 4, validationSplit: 0.25, validationFreq: 2, verbose: 0, callbacks: [record] });
    expect(ends.map((k) => k.includes('val_loss'))).to.deep.equal([false, true, false, true]);
    ends.length = 0;
    const h = await model.fit(x, y, { epochs: 4, validationSplit: 0.25, validationFreq: [1, 4], verbose: 0, callbacks: [record] });
    expect(ends.map((k) => k.includes('val_loss'))).to.deep.equal([true, false, false, true]);
    expect(h.history.val_loss).to.have.length(2);
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('starts at initialEpoch', async () => {
    const [x, y] = [tensor([[1], [2]]), tensor([[1], [2]])];
    const model = linear(1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const h = await model.fit(x, y, { epochs: 5, initialEpoch: 3, verbose: 0 });
    expect(h.epoch).to.deep.equal([3, 4]);
    expect(h.history.loss).to.have.length(2);
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('adds weight regularization penalties to the loss', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2], kernelInitializer: { className: 'Constant', config: { value: 0.5 } }, kernelRegularizer: { className: 'L2', config: { l2: 0.1 } } })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tensor([[1, 1], [2, 0]]), tensor([[0], [0]])];
    // predictions 1 and 1: mse 1; penalty 0.1 * (0.25 + 0.25) = 0.05
    expectClose([(await model.evaluate(x, y)).loss!], [1.05], { atol: 1e-6 });
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('adds activity regularization penalties to the loss', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2], kernelInitializer: { className: 'Constant', config: { value: 0.5 } }, activityRegularizer: { className: 'L1', config: { l1: 0.1 } } })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tensor([[1, 1], [2, 0]]), tensor([[0], [0]])];
    // predictions 1 and 1: mse 1; activity penalty 0.1 * (|1| + |1|) = 0.2
    expectClose([(await model.evaluate(x, y)).loss!], [1.2], { atol: 1e-6 });
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('lets timers run during fit with yieldEvery, and not with never', async () => {
    const [x, y] = [tensor(Array.from({ length: 8 }, (_, i) => [i])), tensor(Array.from({ length: 8 }, () => [0]))];
    const model = linear(1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const fired = async (yieldEvery: 'batch' | 'never' | 'epoch' | number) => {
      let timer = false;
      let seenAtEnd = false;
      setTimeout(() => (timer = true), 0);
      await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, yieldEvery, callbacks: [{ onTrainEnd: () => void (seenAtEnd = timer) }] });
      await new Promise((r) => setTimeout(r, 1));
      return seenAtEnd;
    };
    expect(await fired('batch')).to.equal(true);
    expect(await fired('epoch')).to.equal(true);
    expect(await fired(0)).to.equal(true);
    expect(await fired('never')).to.equal(false);
    let error: Error | null = null;
    await model.fit(x, y, { verbose: 0, yieldEvery: 'sometimes' as never }).catch((e: Error) => (error = e));
    expect(error!.message).to.equal("fit: option 'yieldEvery' must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0; received \"sometimes\".");
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('awaits async callback hooks before going on', async () => {
    const [x, y] = [tensor([[1], [2]]), tensor([[1], [2]])];
    const model = linear(1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const order: string[] = [];
    await model.fit(x, y, {
      epochs: 2, verbose: 0,
      callbacks: [{
        onEpochEnd: async (e) => { await new Promise((r) => setTimeout(r, 5)); order.push(`end ${e}`); },
        onEpochBegin: (e) => void order.push(`begin ${e}`),
      }],
    });
    expect(order).to.deep.equal(['begin 0', 'end 0', 'begin 1', 'end 1']);
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

describe('fit: stopTraining, determinism, memory', () => {
  beforeEach(() => resetLayerNames());

  it('stops after the current batch when a callback sets model.stopTraining, still ending the epoch', async () => {
    const [x, y] = [tensor(Array.from({ length: 10 }, (_, i) => [i / 10])), tensor(Array.from({ length: 10 }, () => [1]))];
    const model = linear(1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const events: string[] = [];
    const h = await model.fit(x, y, {
      epochs: 5, batchSize: 2, validationSplit: 0.2, verbose: 0,
      callbacks: [{
        onBatchEnd: function (this: Callback, b: number) { events.push(`batch ${b}`); if (b === 1) this.model!.stopTraining = true; },
        onEpochEnd: (e: number, logs: Record<string, number>) => void events.push(`epoch ${e} ${'val_loss' in logs}`),
        onTrainEnd: () => void events.push('train end'),
      }],
    });
    expect(events).to.deep.equal(['batch 0', 'batch 1', 'epoch 0 true', 'train end']);
    expect(h.epoch).to.deep.equal([0]);
    expect(model.optimizer!.iterations).to.equal(2);
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('gives identical weights and losses for the same seed, and different ones for another seed', async () => {
    const X = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const Y = X.map(([p, q]) => [p! * q! > 0 ? 1 : 0]);
    const [x, y] = [tensor(X), tensor(Y)];
    const run = async (seed: number) => {
      setSeed(seed);
      resetLayerNames();
      const m = mlp(2, [8], 1, 'sigmoid');
      m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
      const h = await m.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, validationSplit: 0.25 });
      const w = await weightValues(m);
      m.dispose();
      return { history: h.history, w };
    };
    const a = await run(123);
    const b = await run(123);
    expect(a).to.deep.equal(b);
    const c = await run(124);
    expect(c.history.loss).to.not.deep.equal(a.history.loss);
    x.dispose();
    y.dispose();
  });

  it('shuffles each epoch differently, and not at all with shuffle: false', async () => {
    // Record which samples each first batch holds through a model that echoes its input.
    const [x, y] = [tensor(Array.from({ length: 6 }, (_, i) => [i])), tensor(Array.from({ length: 6 }, () => [0]))];
    const orders = async (shuffle: boolean) => {
      const model = linear(1, 1, 1, 0);
      model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'mse' });
      const firstBatchLoss: number[] = [];
      await model.fit(x, y, { epochs: 4, batchSize: 3, shuffle, verbose: 0, callbacks: [{ onBatchEnd: (b, logs) => void (b === 0 && firstBatchLoss.push(logs.loss!)) }] });
      model.dispose();
      return firstBatchLoss;
    };
    // Unshuffled, the first batch is always samples 0..2: loss (0 + 1 + 4) / 3.
    expectClose(await orders(false), [5 / 3, 5 / 3, 5 / 3, 5 / 3], { atol: 1e-6 });
    const shuffled = await orders(true);
    expect(new Set(shuffled.map((v) => v.toFixed(4))).size).to.be.greaterThan(1);
    x.dispose();
    y.dispose();
  });

  it('leaves no tensor behind after fit with validation, metrics and callbacks, evaluate and predict', async () => {
    const X = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(i), i / 30]);
    const Y = X.map(([p]) => [p! > 0 ? 1 : 0]);
    const [x, y] = [tensor(X), tensor(Y)];
    const model = mlp(3, [6], 1, 'sigmoid');
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'mse'] });
    await model.fit(x, y, { epochs: 1, verbose: 0 }); // creates the optimizer slots and metric state
    const before = memory().numTensors;
    const stream = { isTTY: true, write: () => true };
    await model.fit(x, y, {
      epochs: 3, batchSize: 7, validationSplit: 0.2, verbose: 1, progressStream: stream,
      callbacks: [
        callbacks.earlyStopping({ patience: 5, restoreBestWeights: true }),
        callbacks.reduceLROnPlateau({ patience: 1 }),
        callbacks.terminateOnNaN(),
        { onBatchEnd: () => {} },
      ],
    });
    expect(memory().numTensors).to.equal(before);
    await model.evaluate(x, y, { batchSize: 4, verbose: 1, progressStream: stream });
    expect(memory().numTensors).to.equal(before);
    const p = (await model.predict(x, { batchSize: 4 })) as Tensor;
    expect(memory().numTensors).to.equal(before + 1);
    p.dispose();
    await model.trainOnBatch(x, y);
    await model.testOnBatch(x, y);
    model.predictOnBatch(x).valueOf();
    expect(memory().numTensors).to.be.oneOf([before, before + 1]);
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

describe('fit: disposal', () => {
  it('model.dispose frees the weights, the optimizer slots and the metric state that compile created', async () => {
    const [x, y] = [tensor([[1, 2], [3, 4], [5, 6]]), tensor([[0], [1], [1]])];
    const before = memory().numTensors;
    const model = mlp(2, [4], 1, 'sigmoid');
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'auc'] });
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    // Compiling again frees the first compile's metrics and optimizer.
    model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    model.dispose();
    expect(memory().numTensors).to.equal(before);
    x.dispose();
    y.dispose();
  });
});

describe('evaluate, predict and the on-batch methods', () => {
  beforeEach(() => resetLayerNames());

  it('predict concatenates batches and equals predictOnBatch; several outputs give a list', async () => {
    const model = mlp(2, [5], 3, 'softmax');
    const x = tensor(Array.from({ length: 11 }, (_, i) => [i / 11, -i / 7]));
    const before = memory().numTensors;
    const batched = (await model.predict(x, { batchSize: 4 })) as Tensor;
    const whole = model.predictOnBatch(x) as Tensor;
    expect(batched.shape).to.deep.equal([11, 3]);
    expectClose(await values(batched), await values(whole), { atol: 1e-6 });
    batched.dispose();
    whole.dispose();
    expect(memory().numTensors).to.equal(before);
    model.dispose();
    x.dispose();

    const m2 = twoByTwo();
    const d = twoByTwoData(5);
    const [a, b] = [tensor(d.a), tensor(d.b)];
    const outs = (await m2.predict({ a, b }, { batchSize: 2 })) as Tensor[];
    expect(outs.map((t) => t.shape)).to.deep.equal([[5, 1], [5, 3]]);
    outs.forEach((t) => t.dispose());
    m2.dispose();
    a.dispose();
    b.dispose();
  });

  it('trainOnBatch updates the weights and returns that batch\'s logs; testOnBatch does not update', async () => {
    const model = linear(2);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
    const [x, y] = [tensor([[1, 2], [3, 4]]), tensor([[1], [0]])];
    const w0 = await weightValues(model);
    const t = await model.testOnBatch(x, y);
    expect(await weightValues(model)).to.deep.equal(w0);
    // predictions 0.3 and 0.7: mse (0.49 + 0.49) / 2, mae 0.7
    expectClose([t.loss!, t.mae!], [0.49, 0.7], { atol: 1e-6 });
    const logs = await model.trainOnBatch(x, y);
    expectClose([logs.loss!, logs.mae!], [0.49, 0.7], { atol: 1e-6 });
    expect(await weightValues(model)).to.not.deep.equal(w0);
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('evaluate honours steps and batchSize, and uses inference mode', async () => {
    const model = linear(1, 1, 1, 0);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tensor([[1], [2], [3], [4]]), tensor([[0], [0], [0], [0]])];
    // Only the first batch of 2 is evaluated: (1 + 4) / 2.
    expectClose([(await model.evaluate(x, y, { batchSize: 2, steps: 1 })).loss!], [2.5], { atol: 1e-6 });
    // All of it, in uneven batches: (1 + 4 + 9 + 16) / 4.
    expectClose([(await model.evaluate(x, y, { batchSize: 3 })).loss!], [7.5], { atol: 1e-6 });
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

describe('compile', () => {
  beforeEach(() => resetLayerNames());

  it('resolves optimizers by name with Keras defaults, and accepts instances', () => {
    const model = linear(1);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    expect(model.optimizer!.className).to.equal('Adam');
    expect(model.optimizer!.learningRate).to.equal(0.001);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(model.optimizer!.learningRate).to.equal(0.01);
    const opt = optimizers.rmsprop({ learningRate: 0.5 });
    model.compile({ optimizer: opt, loss: 'mse' });
    expect(model.optimizer).to.equal(opt);
    model.dispose();
  });

  it('copies one metric instance per output, keeping its name', async () => {
    const model = twoByTwo();
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [metrics.meanAbsoluteError({ name: 'err' })] });
    const d = twoByTwoData(3);
    const [a, b, reg, cls] = [tensor(d.a), tensor(d.b), tensor(d.reg), tensor(d.cls)];
    const logs = await model.evaluate([a, b], [reg, cls]);
    expect(Object.keys(logs)).to.deep.equal(['loss', 'reg_loss', 'cls_loss', 'reg_err', 'cls_err']);
    expect(logs.reg_err).to.not.equal(logs.cls_err);
    model.dispose();
    for (const t of [a, b, reg, cls]) t.dispose();
  });

  it('a functional model with one input and output takes plain tensors', async () => {
    const inp = input({ shape: [2] });
    const out = constDense({ units: 1 }).apply(inp) as never;
    const model = new LayersModel({ inputs: inp, outputs: out });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tensor([[1, 1]]), tensor([[0.2]])];
    expectClose([(await model.evaluate(x, y)).loss!], [0], { atol: 1e-6 });
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

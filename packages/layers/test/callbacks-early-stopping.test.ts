import { expect } from 'chai';
import { StrataError, memory, tensor, type Tensor } from '@strata/core';
import { Callback, callbacks, EarlyStopping } from '../src/callbacks/index.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { optimizers } from '../src/optimizers/index.js';
import { linear, weightValues } from './training-helpers.js';

/** Fits a small model for up to `epochs` epochs with `score` (scripted per epoch) in the logs. */
async function fitScripted(scores: number[], stop: EarlyStopping, epochs = scores.length, record?: number[][][]) {
  const model = linear(2);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'mse' });
  const [x, y] = [tensor([[1, 2], [2, 1], [0, 1]]), tensor([[1], [2], [3]])];
  const script = {
    onEpochEnd: async function (this: Callback, epoch: number, logs: Record<string, number>) {
      logs.score = scores[epoch]!;
      if (record) record.push(await weightValues(this.model!));
    },
  };
  const history = await model.fit(x, y, { epochs, verbose: 0, callbacks: [script, stop] });
  x.dispose();
  y.dispose();
  return { model, history };
}

describe('EarlyStopping', () => {
  beforeEach(() => resetLayerNames());

  it('stops after `patience` epochs without improvement', async () => {
    const stop = callbacks.earlyStopping({ monitor: 'score', mode: 'min', patience: 2 });
    const { model, history } = await fitScripted([5, 4, 4.5, 4.2, 3, 2, 1], stop);
    // Best 4 at epoch 1; epochs 2 and 3 do not improve: stop at epoch 3.
    expect(history.epoch).to.deep.equal([0, 1, 2, 3]);
    expect(stop.stoppedEpoch).to.equal(3);
    expect(stop.best).to.equal(4);
    model.dispose();
  });

  it('needs an improvement larger than minDelta, and maximizes in max mode', async () => {
    const stop = callbacks.earlyStopping({ monitor: 'score', mode: 'max', patience: 1, minDelta: 0.1 });
    const { model, history } = await fitScripted([0.5, 0.55, 0.58, 0.9], stop);
    // 0.55 and 0.58 are within 0.1 of 0.5: no improvement, so it stops at epoch 1.
    expect(history.epoch).to.deep.equal([0, 1]);
    model.dispose();
  });

  it('infers the direction from the name in auto mode, and refuses names it cannot read', async () => {
    const acc = callbacks.earlyStopping({ monitor: 'val_accuracy', patience: 0 });
    const loss = callbacks.earlyStopping({ monitor: 'val_loss', patience: 0 });
    for (const [cb, logs] of [[acc, [0.5, 0.6, 0.55]], [loss, [0.5, 0.4, 0.45]]] as const) {
      cb.onTrainBegin();
      cb.setModel({ stopTraining: false, getWeights: () => [] } as never);
      const key = cb.monitor;
      logs.forEach((v, e) => cb.onEpochEnd(e, { [key]: v }));
      expect(cb.stoppedEpoch).to.equal(2);
    }
    const unknown = callbacks.earlyStopping({ monitor: 'score' });
    unknown.setModel({ stopTraining: false } as never);
    expect(() => unknown.onEpochEnd(0, { score: 1 })).to.throw(StrataError, "EarlyStopping: cannot tell whether monitor 'score' should be minimized or maximized. Pass mode: 'max'");
  });

  it('counts improvements that do not beat the baseline towards patience', async () => {
    const scores = [3, 2.5, 2.6, 2, 1.5, 1.2];
    const withBaseline = callbacks.earlyStopping({ monitor: 'score', mode: 'min', patience: 2, baseline: 1 });
    const a = await fitScripted(scores, withBaseline);
    // Epochs 0 and 1 improve but stay above the baseline, so the wait is never reset: epoch 2,
    // the first without improvement, finds it at 3 >= patience.
    expect(a.history.epoch).to.deep.equal([0, 1, 2]);
    const without = callbacks.earlyStopping({ monitor: 'score', mode: 'min', patience: 2 });
    const b = await fitScripted(scores, without);
    expect(b.history.epoch).to.deep.equal([0, 1, 2, 3, 4, 5]);
    a.model.dispose();
    b.model.dispose();
  });

  it('waits startFromEpoch epochs before watching', async () => {
    const stop = callbacks.earlyStopping({ monitor: 'score', mode: 'min', patience: 0, startFromEpoch: 3 });
    const { model, history } = await fitScripted([1, 2, 3, 4, 5, 6], stop);
    expect(history.epoch).to.deep.equal([0, 1, 2, 3, 4]);
    model.dispose();
  });

  it('with restoreBestWeights puts back the weights of the best epoch', async () => {
    const stop = callbacks.earlyStopping({ monitor: 'score', mode: 'min', patience: 2, restoreBestWeights: true });
    const record: number[][][] = [];
    const before = memory().numTensors;
    const { model, history } = await fitScripted([3, 1, 2, 2.5, 0.1], stop, 5, record);
    expect(history.epoch).to.deep.equal([0, 1, 2, 3]);
    expect(stop.bestEpoch).to.equal(1);
    // The weights kept changing after epoch 1, and are now epoch 1's again.
    expect(record[3]).to.not.deep.equal(record[1]);
    expect(await weightValues(model)).to.deep.equal(record[1]);
    model.dispose();
    // The copies of the best weights were freed (the model's own weights and slots are gone too).
    expect(memory().numTensors).to.be.at.most(before);
  });

  it('restores the best weights even when training ran to the end (Keras 3)', async () => {
    const stop = callbacks.earlyStopping({ monitor: 'score', mode: 'min', patience: 10, restoreBestWeights: true });
    const record: number[][][] = [];
    const { model } = await fitScripted([3, 1, 2], stop, 3, record);
    expect(stop.stoppedEpoch).to.equal(0);
    expect(await weightValues(model)).to.deep.equal(record[1]);
    model.dispose();
  });

  it('warns once and carries on when the monitored value is missing', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      const stop = callbacks.earlyStopping({ monitor: 'val_loss', patience: 0 });
      const { model, history } = await fitScripted([1, 2, 3], stop);
      expect(history.epoch).to.deep.equal([0, 1, 2]);
      model.dispose();
    } finally {
      console.warn = original;
    }
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain("EarlyStopping: conditioned on 'val_loss', which is not in the logs (available: loss, score)");
  });

  it('checks its options', () => {
    expect(() => callbacks.earlyStopping({ patience: -1 })).to.throw(StrataError, "EarlyStopping: option 'patience' must be an integer >= 0; received -1");
    expect(() => callbacks.earlyStopping({ mode: 'up' as never })).to.throw(StrataError, "EarlyStopping: option 'mode' must be 'auto', 'min' or 'max'; received \"up\"");
    expect(() => callbacks.earlyStopping({ monitor: '' })).to.throw(StrataError, "option 'monitor' must be the name of a logged quantity");
    expect(() => callbacks.earlyStopping({ restoreBestWeights: 1 as never })).to.throw(StrataError, "option 'restoreBestWeights' must be true or false");
  });

  it('stops a real fit on val_loss', async () => {
    const model = linear(1, 1, 0, 0);
    // A huge learning rate makes the validation loss grow from the second epoch on.
    model.compile({ optimizer: optimizers.sgd({ learningRate: 1.2 }), loss: 'mse' });
    const x: Tensor = tensor([[1], [2], [3], [4], [5]]);
    const y: Tensor = tensor([[1], [2], [3], [4], [5]]);
    const stop = callbacks.earlyStopping({ patience: 1 });
    const h = await model.fit(x, y, { epochs: 20, batchSize: 4, validationSplit: 0.2, shuffle: false, verbose: 0, callbacks: [stop] });
    expect(h.epoch.length).to.be.lessThan(20);
    expect(stop.stoppedEpoch).to.equal(h.epoch[h.epoch.length - 1]);
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

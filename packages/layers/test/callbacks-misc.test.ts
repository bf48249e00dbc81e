import { expect } from 'chai';
import { StrataError, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { Callback, History, callbacks, formatLogValue, formatTemplate, monitorDirection, type BatchKind } from '../src/callbacks/index.js';
import { formatEta, formatStepTime } from '../src/callbacks/format.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { optimizers } from '../src/optimizers/index.js';
import type { Logs } from '../src/training/types.js';
import { linear } from './training-helpers.js';

describe('TerminateOnNaN', () => {
  beforeEach(() => resetLayerNames());

  it('stops a diverging model at the first batch whose loss is not finite', async () => {
    const model = linear(1, 1, 1, 0);
    // Far too large a rate: the weights overflow to Infinity and the loss to NaN/Infinity.
    model.compile({ optimizer: optimizers.sgd({ learningRate: 1e4 }), loss: 'mse' });
    const [x, y] = [tensor(Array.from({ length: 40 }, (_, i) => [10 + i])), tensor(Array.from({ length: 40 }, () => [0]))];
    const printed: string[] = [];
    const stop = new callbacks.TerminateOnNaN((line) => printed.push(line));
    const h = await model.fit(x, y, { epochs: 50, batchSize: 4, verbose: 0, callbacks: [stop] });
    expect(stop.terminatedAt).to.not.equal(null);
    expect(h.epoch).to.have.length(stop.terminatedAt!.epoch + 1);
    expect(h.epoch.length).to.be.lessThan(50);
    expect(Number.isFinite(h.history.loss![h.epoch.length - 1]!)).to.equal(false);
    expect(printed).to.deep.equal([`Batch ${stop.terminatedAt!.batch}: Invalid loss, terminating training`]);
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

describe('LambdaCallback and the hook order', () => {
  beforeEach(() => resetLayerNames());

  it('calls the Keras hooks in order in fit (with validation), evaluate and predict', async () => {
    const model = linear(1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tensor([[1], [2], [3], [4], [5]]), tensor([[1], [2], [3], [4], [5]])];
    const events: string[] = [];
    const hook = (name: string) => (...args: unknown[]) => void events.push(typeof args[0] === 'number' ? `${name} ${args[0]}` : name);
    const names = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onTestBegin', 'onTestEnd', 'onTestBatchBegin',
      'onTestBatchEnd', 'onPredictBegin', 'onPredictEnd', 'onPredictBatchBegin', 'onPredictBatchEnd'] as const;
    const cb = callbacks.lambdaCallback(Object.fromEntries(names.map((n) => [n, hook(n)])));
    await model.fit(x, y, { epochs: 2, batchSize: 2, validationSplit: 0.2, verbose: 0, callbacks: [cb] });
    const epoch = (e: number) => [`onEpochBegin ${e}`, 'onBatchBegin 0', 'onBatchEnd 0', 'onBatchBegin 1', 'onBatchEnd 1',
      'onTestBegin', 'onTestBatchBegin 0', 'onTestBatchEnd 0', 'onTestEnd', `onEpochEnd ${e}`];
    expect(events).to.deep.equal(['onTrainBegin', ...epoch(0), ...epoch(1), 'onTrainEnd']);
    events.length = 0;
    await model.evaluate(x, y, { batchSize: 3, callbacks: [cb] });
    expect(events).to.deep.equal(['onTestBegin', 'onTestBatchBegin 0', 'onTestBatchEnd 0', 'onTestBatchBegin 1', 'onTestBatchEnd 1', 'onTestEnd']);
    events.length = 0;
    ((await model.predict(x, { batchSize: 3, callbacks: [cb] })) as Tensor).dispose();
    expect(events).to.deep.equal(['onPredictBegin', 'onPredictBatchBegin 0', 'onPredictBatchEnd 0', 'onPredictBatchBegin 1', 'onPredictBatchEnd 1', 'onPredictEnd']);
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('passes running averages as batch logs, and the epoch logs to later callbacks with keys added by earlier ones', async () => {
    const model = linear(1, 1, 1, 0);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'mse' });
    const [x, y] = [tensor([[1], [2], [3], [4], [5]]), tensor([[0], [0], [0], [0], [0]])];
    const batchLogs: Logs[] = [];
    const seen: Logs[] = [];
    await model.fit(x, y, {
      epochs: 1, batchSize: 2, shuffle: false, verbose: 0,
      callbacks: [
        { onBatchEnd: (_b, logs) => void batchLogs.push({ ...logs }), onEpochEnd: (_e, logs) => void (logs.extra = 7) },
        { onEpochEnd: (_e, logs) => void seen.push({ ...logs }) },
      ],
    });
    // Batches [1, 2], [3, 4], [5]: running means of the squared predictions over the samples so far.
    expectClose(batchLogs.map((l) => l.loss!), [5 / 2, 30 / 4, 55 / 5], { atol: 1e-5 });
    expect(seen).to.have.length(1);
    expect(seen[0]!.extra).to.equal(7);
    expectClose([seen[0]!.loss!], [11], { atol: 1e-5 });
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('refuses unknown hooks, pointing Keras names to the camelCase ones', () => {
    expect(() => callbacks.lambdaCallback({ on_epoch_end: () => {} } as never)).to.throw(StrataError, "LambdaCallback: unknown hook 'on_epoch_end'; use 'onEpochEnd'");
    expect(() => callbacks.lambdaCallback({ onEpochEnd: 3 } as never)).to.throw(StrataError, "LambdaCallback: hook 'onEpochEnd' must be a function; received number");
  });

  it('asks for batch logs only for callbacks that handle batch ends', () => {
    class EpochOnly extends Callback {
      override onEpochEnd(): void {}
    }
    class Batches extends Callback {
      override onBatchEnd(): void {}
    }
    const kinds: BatchKind[] = ['train', 'test', 'predict'];
    expect(kinds.map((k) => new EpochOnly().wantsBatchLogs(k, 0))).to.deep.equal([false, false, false]);
    expect(kinds.map((k) => new Batches().wantsBatchLogs(k, 0))).to.deep.equal([true, false, false]);
    expect(kinds.map((k) => callbacks.lambdaCallback({ onTestBatchEnd: () => {} }).wantsBatchLogs(k, 0))).to.deep.equal([false, true, false]);
    expect(new History().wantsBatchLogs('train', 0)).to.equal(false);
  });
});

describe('History', () => {
  beforeEach(() => resetLayerNames());

  it('is what fit resolves to, with the epochs, the logs per epoch and the params', async () => {
    const model = linear(1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tensor([[1], [2]]), tensor([[1], [2]])];
    const h = await model.fit(x, y, { epochs: 3, verbose: 0 });
    expect(h).to.be.instanceOf(History);
    expect(h.epoch).to.deep.equal([0, 1, 2]);
    expect(h.history.loss).to.have.length(3);
    expect(h.params).to.deep.include({ epochs: 3, steps: 1, samples: 2 });
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

describe('formatting', () => {
  it('fills path templates as Python str.format', () => {
    const values = { epoch: 3, val_loss: 0.45678, loss: 1.5, acc: 0.9 };
    expect(formatTemplate('T', 'weights.{epoch:02d}-{val_loss:.2f}.json', values)).to.equal('weights.03-0.46.json');
    expect(formatTemplate('T', '{epoch}_{loss}_{acc:.1%}_{val_loss:.3e}_{epoch:4d}', values)).to.equal('3_1.5_90.0%_4.568e-01_   3');
    expect(() => formatTemplate('T', '{loss:d}', values)).to.throw(StrataError, "T: '{loss:d}' in '{loss:d}' formats an integer, but loss is 1.5");
    expect(() => formatTemplate('T', '{loss:x}', values)).to.throw(StrataError, "T: format spec '{loss:x}' in '{loss:x}' is not supported");
  });

  it('formats log values, ETAs and step times as Keras', () => {
    expect([0.41234, 0.0001, 0, 12.3, NaN].map(formatLogValue)).to.deep.equal(['0.4123', '1.0000e-04', '0.0000e+00', '12.3000', 'nan']);
    expect([3.7, 65, 3725].map(formatEta)).to.deep.equal(['3s', '1:05', '1:02:05']);
    expect([2, 0.04, 0.000085].map((s) => formatStepTime(s))).to.deep.equal(['2s/step', '40ms/step', '85us/step']);
  });

  it('infers the direction of monitored names', () => {
    expect(['loss', 'val_loss', 'out_loss', 'accuracy', 'val_acc', 'val_auc', 'precision', 'mae', 'val_mean_squared_error', 'val_cosine_similarity', 'score'].map(monitorDirection))
      .to.deep.equal(['min', 'min', 'min', 'max', 'max', 'max', 'max', 'min', 'min', 'max', null]);
  });
});

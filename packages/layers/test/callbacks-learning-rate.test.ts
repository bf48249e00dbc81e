import { expect } from 'chai';
import { StrataError, tensor } from '@strata/core';
import { Callback, callbacks } from '../src/callbacks/index.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { optimizers, schedules } from '../src/optimizers/index.js';
import { linear } from './training-helpers.js';

async function fitWith(scores: number[], cbs: unknown[], learningRate = 1) {
  const model = linear(1);
  model.compile({ optimizer: optimizers.sgd({ learningRate }), loss: 'mse' });
  const [x, y] = [tensor([[1]]), tensor([[0.1]])];
  const rates: number[] = [];
  const script = {
    onEpochBegin: function (this: Callback) { rates.push(this.model!.optimizer!.learningRate as number); },
    onEpochEnd: (epoch: number, logs: Record<string, number>) => void (logs.score = scores[epoch]!),
  };
  const history = await model.fit(x, y, { epochs: scores.length, verbose: 0, callbacks: [script, ...(cbs as never[])] });
  x.dispose();
  y.dispose();
  return { model, history, rates };
}

describe('ReduceLROnPlateau', () => {
  beforeEach(() => resetLayerNames());

  it('multiplies the learning rate by factor after patience epochs without improvement, and logs it', async () => {
    const reduce = callbacks.reduceLROnPlateau({ monitor: 'score', mode: 'min', factor: 0.5, patience: 2, minDelta: 0 });
    const { model, history, rates } = await fitWith([5, 4, 4, 4, 4, 4, 3], [reduce]);
    // Best 4 at epoch 1; epochs 2 and 3 wait, so the rate halves after epoch 3, and again after 5.
    expect(rates).to.deep.equal([1, 1, 1, 1, 0.5, 0.5, 0.25]);
    expect(history.history.learning_rate).to.deep.equal([1, 1, 1, 1, 0.5, 0.5, 0.25]);
    expect(model.optimizer!.learningRate).to.equal(0.25);
    model.dispose();
  });

  it('waits cooldown epochs after a reduction, never goes below minLr, and needs minDelta', async () => {
    const reduce = callbacks.reduceLROnPlateau({ monitor: 'score', mode: 'min', factor: 0.1, patience: 1, cooldown: 2, minLr: 0.05, minDelta: 0.5 });
    // 4.8 is within minDelta of 5: no improvement.
    const { model, rates } = await fitWith([5, 4.8, 4.7, 4.6, 4.5, 4.4, 4.3, 4.2], [reduce]);
    // Reduced after epoch 1 (1 -> 0.1). Keras counts the cooldown down at the start of each
    // epoch end, so epoch 2 is blocked, epoch 3 waits one and reduces again, clipped to minLr 0.05.
    expect(rates).to.deep.equal([1, 1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]);
    model.dispose();
  });

  it('maximizes accuracies in auto mode', async () => {
    const reduce = callbacks.reduceLROnPlateau({ monitor: 'val_accuracy', factor: 0.5, patience: 1 });
    reduce.setModel({ optimizer: optimizers.sgd({ learningRate: 1 }) } as never);
    reduce.onTrainBegin();
    [0.5, 0.6, 0.7, 0.65].forEach((v, e) => reduce.onEpochEnd(e, { val_accuracy: v }));
    expect(reduce.model!.optimizer!.learningRate).to.equal(0.5);
  });

  it('refuses factor >= 1 and a learning rate that follows a schedule', async () => {
    expect(() => callbacks.reduceLROnPlateau({ factor: 1 })).to.throw(StrataError, "ReduceLROnPlateau: option 'factor' must be a finite number >= 0 and < 1; received 1");
    const model = linear(1);
    model.compile({ optimizer: optimizers.sgd({ learningRate: schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }) }), loss: 'mse' });
    const [x, y] = [tensor([[1]]), tensor([[0]])];
    let error: Error | null = null;
    await model.fit(x, y, { verbose: 0, callbacks: [callbacks.reduceLROnPlateau({ monitor: 'loss' })] }).catch((e: Error) => (error = e));
    expect(error).to.be.instanceOf(StrataError);
    expect(error!.message).to.contain("ReduceLROnPlateau: optimizer 'SGD' takes its learning rate from a schedule (ExponentialDecay), which a callback cannot change");
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

describe('LearningRateScheduler', () => {
  beforeEach(() => resetLayerNames());

  it('sets the rate from schedule(epoch, lr) at each epoch start and logs it', async () => {
    const calls: [number, number][] = [];
    const sched = callbacks.learningRateScheduler((epoch, lr) => {
      calls.push([epoch, lr]);
      return epoch < 2 ? lr : lr / 2;
    });
    const { model, history, rates } = await fitWith([0, 0, 0, 0], [sched], 0.8);
    // The script callback reads the rate before the scheduler sets it; calls show what it saw.
    expect(calls).to.deep.equal([[0, 0.8], [1, 0.8], [2, 0.8], [3, 0.4]]);
    expect(history.history.learning_rate).to.deep.equal([0.8, 0.8, 0.4, 0.2]);
    expect(rates).to.deep.equal([0.8, 0.8, 0.8, 0.4]);
    expect(model.optimizer!.learningRate).to.equal(0.2);
    model.dispose();
  });

  it('awaits an async schedule and refuses non-numbers', async () => {
    const sched = callbacks.learningRateScheduler(async (epoch) => 0.1 * (epoch + 1));
    const { model, history } = await fitWith([0, 0], [sched]);
    expect(history.history.learning_rate).to.deep.equal([0.1, 0.2]);
    model.dispose();
    const bad = callbacks.learningRateScheduler(() => NaN);
    let error: Error | null = null;
    await fitWith([0], [bad]).catch((e: Error) => (error = e));
    expect(error!.message).to.contain('LearningRateScheduler: the schedule returned NaN for epoch 0; it must return a finite learning rate >= 0');
    expect(() => callbacks.learningRateScheduler(0.1 as never)).to.throw(StrataError, 'expected a schedule function');
  });
});

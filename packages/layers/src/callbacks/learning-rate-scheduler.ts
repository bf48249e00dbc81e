import { StrataError } from '@strata/core';
import type { Logs } from '../training/types.js';
import { Callback } from './callback.js';
import { compiledOptimizer, fixedLearningRate } from './learning-rate.js';

/** A schedule for `callbacks.learningRateScheduler`: the epoch (0-based) and the current rate give the new rate. */
export type EpochSchedule = (epoch: number, learningRate: number) => number | Promise<number>;

/**
 * Sets the optimizer's learning rate at the start of each epoch from `schedule(epoch, lr)` (Keras
 * `LearningRateScheduler`), and adds `learning_rate` to each epoch's logs.
 *
 * @example
 * const halve = callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * 0.5));
 * await model.fit(x, y, { epochs: 20, callbacks: [halve] });
 */
export class LearningRateScheduler extends Callback {
  static readonly className = 'LearningRateScheduler';
  readonly schedule: EpochSchedule;
  readonly verbose: number;

  constructor(schedule: EpochSchedule, verbose: 0 | 1 = 0) {
    super();
    if (typeof schedule !== 'function') {
      throw new StrataError(`LearningRateScheduler: expected a schedule function (epoch, learningRate) => number; received ${typeof schedule}. Pass e.g. (epoch, lr) => lr * 0.9.`);
    }
    this.schedule = schedule;
    this.verbose = verbose;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const optimizer = compiledOptimizer('LearningRateScheduler', this.model);
    const current = fixedLearningRate('LearningRateScheduler', optimizer);
    const next: unknown = await this.schedule(epoch, current);
    if (typeof next !== 'number' || !Number.isFinite(next) || next < 0) {
      throw new StrataError(`LearningRateScheduler: the schedule returned ${typeof next === 'number' ? next : typeof next} for epoch ${epoch}; it must return a finite learning rate >= 0.`);
    }
    optimizer.learningRate = next;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${next}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = fixedLearningRate('LearningRateScheduler', compiledOptimizer('LearningRateScheduler', this.model));
  }
}

import { StrataError } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';

/**
 * The compiled optimizer of `model`, for callbacks that read or change its learning rate; the
 * error says to compile first.
 *
 * @example
 * const opt = compiledOptimizer('ReduceLROnPlateau', this.model);
 */
export function compiledOptimizer(owner: string, model: LayersModel | null): Optimizer {
  const opt = model?.optimizer;
  if (!opt) throw new StrataError(`${owner}: the model has no optimizer; compile it (model.compile({ optimizer, loss })) before fit.`);
  return opt;
}

/**
 * The optimizer's fixed learning rate. A rate that follows a `LearningRateSchedule` cannot be
 * changed by a callback (Keras raises the same way): the error says to use one or the other.
 *
 * @example
 * const lr = fixedLearningRate('LearningRateScheduler', optimizer);
 */
export function fixedLearningRate(owner: string, optimizer: Optimizer): number {
  const lr = optimizer.learningRate;
  if (typeof lr !== 'number') {
    throw new StrataError(
      `${owner}: optimizer '${optimizer.name}' takes its learning rate from a schedule (${lr.className}), which a callback cannot change. Give the optimizer a fixed learningRate, or drop the callback and let the schedule drive the rate.`,
    );
  }
  return lr;
}

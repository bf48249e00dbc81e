import { StrataError } from '@strata/core';
import type { Serializable } from '../../registry.js';
import { describeValue } from '../check.js';

/**
 * A learning rate that depends on the optimizer's step: `call(step)` gives the rate used for the
 * update at that step (the optimizer passes its `iterations` before incrementing, as Keras does).
 * Schedules run on the host because the step is a host number, so they never read tensors.
 * Subclass it for your own schedule; implement `getConfig` and register the class in
 * `scheduleRegistry` to make it serializable.
 *
 * @example
 * class HalveEvery100 extends LearningRateSchedule {
 *   readonly className = 'HalveEvery100';
 *   call(step: number): number { return 0.1 * 0.5 ** Math.floor(step / 100); }
 *   getConfig() { return {}; }
 * }
 * const opt = optimizers.sgd({ learningRate: new HalveEvery100() });
 */
export abstract class LearningRateSchedule implements Serializable {
  /** The Keras class name, used in saved configs. */
  abstract readonly className: string;

  /** The learning rate at `step` (0 for the first update). */
  abstract call(step: number): number;

  /** Options that rebuild an equivalent schedule (camelCase keys). */
  abstract getConfig(): Record<string, unknown>;
}

/**
 * Rejects steps that are not non-negative finite numbers, naming the schedule and the value.
 *
 * @internal
 * @example
 * checkStep('ExponentialDecay', step);
 */
export function checkStep(owner: string, step: unknown): number {
  if (typeof step !== 'number' || !Number.isFinite(step) || step < 0) {
    throw new StrataError(`${owner}.call: argument 'step' must be a finite number >= 0; received ${describeValue(step)}. Pass the optimizer step, such as optimizer.iterations.`);
  }
  return step;
}

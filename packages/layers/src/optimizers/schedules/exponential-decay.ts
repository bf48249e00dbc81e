import { checkBoolean, checkName, checkNumber } from '../check.js';
import { LearningRateSchedule, checkStep } from './learning-rate-schedule.js';

/** Options of {@link ExponentialDecay}. */
export interface ExponentialDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once; > 0. */
  decaySteps: number;
  /** Factor applied every `decaySteps` steps. */
  decayRate: number;
  /** Decay in whole periods (`floor(step / decaySteps)`) instead of continuously. Default false. */
  staircase?: boolean;
  /** Default `'ExponentialDecay'`. */
  name?: string;
}

/**
 * Exponential decay, as Keras 3's `ExponentialDecay`:
 *
 * `lr(step) = initialLearningRate * decayRate ^ (step / decaySteps)`,
 * with `step / decaySteps` floored when `staircase` is true.
 *
 * @example
 * const lr = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96, staircase: true });
 * lr.call(2500); // 0.1 * 0.96 ** 2
 */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: ExponentialDecayOptions) {
    super();
    const o = options ?? ({} as ExponentialDecayOptions);
    this.initialLearningRate = checkNumber('ExponentialDecay', 'initialLearningRate', o.initialLearningRate, {}, 0.1);
    this.decaySteps = checkNumber('ExponentialDecay', 'decaySteps', o.decaySteps, { min: 0, minOpen: true }, 1000);
    this.decayRate = checkNumber('ExponentialDecay', 'decayRate', o.decayRate, {}, 0.96);
    this.staircase = checkBoolean('ExponentialDecay', 'staircase', o.staircase ?? false);
    this.name = checkName('ExponentialDecay', o.name ?? 'ExponentialDecay');
  }

  call(step: number): number {
    let p = checkStep(this.className, step) / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * this.decayRate ** p;
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}

import { checkBoolean, checkName, checkNumber } from '../check.js';
import { LearningRateSchedule, checkStep } from './learning-rate-schedule.js';

/** Options of {@link InverseTimeDecay}. */
export interface InverseTimeDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps per unit of decay; > 0. */
  decaySteps: number;
  /** How fast the rate falls. */
  decayRate: number;
  /** Decay in whole periods (`floor(step / decaySteps)`) instead of continuously. Default false. */
  staircase?: boolean;
  /** Default `'InverseTimeDecay'`. */
  name?: string;
}

/**
 * Inverse-time decay, as Keras 3's `InverseTimeDecay`:
 *
 * `lr(step) = initialLearningRate / (1 + decayRate * step / decaySteps)`,
 * with `step / decaySteps` floored when `staircase` is true.
 *
 * @example
 * const lr = schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
 * lr.call(2); // 0.1 / (1 + 0.5 * 2) = 0.05
 */
export class InverseTimeDecay extends LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: InverseTimeDecayOptions) {
    super();
    const o = options ?? ({} as InverseTimeDecayOptions);
    this.initialLearningRate = checkNumber('InverseTimeDecay', 'initialLearningRate', o.initialLearningRate, {}, 0.1);
    this.decaySteps = checkNumber('InverseTimeDecay', 'decaySteps', o.decaySteps, { min: 0, minOpen: true }, 1000);
    this.decayRate = checkNumber('InverseTimeDecay', 'decayRate', o.decayRate, {}, 0.5);
    this.staircase = checkBoolean('InverseTimeDecay', 'staircase', o.staircase ?? false);
    this.name = checkName('InverseTimeDecay', o.name ?? 'InverseTimeDecay');
  }

  call(step: number): number {
    let p = checkStep(this.className, step) / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}

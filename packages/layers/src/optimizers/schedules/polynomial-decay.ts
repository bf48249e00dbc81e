import { checkBoolean, checkName, checkNumber } from '../check.js';
import { LearningRateSchedule, checkStep } from './learning-rate-schedule.js';

/** Options of {@link PolynomialDecay}. */
export interface PolynomialDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps to go from the initial to the end rate; > 0. */
  decaySteps: number;
  /** The rate reached after `decaySteps`. Default 0.0001. */
  endLearningRate?: number;
  /** Exponent of the polynomial. Default 1 (linear). */
  power?: number;
  /** Restart the decay every `decaySteps` steps (stretching the period to the next multiple). Default false. */
  cycle?: boolean;
  /** Default `'PolynomialDecay'`. */
  name?: string;
}

/**
 * Polynomial decay, as Keras 3's `PolynomialDecay`:
 *
 * without `cycle`: `s = min(step, decaySteps)`, `D = decaySteps`;
 * with `cycle`: `s = step`, `D = decaySteps * ceil(step / decaySteps)` (`D = decaySteps` at step 0);
 * `lr(step) = (initialLearningRate - endLearningRate) * (1 - s / D) ^ power + endLearningRate`.
 *
 * @example
 * const lr = schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 0.5 });
 * lr.call(100); // 0.01
 */
export class PolynomialDecay extends LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(options: PolynomialDecayOptions) {
    super();
    const o = options ?? ({} as PolynomialDecayOptions);
    this.initialLearningRate = checkNumber('PolynomialDecay', 'initialLearningRate', o.initialLearningRate, {}, 0.1);
    this.decaySteps = checkNumber('PolynomialDecay', 'decaySteps', o.decaySteps, { min: 0, minOpen: true }, 1000);
    this.endLearningRate = checkNumber('PolynomialDecay', 'endLearningRate', o.endLearningRate ?? 0.0001, {}, 0.0001);
    this.power = checkNumber('PolynomialDecay', 'power', o.power ?? 1, {}, 1);
    this.cycle = checkBoolean('PolynomialDecay', 'cycle', o.cycle ?? false);
    this.name = checkName('PolynomialDecay', o.name ?? 'PolynomialDecay');
  }

  call(step: number): number {
    let s = checkStep(this.className, step);
    let period = this.decaySteps;
    if (this.cycle) period *= s === 0 ? 1 : Math.ceil(s / this.decaySteps);
    else s = Math.min(s, this.decaySteps);
    return (this.initialLearningRate - this.endLearningRate) * (1 - s / period) ** this.power + this.endLearningRate;
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      endLearningRate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}

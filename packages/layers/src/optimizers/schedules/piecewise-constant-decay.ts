import { StrataError } from '@strata/core';
import { checkName, checkNumber, describeValue } from '../check.js';
import { LearningRateSchedule, checkStep } from './learning-rate-schedule.js';

/** Options of {@link PiecewiseConstantDecay}. */
export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing steps where the rate changes. */
  boundaries: readonly number[];
  /** One more value than boundaries: the rate up to and including each boundary, then after the last. */
  values: readonly number[];
  /** Default `'PiecewiseConstant'`. */
  name?: string;
}

/**
 * A piecewise constant rate, as Keras 3's `PiecewiseConstantDecay`:
 *
 * `lr(step) = values[0]` for `step <= boundaries[0]`, `values[i]` for
 * `boundaries[i-1] < step <= boundaries[i]`, and `values[n]` for `step > boundaries[n-1]`.
 *
 * @example
 * const lr = schedules.piecewiseConstantDecay({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
 * lr.call(100); // 1
 * lr.call(101); // 0.5
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const o = options ?? ({} as PiecewiseConstantDecayOptions);
    if (!Array.isArray(o.boundaries) || !Array.isArray(o.values)) {
      throw new StrataError(
        `PiecewiseConstantDecay: options 'boundaries' and 'values' must be arrays of numbers; received boundaries ${describeValue(o.boundaries)} and values ${describeValue(o.values)}. Pass e.g. { boundaries: [100, 200], values: [1, 0.5, 0.1] }.`,
      );
    }
    if (o.values.length !== o.boundaries.length + 1) {
      throw new StrataError(
        `PiecewiseConstantDecay: option 'values' must have one more entry than 'boundaries'; received ${o.boundaries.length} boundaries [${o.boundaries.join(', ')}] and ${o.values.length} values [${o.values.join(', ')}]. Add or remove a value so that there is one rate per interval.`,
      );
    }
    o.boundaries.forEach((b, i) => checkNumber('PiecewiseConstantDecay', `boundaries[${i}]`, b, {}, 100 * (i + 1)));
    o.values.forEach((v, i) => checkNumber('PiecewiseConstantDecay', `values[${i}]`, v, {}, 0.1));
    for (let i = 1; i < o.boundaries.length; i++) {
      if (!(o.boundaries[i]! > o.boundaries[i - 1]!)) {
        throw new StrataError(
          `PiecewiseConstantDecay: option 'boundaries' must be strictly increasing; received [${o.boundaries.join(', ')}] (entry ${i}, ${o.boundaries[i]}, is not above ${o.boundaries[i - 1]}). Sort the boundaries and remove duplicates.`,
        );
      }
    }
    this.boundaries = Object.freeze([...o.boundaries]);
    this.values = Object.freeze([...o.values]);
    this.name = checkName('PiecewiseConstantDecay', o.name ?? 'PiecewiseConstant');
  }

  call(step: number): number {
    const s = checkStep(this.className, step);
    const i = this.boundaries.findIndex((b) => s <= b);
    return this.values[i === -1 ? this.boundaries.length : i]!;
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

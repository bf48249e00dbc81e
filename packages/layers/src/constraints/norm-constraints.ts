import { add, clip, div, mul, tidy, type Tensor } from '@strata/core';
import { axisOption, numberOption, optionError, readOptions } from '../initializers/options.js';
import { Constraint, EPSILON } from './constraint.js';

/** Options of {@link MaxNorm}. */
export interface MaxNormOptions {
  /** Largest norm allowed (default 2). */
  maxValue?: number;
  /**
   * Axis or axes the norm is taken over (default 0): 0 for a Dense kernel `[in, out]` constrains
   * each unit's incoming weights; `[0, 1, 2]` does so for a Conv2D kernel `[h, w, in, out]`.
   */
  axis?: number | number[];
}

/**
 * Rescales each weight vector (taken over `axis`) whose norm exceeds `maxValue` back to that norm:
 * `w * clip(n, 0, maxValue) / (1e-7 + n)`, n the norms (Keras and TF.js).
 *
 * @example
 * new MaxNorm({ maxValue: 3 }).apply(kernel);
 */
export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | number[];

  constructor(config: MaxNormOptions = {}) {
    super();
    const o = readOptions('MaxNorm', config, ['maxValue', 'axis']);
    this.maxValue = numberOption('MaxNorm', 'maxValue', o.maxValue, 2, 'nonNegative');
    this.axis = axisOption('MaxNorm', o.axis, 0);
  }

  apply(w: Tensor): Tensor {
    this.checkWeight(w);
    return tidy(() => {
      const n = this.norms(w, this.axis);
      return mul(w, div(clip(n, 0, this.maxValue), add(n, EPSILON)));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Options of {@link MinMaxNorm}. */
export interface MinMaxNormOptions {
  /** Smallest norm allowed (default 0). */
  minValue?: number;
  /** Largest norm allowed (default 1). */
  maxValue?: number;
  /** How far to move toward the clipped norm each time, in [0, 1] (default 1: all the way). */
  rate?: number;
  /** Axis or axes the norm is taken over (default 0), as in {@link MaxNorm}. */
  axis?: number | number[];
}

/**
 * Moves each weight vector's norm into [minValue, maxValue]:
 * `w * (rate * clip(n, minValue, maxValue) + (1 - rate) * n) / (1e-7 + n)` (Keras and TF.js).
 *
 * @example
 * new MinMaxNorm({ minValue: 0.5, maxValue: 1, rate: 0.5 }).apply(kernel);
 */
export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];

  constructor(config: MinMaxNormOptions = {}) {
    super();
    const o = readOptions('MinMaxNorm', config, ['minValue', 'maxValue', 'rate', 'axis']);
    this.minValue = numberOption('MinMaxNorm', 'minValue', o.minValue, 0, 'nonNegative');
    this.maxValue = numberOption('MinMaxNorm', 'maxValue', o.maxValue, 1, 'nonNegative');
    if (this.maxValue < this.minValue) throw optionError('MinMaxNorm', 'maxValue', `at least minValue (${this.minValue})`, this.maxValue);
    this.rate = numberOption('MinMaxNorm', 'rate', o.rate, 1, 'nonNegative');
    if (this.rate > 1) throw optionError('MinMaxNorm', 'rate', 'in [0, 1]', this.rate);
    this.axis = axisOption('MinMaxNorm', o.axis, 0);
  }

  apply(w: Tensor): Tensor {
    this.checkWeight(w);
    return tidy(() => {
      const n = this.norms(w, this.axis);
      const clipped = clip(n, this.minValue, this.maxValue);
      const desired = this.rate === 1 ? clipped : add(mul(clipped, this.rate), mul(n, 1 - this.rate));
      return mul(w, div(desired, add(n, EPSILON)));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Options of {@link UnitNorm}. */
export interface UnitNormOptions {
  /** Axis or axes the norm is taken over (default 0), as in {@link MaxNorm}. */
  axis?: number | number[];
}

/**
 * Scales each weight vector to unit norm: `w / (1e-7 + n)` (Keras and TF.js).
 *
 * @example
 * new UnitNorm({ axis: 1 }).apply(kernel);
 */
export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  readonly axis: number | number[];

  constructor(config: UnitNormOptions = {}) {
    super();
    const o = readOptions('UnitNorm', config, ['axis']);
    this.axis = axisOption('UnitNorm', o.axis, 0);
  }

  apply(w: Tensor): Tensor {
    this.checkWeight(w);
    return tidy(() => div(w, add(this.norms(w, this.axis), EPSILON)));
  }

  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

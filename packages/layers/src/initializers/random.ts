import { normal, truncatedNormal, uniform, type DType, type Tensor } from '@strata/core';
import { Initializer } from './initializer.js';
import { optionError, numberOption, readOptions, seedOption } from './options.js';

/** Options of {@link RandomUniform}. */
export interface RandomUniformOptions {
  /** Lower bound, inclusive (default -0.05). */
  minval?: number;
  /** Upper bound, exclusive (default 0.05). */
  maxval?: number;
  /** Pins the values: the same seed gives the same tensor on every call and every engine. */
  seed?: number | null;
}

/**
 * Uniform values on [minval, maxval). With a `seed`, every call returns the same values (as Keras 3
 * and TF.js); without one, each call takes the next draw of the global seeded stream.
 *
 * @example
 * new RandomUniform({ minval: -1, maxval: 1, seed: 3 }).apply([2, 2]);
 */
export class RandomUniform extends Initializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | undefined;

  constructor(config: RandomUniformOptions = {}) {
    super();
    const o = readOptions('RandomUniform', config, ['minval', 'maxval', 'seed']);
    this.minval = numberOption('RandomUniform', 'minval', o.minval, -0.05);
    this.maxval = numberOption('RandomUniform', 'maxval', o.maxval, 0.05);
    if (!(this.maxval > this.minval)) throw optionError('RandomUniform', 'maxval', `greater than minval (${this.minval})`, this.maxval);
    this.seed = seedOption('RandomUniform', o.seed);
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    this.checkShape(shape);
    this.checkDType(dtype, ['float32']);
    return uniform(shape, this.minval, this.maxval, seeded(this.seed));
  }

  override getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}

/** Options of {@link RandomNormal} and {@link TruncatedNormal}. */
export interface RandomNormalOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation before any truncation (default 0.05). */
  stddev?: number;
  /** Pins the values: the same seed gives the same tensor on every call and every engine. */
  seed?: number | null;
}

/**
 * Normal values with the given mean and standard deviation.
 *
 * @example
 * new RandomNormal({ stddev: 0.02, seed: 1 }).apply([16, 8]);
 */
export class RandomNormal extends Initializer {
  readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | undefined;

  constructor(config: RandomNormalOptions = {}) {
    super();
    const owner = new.target === TruncatedNormal ? 'TruncatedNormal' : 'RandomNormal';
    const o = readOptions(owner, config, ['mean', 'stddev', 'seed']);
    this.mean = numberOption(owner, 'mean', o.mean, 0);
    this.stddev = numberOption(owner, 'stddev', o.stddev, 0.05, 'nonNegative');
    this.seed = seedOption(owner, o.seed);
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    this.checkShape(shape);
    this.checkDType(dtype, ['float32']);
    return normal(shape, this.mean, this.stddev, seeded(this.seed));
  }

  override getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/**
 * Normal values redrawn until within two standard deviations of the mean (so the spread is about
 * 0.88 `stddev`; {@link VarianceScaling} corrects for that, this class does not, as in Keras).
 *
 * @example
 * new TruncatedNormal({ stddev: 0.02 }).apply([16, 8]);
 */
export class TruncatedNormal extends RandomNormal {
  override readonly className: string = 'TruncatedNormal';

  override apply(shape: readonly number[], dtype?: DType): Tensor {
    this.checkShape(shape);
    this.checkDType(dtype, ['float32']);
    return truncatedNormal(shape, this.mean, this.stddev, seeded(this.seed));
  }
}

/**
 * Core's random options: an explicit seed pins the draw, none takes the global stream.
 *
 * @example
 * uniform([3], 0, 1, seeded(this.seed));
 */
export function seeded(seed: number | undefined): { seed?: number } {
  return seed === undefined ? {} : { seed };
}

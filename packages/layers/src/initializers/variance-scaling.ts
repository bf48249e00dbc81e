import { normal, truncatedNormal, uniform, type DType, type Tensor } from '@strata/core';
import { Initializer } from './initializer.js';
import { choiceOption, numberOption, readOptions, seedOption } from './options.js';
import { seeded } from './random.js';

/** Which fan divides `scale`. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';

/**
 * The distribution drawn. `'normal'` is the older spelling of `'truncatedNormal'` (Keras maps it so).
 */
export type Distribution = 'truncatedNormal' | 'untruncatedNormal' | 'normal' | 'uniform';

/**
 * Standard deviation of a unit normal truncated to two standard deviations, which is how much
 * narrower core's `truncatedNormal` is than its `stddev`; dividing by it restores the target variance.
 */
const TRUNCATED_STDDEV = 0.87962566103423978;

/**
 * Keras's fan-in and fan-out of a weight shape. Kernels of rank 3 and more are
 * `[...receptiveField, in, out]` (channels last), so both fans are multiplied by the receptive
 * field size; a vector's fans are its length; a scalar's are 1.
 *
 * @example
 * computeFans([3, 3, 16, 32]); // [144, 288]
 */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  let receptiveField = 1;
  for (const d of shape.slice(0, -2)) receptiveField *= d;
  return [shape[shape.length - 2] * receptiveField, shape[shape.length - 1] * receptiveField];
}

/** Options of {@link VarianceScaling}. */
export interface VarianceScalingOptions {
  /** Positive scaling factor (default 1). */
  scale?: number;
  /** Fan that divides the scale (default `'fanIn'`; Keras's `'fan_in'` spellings are accepted). */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  /** Distribution (default `'truncatedNormal'`; Keras's snake_case spellings are accepted). */
  distribution?: Distribution | 'truncated_normal' | 'untruncated_normal';
  /** Pins the values: the same seed gives the same tensor on every call and every engine. */
  seed?: number | null;
}

const MODES = { fanIn: ['fan_in'], fanOut: ['fan_out'], fanAvg: ['fan_avg'] } as const;
const DISTRIBUTIONS = { truncatedNormal: ['truncated_normal'], untruncatedNormal: ['untruncated_normal'], normal: [], uniform: [] } as const;

/**
 * Values whose variance is `scale / n`, n being the fan-in, fan-out or their mean (see
 * {@link computeFans}): uniform on ±sqrt(3 scale / n), a normal of stddev sqrt(scale / n), or a normal
 * truncated at two standard deviations whose stddev is first divided by 0.8796 so the truncated
 * values still have variance `scale / n` (Keras 3).
 *
 * TF.js differs for `distribution: 'normal'`: it draws the truncated normal without that
 * correction (variance 0.77 scale / n). Strata follows Keras here, as does every preset
 * ({@link GlorotNormal}, {@link HeNormal}, {@link LecunNormal}).
 *
 * @example
 * new VarianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform', seed: 1 }).apply([64, 32]);
 */
export class VarianceScaling extends Initializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed: number | undefined;

  constructor(config: VarianceScalingOptions = {}) {
    super();
    const o = readOptions('VarianceScaling', config, ['scale', 'mode', 'distribution', 'seed']);
    this.scale = numberOption('VarianceScaling', 'scale', o.scale, 1, 'positive');
    this.mode = choiceOption<FanMode>('VarianceScaling', 'mode', o.mode, MODES, 'fanIn');
    this.distribution = choiceOption<Distribution>('VarianceScaling', 'distribution', o.distribution, DISTRIBUTIONS, 'truncatedNormal');
    this.seed = seedOption('VarianceScaling', o.seed);
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    this.checkShape(shape);
    this.checkDType(dtype, ['float32']);
    const [fanIn, fanOut] = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const options = seeded(this.seed);
    switch (this.distribution) {
      case 'uniform': {
        const limit = Math.sqrt(3 * variance);
        return uniform(shape, -limit, limit, options);
      }
      case 'untruncatedNormal':
        return normal(shape, 0, Math.sqrt(variance), options);
      case 'truncatedNormal':
      case 'normal':
        return truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNCATED_STDDEV, options);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** Options of the variance-scaling presets: only the seed. */
export interface SeedOptions {
  /** Pins the values: the same seed gives the same tensor on every call and every engine. */
  seed?: number | null;
}

/**
 * Builds a preset's VarianceScaling options from a config that may carry only a seed.
 */
function preset(owner: string, config: SeedOptions | undefined, fixed: Omit<VarianceScalingOptions, 'seed'>): VarianceScalingOptions {
  const o = readOptions(owner, config, ['seed']);
  return { ...fixed, seed: seedOption(owner, o.seed) };
}

/**
 * Glorot (Xavier) uniform: uniform on ±sqrt(6 / (fanIn + fanOut)).
 *
 * @example
 * new GlorotUniform({ seed: 7 }).apply([784, 128]);
 */
export class GlorotUniform extends VarianceScaling {
  override readonly className: string = 'GlorotUniform';
  constructor(config?: SeedOptions) {
    super(preset('GlorotUniform', config, { scale: 1, mode: 'fanAvg', distribution: 'uniform' }));
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

/**
 * Glorot (Xavier) normal: truncated normal with variance 2 / (fanIn + fanOut).
 *
 * @example
 * new GlorotNormal().apply([784, 128]);
 */
export class GlorotNormal extends VarianceScaling {
  override readonly className: string = 'GlorotNormal';
  constructor(config?: SeedOptions) {
    super(preset('GlorotNormal', config, { scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal' }));
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

/**
 * He uniform: uniform on ±sqrt(6 / fanIn), for ReLU networks.
 *
 * @example
 * new HeUniform().apply([3, 3, 16, 32]);
 */
export class HeUniform extends VarianceScaling {
  override readonly className: string = 'HeUniform';
  constructor(config?: SeedOptions) {
    super(preset('HeUniform', config, { scale: 2, mode: 'fanIn', distribution: 'uniform' }));
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

/**
 * He normal: truncated normal with variance 2 / fanIn.
 *
 * @example
 * new HeNormal({ seed: 1 }).apply([256, 256]);
 */
export class HeNormal extends VarianceScaling {
  override readonly className: string = 'HeNormal';
  constructor(config?: SeedOptions) {
    super(preset('HeNormal', config, { scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' }));
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

/**
 * LeCun uniform: uniform on ±sqrt(3 / fanIn). Keras names it `LecunUniform`, TF.js `LeCunUniform`;
 * both names resolve here.
 *
 * @example
 * new LecunUniform().apply([128, 64]);
 */
export class LecunUniform extends VarianceScaling {
  override readonly className: string = 'LecunUniform';
  constructor(config?: SeedOptions) {
    super(preset('LecunUniform', config, { scale: 1, mode: 'fanIn', distribution: 'uniform' }));
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

/**
 * LeCun normal: truncated normal with variance 1 / fanIn (for SELU networks). Keras names it
 * `LecunNormal`, TF.js `LeCunNormal`; both names resolve here.
 *
 * @example
 * new LecunNormal().apply([128, 64]);
 */
export class LecunNormal extends VarianceScaling {
  override readonly className: string = 'LecunNormal';
  constructor(config?: SeedOptions) {
    super(preset('LecunNormal', config, { scale: 1, mode: 'fanIn', distribution: 'truncatedNormal' }));
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

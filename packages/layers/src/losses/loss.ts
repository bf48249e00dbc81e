import {
  StrataError,
  Tensor,
  add,
  cast,
  clone,
  convert,
  div,
  equal,
  fmtShape,
  mul,
  reshape,
  sum,
  tidy,
  where,
  zeros,
  type TensorLike,
} from '@strata/core';
import type { Serializable } from '../registry.js';
import { EPSILON, alignRanks } from './loss-inputs.js';

/**
 * How `Loss.compute` turns weighted per-sample losses into its result (Keras 3 names):
 * - `'sum_over_batch_size'` (default) and `'mean'`: the sum divided by the number of per-sample
 *   entries (weights do not change the divisor);
 * - `'sum'`: the sum;
 * - `'mean_with_sample_weight'`: the sum divided by the sum of the weights (0 when that is 0);
 * - `'none'`: the weighted per-sample losses themselves.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none' | 'mean' | 'mean_with_sample_weight';

const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'none', 'mean', 'mean_with_sample_weight'];

/** Options every loss class takes. */
export interface LossOptions {
  /** Name shown in logs and history (defaults to the Keras snake_case name, e.g. `mean_squared_error`). */
  name?: string;
  /** How `compute` reduces the per-sample losses; default `'sum_over_batch_size'`. */
  reduction?: Reduction;
}

/** A loss as a plain function: per-sample losses, the last axis of `yPred` reduced. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * Refuses config keys a loss does not know, naming the loss, the key and the ones it accepts
 * (a Keras snake_case key is pointed to its camelCase spelling).
 *
 * @example
 * checkOptionKeys('Huber', { delta: 1 }, ['name', 'reduction', 'delta']);
 */
export function checkOptionKeys(className: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const fix = camel !== key && allowed.includes(camel) ? `use the camelCase spelling "${camel}"` : `use one of ${allowed.join(', ')}`;
    throw new StrataError(`${className}: unknown option "${key}"; ${fix}.`);
  }
}

/**
 * Reads a boolean option, refusing anything else.
 *
 * @example
 * const fromLogits = booleanOption('BinaryCrossentropy', 'fromLogits', options.fromLogits, false);
 */
export function booleanOption(className: string, key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new StrataError(`${className}: option ${key} must be true or false; received ${describe(value)}.`);
  return value;
}

/**
 * Reads a numeric option within `[min, max]` (or above `min` when `minExclusive`).
 *
 * @example
 * const delta = numberOption('Huber', 'delta', options.delta, 1, { min: 0, minExclusive: true });
 */
export function numberOption(
  className: string,
  key: string,
  value: unknown,
  fallback: number,
  range: { min?: number; max?: number; minExclusive?: boolean; integer?: boolean } = {},
): number {
  if (value === undefined || value === null) return fallback;
  const { min = -Infinity, max = Infinity, minExclusive = false, integer = false } = range;
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (minExclusive ? value > min : value >= min) && value <= max && (!integer || Number.isInteger(value));
  if (!ok) {
    const lo = min === -Infinity ? '' : minExclusive ? `greater than ${min}` : `at least ${min}`;
    const hi = max === Infinity ? '' : `at most ${max}`;
    const bounds = [lo, hi].filter(Boolean).join(' and ');
    throw new StrataError(`${className}: option ${key} must be a finite ${integer ? 'integer' : 'number'}${bounds ? ` ${bounds}` : ''}; received ${describe(value)}.`);
  }
  return value as number;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
}

function checkReduction(className: string, value: unknown): Reduction {
  if (value === undefined) return 'sum_over_batch_size';
  // Keras writes `reduction: None` for an unreduced loss.
  if (value === null) return 'none';
  if (typeof value === 'string' && (REDUCTIONS as readonly string[]).includes(value)) return value as Reduction;
  throw new StrataError(`${className}: unknown reduction ${describe(value)}; use one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}.`);
}

/**
 * Brings sample weights to the rank of the per-sample losses: a trailing 1 is squeezed, and
 * missing trailing axes are added, so `[N]` weights one whole sample of `[N, T]` losses (Keras 2's
 * broadcast; Keras 3 only handles the rank-1 case).
 */
function alignWeights(owner: string, weights: Tensor, valuesShape: readonly number[]): Tensor {
  let w = weights;
  if (w.rank === valuesShape.length + 1 && w.shape[w.rank - 1] === 1) w = reshape(w, w.shape.slice(0, -1));
  if (w.rank < valuesShape.length) w = reshape(w, [...w.shape, ...new Array<number>(valuesShape.length - w.rank).fill(1)]);
  const fits = w.rank === valuesShape.length && w.shape.every((d, i) => d === 1 || d === valuesShape[i]);
  if (!fits) {
    throw new StrataError(
      `${owner}: sampleWeight has shape ${fmtShape(weights.shape)} but the per-sample losses have shape ${fmtShape(valuesShape)} (yPred's shape without its last axis); ` +
        `give one weight per sample (shape ${fmtShape(valuesShape.slice(0, 1))}) or weights of shape ${fmtShape(valuesShape)}.`,
    );
  }
  return w;
}

/**
 * Keras 3's `reduce_weighted_values`: merges an optional validity mask into the weights (for the
 * mean reductions the valid entries are scaled up by total/valid, so the mean is over the valid
 * ones), multiplies the per-sample losses by the weights and reduces them.
 *
 * @example
 * const scalar = reduceWeightedValues('MeanSquaredError', perSample, weights, null, 'sum_over_batch_size');
 */
export function reduceWeightedValues(
  owner: string,
  values: Tensor,
  sampleWeight: TensorLike | null | undefined,
  mask: Tensor | null,
  reduction: Reduction,
): Tensor {
  return tidy(() => {
    let weights: Tensor | null = null;
    if (sampleWeight !== undefined && sampleWeight !== null) {
      const w = convert(sampleWeight, 'sampleWeight', owner);
      weights = alignWeights(owner, w.dtype === 'float32' ? w : cast(w, 'float32'), values.shape);
    }
    if (mask) {
      let m = cast(mask, 'float32');
      if (reduction === 'sum_over_batch_size' || reduction === 'mean') {
        m = mul(m, div(m.size, add(sum(m), EPSILON)));
      }
      weights = weights ? mul(weights, alignWeights(owner, m, values.shape)) : m;
    }
    const weighted = weights ? mul(values, weights) : values;
    if (reduction === 'none' || weighted.rank === 0) return weighted === values ? clone(values) : weighted;
    const total = sum(weighted);
    if (reduction === 'sum') return total;
    if (reduction === 'mean_with_sample_weight' && weights) {
      // The weights' sum over every per-sample entry they broadcast to; 0/0 is 0 (divide_no_nan).
      const divisor = mul(sum(weights), values.size / Math.max(weights.size, 1));
      const isZero = equal(divisor, 0);
      return where(isZero, 0, div(total, where(isZero, 1, divisor)));
    }
    return weighted.size === 0 ? zeros([]) : div(total, weighted.size);
  });
}

/**
 * Base of the loss classes: `call` gives per-sample losses, `compute` weights and reduces them to
 * the number the optimizer minimises. Subclasses are Keras 3's loss classes with camelCase options.
 *
 * @example
 * const loss = new MeanSquaredError();
 * const perSample = loss.call(yTrue, yPred);              // shape [N]
 * const value = loss.compute(yTrue, yPred, sampleWeight); // scalar
 */
export abstract class Loss implements Serializable {
  readonly className: string;
  readonly name: string;
  readonly reduction: Reduction;

  /**
   * @param className The Keras class name, used in saved configs and error messages.
   * @param defaultName The Keras default `name` (snake_case).
   * @param options The caller's options, checked against `optionKeys` plus `name`/`reduction`.
   * @param optionKeys The subclass's own option names.
   */
  protected constructor(className: string, defaultName: string, options: object = {}, optionKeys: readonly string[] = []) {
    this.className = className;
    // `dtype` appears in configs saved by Keras 3; losses here compute in float32 whatever it says.
    checkOptionKeys(className, options ?? {}, ['name', 'reduction', 'dtype', ...optionKeys]);
    const { name, reduction, dtype } = (options ?? {}) as LossOptions & { dtype?: unknown };
    if (name !== undefined && typeof name !== 'string') throw new StrataError(`${className}: option name must be a string; received ${describe(name)}.`);
    if (dtype !== undefined && dtype !== null && dtype !== 'float32') {
      throw new StrataError(`${className}: option dtype ${describe(dtype)} is not supported; losses compute in float32 (omit dtype or pass 'float32').`);
    }
    this.name = name ?? defaultName;
    this.reduction = checkReduction(className, reduction);
  }

  /**
   * Per-sample losses: `yPred`'s shape without the reduced (last) axis.
   *
   * @example
   * new MeanAbsoluteError().call(tensor([[0, 1]]), tensor([[1, 1]])); // [0.5]
   */
  abstract call(yTrue: TensorLike, yPred: TensorLike): Tensor;

  /**
   * Per-sample losses and, for losses that ignore some entries, a bool mask of the valid ones
   * (`compute` then averages over the valid entries only).
   */
  protected callWithMask(yTrue: TensorLike, yPred: TensorLike): { values: Tensor; mask: Tensor | null } {
    return { values: this.call(yTrue, yPred), mask: null };
  }

  /**
   * The loss value: per-sample losses times `sampleWeight` (shape `[N]`, the per-sample shape, or
   * anything broadcasting to it), reduced by `this.reduction`. A scalar unless the reduction is `'none'`.
   *
   * @example
   * new BinaryCrossentropy().compute(yTrue, yPred);          // scalar
   * new BinaryCrossentropy().compute(yTrue, yPred, [1, 0]);  // the second sample ignored
   */
  compute(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): Tensor {
    return tidy(() => {
      const { values, mask } = this.callWithMask(yTrue, yPred);
      return reduceWeightedValues(this.className, values, sampleWeight, mask, this.reduction);
    });
  }

  /**
   * Checks the labels of a whole data set once, before training, for mistakes no per-step check
   * can see without reading values back from the engine. Most losses accept any labels; sparse
   * categorical crossentropy checks its class indices. `yPredShape` is the model output's shape
   * (`null` for an unknown batch dimension).
   *
   * @example
   * await loss.validateLabels(yTrain, [null, 10]);
   */
  async validateLabels(_yTrue: TensorLike, _yPredShape: readonly (number | null)[]): Promise<void> {}

  /**
   * Options that rebuild an equivalent loss: `name`, `reduction` and the subclass's own.
   *
   * @example
   * new Huber({ delta: 2 }).getConfig(); // { name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 2 }
   */
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }
}

/**
 * A user's loss function as a `Loss`, so `compile({ loss: myFn })` gets sample weights and
 * reductions. Labels and predictions are rank-aligned as Keras does (`[N]` against `[N, 1]`)
 * before the function sees them; it must return per-sample losses (or a scalar).
 *
 * @example
 * const loss = new LossFunctionWrapper((t, p) => mean(abs(sub(p, t)), -1));
 * loss.compute(yTrue, yPred);
 */
export class LossFunctionWrapper extends Loss {
  readonly fn: LossFunction;

  constructor(fn: LossFunction, options: LossOptions = {}) {
    if (typeof fn !== 'function') {
      throw new StrataError(`LossFunctionWrapper: expected a function (yTrue, yPred) => Tensor; received ${describe(fn)}.`);
    }
    super('LossFunctionWrapper', fn.name || 'loss', options);
    this.fn = fn;
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return tidy(() => {
      const [t, p] = alignRanks(convert(yTrue, 'yTrue', this.name), convert(yPred, 'yPred', this.name));
      const out: unknown = this.fn(t, p);
      if (!(out instanceof Tensor)) {
        throw new StrataError(`Loss function "${this.name}" must return a Tensor of per-sample losses; it returned ${Array.isArray(out) ? 'an array' : typeof out}.`);
      }
      // A function that returns its input (`(t, p) => p`) must not hand the caller's tensor back as a new result.
      return out === yTrue || out === yPred || out === t || out === p ? clone(out) : out;
    });
  }
}

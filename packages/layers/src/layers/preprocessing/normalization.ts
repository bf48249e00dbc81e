import {
  Tensor, add, broadcastTo, cast, div, keep, maximum, mean, mul, reshape, sqrt, square, sub, tensor, tidy,
  type DType, type Variable,
} from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { booleanOption, optionFailure, resolveAxes, singleInput, singleShape } from '../basic/layer-options.js';
import { resolveInitializer } from '../resolve.js';

/** Numbers, or nested arrays of them. */
export type NumericValues = number | readonly NumericValues[];

/** Options of `layers.normalization`. */
export interface NormalizationArgs extends LayerArgs {
  /**
   * The axis (or axes) that keep their own mean and variance (default -1: one per feature); the
   * statistics are taken over all the others. `null` gives one mean and variance for everything.
   */
  axis?: number | readonly number[] | null;
  /** Known means (broadcast to the kept axes); give with `variance`, instead of calling `adapt`. */
  mean?: NumericValues | null;
  /** Known variances, with `mean`. */
  variance?: NumericValues | null;
  /** Undo a normalization instead: `mean + x · sqrt(variance)` (default false). */
  invert?: boolean;
}

/** Floor of the standard deviation (Keras's `backend.epsilon()`), so constant features do not divide by 0. */
const STD_FLOOR = 1e-7;

function isNumeric(v: unknown): v is NumericValues {
  return (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every(isNumeric));
}

/**
 * Standardizes features: `(x - mean) / sqrt(variance)`, with the statistics given in the options
 * or learnt from data by `await layer.adapt(data)`. Adapted statistics are non-trainable weights
 * `mean`, `variance` and `count` (saved with the model); given ones are part of the config.
 *
 * @example
 * const norm = new Normalization({ axis: -1 });
 * await norm.adapt(trainingFeatures);        // [samples, features]
 * const m = sequential({ layers: [norm, layers.dense({ units: 1 })] });
 */
export class Normalization extends Layer {
  static override readonly className = 'Normalization';
  readonly axis: number[];
  readonly invert: boolean;
  readonly inputMean: NumericValues | null;
  readonly inputVariance: NumericValues | null;
  /** Adapted statistics (weights), when not given in the options. */
  adaptMean: Variable | null = null;
  adaptVariance: Variable | null = null;
  count: Variable | null = null;
  /** Given statistics, broadcast to the input's rank at build. */
  private fixedMean: Tensor | null = null;
  private fixedVariance: Tensor | null = null;
  private keepAxes: number[] = [];
  private broadcastShape: number[] = [];
  private adapted = false;

  constructor(args: NormalizationArgs = {}) {
    super(args);
    const axis = args.axis === undefined ? -1 : args.axis;
    if (axis === null) this.axis = [];
    else if (typeof axis === 'number' && Number.isInteger(axis)) this.axis = [axis];
    else if (Array.isArray(axis) && axis.every((a) => Number.isInteger(a)) && new Set(axis).size === axis.length) this.axis = [...axis];
    else throw optionFailure(this, 'axis', 'an integer, a list of distinct integers, or null (one mean and variance for everything)', axis);
    this.invert = booleanOption(this, 'invert', args.invert, false);
    const givenMean = args.mean !== undefined && args.mean !== null;
    const givenVariance = args.variance !== undefined && args.variance !== null;
    if (givenMean !== givenVariance) {
      throw new LayerError(this, `options 'mean' and 'variance' must be given together (received only '${givenMean ? 'mean' : 'variance'}'); give both, or neither and call adapt()`);
    }
    if (givenMean && !isNumeric(args.mean)) throw optionFailure(this, 'mean', 'a number or a (nested) array of numbers', args.mean);
    if (givenVariance && !isNumeric(args.variance)) throw optionFailure(this, 'variance', 'a number or a (nested) array of numbers', args.variance);
    this.inputMean = givenMean ? args.mean! : null;
    this.inputVariance = givenVariance ? args.variance! : null;
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(this, inputShape);
    const rank = shape.length;
    this.keepAxes = [...new Set(resolveAxes(this, 'axis', this.axis, rank))].sort((a, b) => a - b);
    const kept = this.keepAxes.map((a) => shape[a]);
    if (kept.some((d) => d === null)) {
      throw new LayerError(this, `the kept axes ${JSON.stringify(this.axis)} must have known sizes; received input shape ${shapeString(shape)}`);
    }
    const statShape = kept as number[];
    this.broadcastShape = shape.map((d, i) => (this.keepAxes.includes(i) ? d! : 1));
    if (this.inputMean !== null) {
      this.fixedMean = this.broadcastGiven('mean', this.inputMean);
      this.fixedVariance = this.broadcastGiven('variance', this.inputVariance!);
    } else {
      this.adaptMean = this.addWeight('mean', statShape, 'float32', resolveInitializer('zeros'), undefined, false);
      this.adaptVariance = this.addWeight('variance', statShape, 'float32', resolveInitializer('ones'), undefined, false);
      this.count = this.addWeight('count', [], 'int32', resolveInitializer('zeros'), undefined, false);
    }
    this.inputSpec = [{ ndim: rank, axes: Object.fromEntries(this.keepAxes.map((a) => [a, shape[a]!])) }];
    super.build(inputShape);
  }

  private broadcastGiven(name: string, values: NumericValues): Tensor {
    return keep(tidy(() => {
      const t = tensor(values as number | number[], undefined, 'float32');
      const fits = t.rank <= this.broadcastShape.length
        && t.shape.every((d, i) => d === 1 || d === this.broadcastShape[this.broadcastShape.length - t.rank + i]);
      if (!fits) {
        throw new LayerError(this, `option '${name}' has shape ${shapeString(t.shape)}, which does not broadcast to the statistics' shape ${shapeString(this.broadcastShape)} (one value per kept axis ${JSON.stringify(this.axis)})`);
      }
      return broadcastTo(t, this.broadcastShape);
    }));
  }

  /**
   * Learns the mean and variance of `data` (samples along axis 0) over every axis except the kept
   * ones, replacing any earlier adaptation. Builds the layer if needed.
   *
   * @example
   * await norm.adapt(tensor([[0, 10], [2, 30]])); // mean [1, 20], variance [1, 100]
   */
  async adapt(data: Tensor): Promise<void> {
    if (!(data instanceof Tensor)) throw new LayerError(this, `adapt expects a Tensor of samples; received ${data === null ? 'null' : typeof data}`);
    if (this.inputMean !== null) {
      throw new LayerError(this, "was given 'mean' and 'variance' in its options, so there is nothing to adapt; remove them to learn the statistics from data");
    }
    if (data.rank === 0 || data.shape[0] === 0) throw new LayerError(this, `adapt needs at least one sample; received shape ${shapeString(data.shape)}`);
    this.prepare([[null, ...data.shape.slice(1)]], false);
    const reduceAxes = data.shape.map((_, i) => i).filter((i) => !this.keepAxes.includes(i));
    const count = reduceAxes.reduce((n, a) => n * data.shape[a]!, 1);
    tidy(() => {
      const x = cast(data, 'float32');
      const m = mean(x, reduceAxes, true);
      const v = mean(square(sub(x, m)), reduceAxes);
      this.adaptMean!.assign(reshape(m, this.adaptMean!.shape));
      this.adaptVariance!.assign(v);
      this.count!.assign(tensor(count, [], 'int32'));
    });
    this.adapted = true;
  }

  /** Setting the weights (e.g. when a saved model loads) counts as adapting. */
  override setWeights(values: readonly Tensor[]): void {
    super.setWeights(values);
    this.adapted = true;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = cast(singleInput(this, inputs), 'float32');
    let m: Tensor;
    let v: Tensor;
    if (this.fixedMean) {
      m = this.fixedMean;
      v = this.fixedVariance!;
    } else {
      if (!this.adapted) {
        throw new LayerError(this, "has no mean and variance yet: call 'await layer.adapt(data)' before using it, or give 'mean' and 'variance' in its options");
      }
      m = reshape(this.adaptMean!, this.broadcastShape);
      v = reshape(this.adaptVariance!, this.broadcastShape);
    }
    const std = maximum(sqrt(v), STD_FLOOR);
    return this.invert ? add(m, mul(x, std)) : div(sub(x, m), std);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override computeOutputDType(_inputDTypes: DType[]): DType {
    return 'float32';
  }

  override dispose(): void {
    this.fixedMean?.dispose();
    this.fixedVariance?.dispose();
    this.fixedMean = null;
    this.fixedVariance = null;
    super.dispose();
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis.length === 0 ? null : this.axis.length === 1 ? this.axis[0] : [...this.axis],
      mean: this.inputMean,
      variance: this.inputVariance,
      invert: this.invert,
    };
  }
}

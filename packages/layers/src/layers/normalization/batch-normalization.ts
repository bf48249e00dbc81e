import {
  add, cast, expandDims, moments, mul, neg, reshape, rsqrt, square, stopGradient, sub, sum, div,
  type Tensor, type Variable,
} from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { axisOption, booleanOption, numberOption, resolveAxes, singleInput, singleShape } from '../basic/layer-options.js';
import {
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';

/** Options of `layers.batchNormalization`. */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis, normalized separately (default -1; 1 for channels-first images). */
  axis?: number;
  /** Weight of the old value in the moving statistics' update (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true; turn off when the next layer is linear, e.g. before ReLU it is not). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/** Keras's `backend.epsilon()`, guarding the masked statistics' division. */
const WEIGHT_EPSILON = 1e-7;

/**
 * Batch normalization (Keras 3 semantics). While training (`fit`, or `training: true`) each
 * feature is normalized with the batch's mean and biased variance, and the moving statistics are
 * updated in place: `moving = moving · momentum + batch · (1 - momentum)`. Otherwise (evaluate,
 * predict, or when the layer is frozen with `trainable = false`, even inside `fit`) the moving
 * statistics are used. Output: `gamma · (x - mean) / sqrt(variance + epsilon) + beta`.
 *
 * TF.js updates the moving variance with the unbiased (n/(n-1)) batch variance; this follows
 * Keras 3 and uses the biased one, so moving variances differ from TF.js's by that factor.
 * A per-timestep mask `[batch, steps]` (for `[batch, steps, features]` inputs) excludes masked
 * steps from the batch statistics, as Keras 3.
 *
 * @example
 * const bn = new BatchNormalization({ momentum: 0.9 });
 */
export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly betaInitializer;
  private readonly gammaInitializer;
  private readonly movingMeanInitializer;
  private readonly movingVarianceInitializer;
  private readonly betaRegularizer;
  private readonly gammaRegularizer;
  private readonly betaConstraint;
  private readonly gammaConstraint;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  private featureAxis = -1;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = axisOption(this, 'axis', args.axis, -1);
    this.momentum = numberOption(this, 'momentum', args.momentum, 0.99, { min: 0, max: 1 });
    this.epsilon = numberOption(this, 'epsilon', args.epsilon, 1e-3, { min: 0, minInclusive: false });
    this.center = booleanOption(this, 'center', args.center, true);
    this.scale = booleanOption(this, 'scale', args.scale, true);
    this.betaInitializer = resolveInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = resolveInitializer(args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = resolveInitializer(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = resolveInitializer(args.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = resolveRegularizer(args.betaRegularizer);
    this.gammaRegularizer = resolveRegularizer(args.gammaRegularizer);
    this.betaConstraint = resolveConstraint(args.betaConstraint);
    this.gammaConstraint = resolveConstraint(args.gammaConstraint);
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(this, inputShape);
    if (shape.length < 2) throw new LayerError(this, `expected input of rank at least 2 (batch and features), received shape ${shapeString(shape)}`);
    this.featureAxis = resolveAxes(this, 'axis', this.axis, shape.length)[0]!;
    const size = shape[this.featureAxis];
    if (size === null || size === undefined) {
      throw new LayerError(this, `the size of axis ${this.axis} must be known to create the weights; received shape ${shapeString(shape)}`);
    }
    if (this.scale) this.gamma = this.addWeight('gamma', [size], 'float32', this.gammaInitializer, this.gammaRegularizer, true, this.gammaConstraint);
    if (this.center) this.beta = this.addWeight('beta', [size], 'float32', this.betaInitializer, this.betaRegularizer, true, this.betaConstraint);
    this.movingMean = this.addWeight('moving_mean', [size], 'float32', this.movingMeanInitializer, undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [size], 'float32', this.movingVarianceInitializer, undefined, false);
    this.inputSpec = [{ ndim: shape.length, axes: { [this.featureAxis]: size } }];
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = cast(singleInput(this, inputs), 'float32');
    const rank = x.rank;
    const reduceAxes = [...Array(rank).keys()].filter((a) => a !== this.featureAxis);
    const broadcast = x.shape.map((d, i) => (i === this.featureAxis ? d : 1));
    let mean: Tensor;
    let variance: Tensor;
    // Keras 3: a frozen layer (trainable = false) runs in inference mode even while fitting.
    if (args.training === true && this.trainable) {
      const mask = Array.isArray(args.mask) ? args.mask[0] : args.mask;
      ({ mean, variance } = mask && mask.rank === rank - 1 && this.featureAxis === rank - 1
        ? maskedMoments(x, mask, reduceAxes)
        : moments(x, reduceAxes));
      this.updateMovingStatistics(mean, variance);
    } else {
      mean = this.movingMean!;
      variance = this.movingVariance!;
    }
    let inv = rsqrt(add(variance, this.epsilon));
    if (this.gamma) inv = mul(inv, this.gamma);
    let offset = mul(neg(mean), inv);
    if (this.beta) offset = add(offset, this.beta);
    const shaped = (t: Tensor): Tensor => (this.featureAxis === rank - 1 ? t : reshape(t, broadcast));
    return add(mul(x, shaped(inv)), shaped(offset));
  }

  /**
   * `moving ← moving · momentum + batch · (1 - momentum)`, from the batch statistics with the
   * gradient stopped, so the update is never differentiated. The new values are computed inside the
   * call's scope; `assign` takes its own reference, so freeing the scope leaves the variables valid.
   */
  private updateMovingStatistics(mean: Tensor, variance: Tensor): void {
    const keepOld = this.momentum;
    const takeNew = 1 - this.momentum;
    const newMean = add(mul(stopGradient(this.movingMean!), keepOld), mul(stopGradient(mean), takeNew));
    const newVariance = add(mul(stopGradient(this.movingVariance!), keepOld), mul(stopGradient(variance), takeNew));
    this.movingMean!.assign(newMean);
    this.movingVariance!.assign(newVariance);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serialize(this.betaInitializer),
      gammaInitializer: serialize(this.gammaInitializer),
      movingMeanInitializer: serialize(this.movingMeanInitializer),
      movingVarianceInitializer: serialize(this.movingVarianceInitializer),
      betaRegularizer: serialize(this.betaRegularizer),
      gammaRegularizer: serialize(this.gammaRegularizer),
      betaConstraint: serialize(this.betaConstraint),
      gammaConstraint: serialize(this.gammaConstraint),
    };
  }
}

/** Mean and biased variance over `axes`, counting only unmasked steps (Keras 3's `_masked_moments`). */
function maskedMoments(x: Tensor, mask: Tensor, axes: number[]): { mean: Tensor; variance: Tensor } {
  const w = expandDims(cast(mask, 'float32'), -1);
  const weighted = mul(w, x);
  const total = add(sum(w, axes, true), WEIGHT_EPSILON);
  const mean = div(sum(weighted, axes, true), total);
  const variance = div(sum(mul(w, square(sub(weighted, mean))), axes, true), total);
  const size = x.shape[x.rank - 1]!;
  return { mean: reshape(mean, [size]), variance: reshape(variance, [size]) };
}

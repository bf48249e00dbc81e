import { add, cast, moments, mul, neg, reshape, rsqrt, type Tensor, type Variable } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { axisOption, booleanOption, numberOption, resolveAxes, singleInput, singleShape } from '../basic/layer-options.js';
import {
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';

/** Options of `layers.layerNormalization`. */
export interface LayerNormalizationArgs extends LayerArgs {
  /** Axis or axes normalized over, per sample (default -1). */
  axis?: number | readonly number[];
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/**
 * Layer normalization: each sample is normalized with its own mean and variance over `axis`, then
 * scaled by `gamma` and shifted by `beta` (one per element of the normalized axes). The same in
 * training and inference. Masks pass through.
 *
 * @example
 * const ln = new LayerNormalization({ epsilon: 1e-6 });
 */
export class LayerNormalization extends Layer {
  static override readonly className = 'LayerNormalization';
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly betaInitializer;
  private readonly gammaInitializer;
  private readonly betaRegularizer;
  private readonly gammaRegularizer;
  private readonly betaConstraint;
  private readonly gammaConstraint;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  private axes: number[] = [];

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    this.axis = axisOption(this, 'axis', args.axis, -1, true);
    this.epsilon = numberOption(this, 'epsilon', args.epsilon, 1e-3, { min: 0, minInclusive: false });
    this.center = booleanOption(this, 'center', args.center, true);
    this.scale = booleanOption(this, 'scale', args.scale, true);
    this.betaInitializer = resolveInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = resolveInitializer(args.gammaInitializer ?? 'ones');
    this.betaRegularizer = resolveRegularizer(args.betaRegularizer);
    this.gammaRegularizer = resolveRegularizer(args.gammaRegularizer);
    this.betaConstraint = resolveConstraint(args.betaConstraint);
    this.gammaConstraint = resolveConstraint(args.gammaConstraint);
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(this, inputShape);
    this.axes = [...new Set(resolveAxes(this, 'axis', this.axis, shape.length))].sort((a, b) => a - b);
    const paramShape = this.axes.map((a) => shape[a]);
    if (paramShape.some((d) => d === null)) {
      throw new LayerError(this, `the normalized axes ${JSON.stringify(this.axis)} must have known sizes; received shape ${shapeString(shape)}`);
    }
    const dims = paramShape as number[];
    if (this.scale) this.gamma = this.addWeight('gamma', dims, 'float32', this.gammaInitializer, this.gammaRegularizer, true, this.gammaConstraint);
    if (this.center) this.beta = this.addWeight('beta', dims, 'float32', this.betaInitializer, this.betaRegularizer, true, this.betaConstraint);
    this.inputSpec = [{ ndim: shape.length, axes: Object.fromEntries(this.axes.map((a) => [a, shape[a]!])) }];
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = cast(singleInput(this, inputs), 'float32');
    const { mean, variance } = moments(x, this.axes, true);
    const lastOnly = this.axes.length === 1 && this.axes[0] === x.rank - 1;
    const broadcast = x.shape.map((d, i) => (this.axes.includes(i) ? d : 1));
    const shaped = (w: Tensor): Tensor => (lastOnly ? w : reshape(w, broadcast));
    let inv = rsqrt(add(variance, this.epsilon));
    if (this.gamma) inv = mul(inv, shaped(this.gamma));
    let offset = mul(neg(mean), inv);
    if (this.beta) offset = add(offset, shaped(this.beta));
    return add(mul(x, inv), offset);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: typeof this.axis === 'number' ? this.axis : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serialize(this.betaInitializer),
      gammaInitializer: serialize(this.gammaInitializer),
      betaRegularizer: serialize(this.betaRegularizer),
      gammaRegularizer: serialize(this.gammaRegularizer),
      betaConstraint: serialize(this.betaConstraint),
      gammaConstraint: serialize(this.gammaConstraint),
    };
  }
}

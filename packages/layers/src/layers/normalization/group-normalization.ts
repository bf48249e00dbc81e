import { add, cast, moments, mul, neg, reshape, rsqrt, type Tensor, type Variable } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { axisOption, booleanOption, numberOption, optionFailure, resolveAxes, singleInput, singleShape } from '../basic/layer-options.js';
import {
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';

/** Options of `layers.groupNormalization`. */
export interface GroupNormalizationArgs extends LayerArgs {
  /** How many groups the channels are split into (default 32; -1 for one per channel, i.e. instance normalization). */
  groups?: number;
  /** The channels axis (default -1). */
  axis?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` per channel (default true). */
  center?: boolean;
  /** Learn a scale `gamma` per channel (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/**
 * Group normalization (Keras 3): the channels are split into `groups` consecutive groups and each
 * sample is normalized with the mean and variance of each group (over the group's channels and all
 * other non-batch axes), then scaled and shifted per channel. Independent of the batch size, and
 * the same in training and inference. `groups: 1` is layer normalization over all features;
 * `groups: -1` (one channel per group) is instance normalization.
 *
 * @example
 * const gn = new GroupNormalization({ groups: 8 }); // [null, 32, 32, 64]: 8 groups of 8 channels
 */
export class GroupNormalization extends Layer {
  static override readonly className = 'GroupNormalization';
  readonly groups: number;
  readonly axis: number;
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
  private channelAxis = -1;
  private groupCount = 0;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    const groups = args.groups ?? 32;
    if (!(Number.isInteger(groups) && (groups >= 1 || groups === -1))) {
      throw optionFailure(this, 'groups', 'a positive integer (or -1 for one group per channel)', args.groups);
    }
    this.groups = groups;
    this.axis = axisOption(this, 'axis', args.axis, -1);
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
    if (shape.length < 2) throw new LayerError(this, `expected input of rank at least 2 (batch and channels), received shape ${shapeString(shape)}`);
    this.channelAxis = resolveAxes(this, 'axis', this.axis, shape.length)[0]!;
    const channels = shape[this.channelAxis];
    if (channels === null || channels === undefined) {
      throw new LayerError(this, `the channels axis ${this.axis} must have a known size; received shape ${shapeString(shape)}`);
    }
    const groups = this.groups === -1 ? channels : this.groups;
    if (groups > channels) {
      throw new LayerError(this, `groups (${groups}) cannot be more than the number of channels (${channels}) in input shape ${shapeString(shape)}; use at most ${channels} groups`);
    }
    if (channels % groups !== 0) {
      throw new LayerError(this, `the number of channels (${channels}) in input shape ${shapeString(shape)} must be divisible by groups (${groups}); choose groups dividing ${channels}`);
    }
    this.groupCount = groups;
    if (this.scale) this.gamma = this.addWeight('gamma', [channels], 'float32', this.gammaInitializer, this.gammaRegularizer, true, this.gammaConstraint);
    if (this.center) this.beta = this.addWeight('beta', [channels], 'float32', this.betaInitializer, this.betaRegularizer, true, this.betaConstraint);
    this.inputSpec = [{ ndim: shape.length, axes: { [this.channelAxis]: channels } }];
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = cast(singleInput(this, inputs), 'float32');
    const a = this.channelAxis;
    const g = this.groupCount;
    const perGroup = x.shape[a]! / g;
    // [..., C, ...] -> [..., G, C/G, ...]: statistics over everything but the batch and the group axis.
    const grouped = reshape(x, [...x.shape.slice(0, a), g, perGroup, ...x.shape.slice(a + 1)]);
    const reduceAxes = [...Array(grouped.rank).keys()].filter((i) => i !== 0 && i !== a);
    const { mean, variance } = moments(grouped, reduceAxes, true);
    const paramShape = grouped.shape.map((d, i) => (i === a || i === a + 1 ? d : 1));
    let inv = rsqrt(add(variance, this.epsilon));
    if (this.gamma) inv = mul(inv, reshape(this.gamma, paramShape));
    let offset = mul(neg(mean), inv);
    if (this.beta) offset = add(offset, reshape(this.beta, paramShape));
    return reshape(add(mul(grouped, inv), offset), x.shape);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
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

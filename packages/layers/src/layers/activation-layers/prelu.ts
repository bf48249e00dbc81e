import { mul, neg, relu, add, type Tensor, type Variable } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { optionFailure, singleInput, singleShape } from '../basic/layer-options.js';
import {
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';

/** Options of `layers.pReLU`. */
export interface PReLUArgs extends LayerArgs {
  /** Initial slopes (default `'zeros'`: starts as a plain ReLU). */
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier | null;
  alphaConstraint?: ConstraintIdentifier | null;
  /**
   * Axes (counting the batch dim as 0) along which one slope is shared: `[1, 2]` for images gives
   * one slope per channel.
   */
  sharedAxes?: number | readonly number[] | null;
}

/**
 * Parametric ReLU: `x` for `x ≥ 0`, `alpha · x` below, with a learned slope `alpha` per input
 * element (shape of a sample, with the shared axes reduced to 1).
 *
 * @example
 * const p = new PReLU({ sharedAxes: [1, 2] }); // one slope per channel of [null, h, w, c]
 */
export class PReLU extends Layer {
  static override readonly className = 'PReLU';
  readonly sharedAxes: number[] | null;
  private readonly alphaInitializer;
  private readonly alphaRegularizer;
  private readonly alphaConstraint;
  alpha: Variable | null = null;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = resolveInitializer(args.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = resolveRegularizer(args.alphaRegularizer);
    this.alphaConstraint = resolveConstraint(args.alphaConstraint);
    const shared = args.sharedAxes;
    if (shared === undefined || shared === null) this.sharedAxes = null;
    else {
      const list = typeof shared === 'number' ? [shared] : shared;
      if (!Array.isArray(list) || !list.every((a) => Number.isInteger(a) && a >= 1)) {
        throw optionFailure(this, 'sharedAxes', 'a positive integer or a list of them (axes counted with the batch dim as 0)', shared);
      }
      this.sharedAxes = [...list];
    }
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(this, inputShape);
    const shared = this.sharedAxes ?? [];
    const bad = shared.find((a) => a >= shape.length);
    if (bad !== undefined) {
      throw new LayerError(this, `sharedAxes ${JSON.stringify(this.sharedAxes)} includes axis ${bad}, but the input of shape ${shapeString(shape)} has axes 1..${shape.length - 1}`);
    }
    const paramShape = shape.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : d));
    if (paramShape.some((d) => d === null)) {
      throw new LayerError(this, `needs every unshared sample dim known to size alpha; received shape ${shapeString(shape)}; share the unknown axes with sharedAxes or give a full inputShape`);
    }
    this.alpha = this.addWeight('alpha', paramShape as number[], 'float32', this.alphaInitializer, this.alphaRegularizer, true, this.alphaConstraint);
    const axes: Record<number, number> = {};
    shape.forEach((d, i) => {
      if (i > 0 && !shared.includes(i)) axes[i] = d!;
    });
    this.inputSpec = [{ ndim: shape.length, axes }];
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleInput(this, inputs);
    return add(relu(x), mul(neg(this.alpha!), relu(neg(x))));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alphaInitializer: serialize(this.alphaInitializer),
      alphaRegularizer: serialize(this.alphaRegularizer),
      alphaConstraint: serialize(this.alphaConstraint),
      sharedAxes: this.sharedAxes ? [...this.sharedAxes] : null,
    };
  }
}

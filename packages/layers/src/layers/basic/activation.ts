import type { Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { activationConfig, resolveActivation, type ActivationIdentifier } from '../resolve.js';
import { optionFailure, singleInput, singleShape } from './layer-options.js';

/** Options of `layers.activation`. */
export interface ActivationArgs extends LayerArgs {
  /** The function: a name (`'relu'`, `'softmax'`, ...) or a function of a tensor. */
  activation: ActivationIdentifier;
}

/**
 * Applies an activation function elementwise (`softmax` over the last axis). Masks pass through.
 *
 * @example
 * const a = new Activation({ activation: 'relu' });
 */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  readonly activation: (x: Tensor) => Tensor;

  constructor(args: ActivationArgs) {
    super(args);
    if (args?.activation === undefined || args.activation === null) throw optionFailure(this, 'activation', "given: a name such as 'relu' or a function", args?.activation);
    this.activation = resolveActivation(args.activation);
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return this.activation(singleInput(this, inputs));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activationConfig(this.activation) };
  }
}

import { leakyRelu, type Tensor } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { numberOption, singleInput, singleShape } from '../basic/layer-options.js';

/** Options of `layers.leakyReLU`. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for negative inputs (≥ 0; default 0.3, as TF.js and Keras 2). */
  alpha?: number;
  /** Keras 3's name for `alpha` (also default 0.3), accepted so Keras 3 configs load. */
  negativeSlope?: number;
}

/**
 * Leaky rectified linear unit: `x` for `x ≥ 0`, `alpha · x` below. Masks pass through.
 *
 * @example
 * const l = new LeakyReLU({ alpha: 0.1 });
 */
export class LeakyReLU extends Layer {
  static override readonly className = 'LeakyReLU';
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    const alpha = numberOption(this, 'alpha', args.alpha, 0.3, { min: 0 });
    const slope = numberOption(this, 'negativeSlope', args.negativeSlope, alpha, { min: 0 });
    if (args.alpha !== undefined && args.alpha !== null && slope !== alpha) {
      throw new LayerError(this, `options 'alpha' (${alpha}) and 'negativeSlope' (${slope}) name the same slope with different values; give only one of them`);
    }
    this.alpha = slope;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return leakyRelu(singleInput(this, inputs), this.alpha);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

import { add, cast, clone, greaterEqual, mul, sub, uniform, type Tensor } from '@strata/core';
import type { CallArgs } from '../../engine/layer.js';
import { Dropout, checkNoiseShape, type DropoutArgs } from './dropout.js';
import { singleInput } from './layer-options.js';

/** SELU's negative saturation value, `-alpha * scale` (Keras's `alpha_p`). */
export const ALPHA_PRIME = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;

/** Options of `layers.alphaDropout`. */
export type AlphaDropoutArgs = DropoutArgs;

/**
 * Dropout for self-normalizing networks (SELU activations): dropped units are set to SELU's
 * saturation value α' = -1.7580993408473766 instead of 0, then an affine correction `a·x + b` with
 * `a = ((1 - rate)(1 + rate·α'²))^-1/2` and `b = -a·α'·rate` restores the inputs' mean and variance
 * (Keras's formula). Active only while training.
 *
 * @example
 * const d = new AlphaDropout({ rate: 0.1 });
 */
export class AlphaDropout extends Dropout {
  static override readonly className: string = 'AlphaDropout';

  constructor(args: AlphaDropoutArgs) {
    super(args);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = singleInput(this, inputs);
    if (args.training !== true || this.rate === 0) return clone(x);
    if (this.noiseShape) checkNoiseShape(this, this.noiseShape, x.shape);
    const rate = this.rate;
    const a = ((1 - rate) * (1 + rate * ALPHA_PRIME ** 2)) ** -0.5;
    const b = -a * ALPHA_PRIME * rate;
    const kept = cast(greaterEqual(uniform(this.maskShape(x.shape), 0, 1, this.stream.next()), rate), 'float32');
    const dropped = mul(sub(1, kept), ALPHA_PRIME);
    return add(mul(add(mul(x, kept), dropped), a), b);
  }
}

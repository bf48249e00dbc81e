import { cast, div, expandDims, mean, mul, sum, Tensor } from '@strata/core';
import type { CallArgs } from '../../engine/layer.js';
import { GlobalPooling, type GlobalPoolingArgs } from './global-pooling.js';

/**
 * The mean over the steps of sequences `[batch, steps, channels]`, per channel. With a mask (from
 * `Embedding({ maskZero: true })` or `Masking`) only the unmasked steps are averaged, as in Keras;
 * a sample with every step masked gives NaN (0 / 0), as Keras does. The mask stops here.
 *
 * @example
 * const pool = new GlobalAveragePooling1D();
 * pool.apply(input({ shape: [10, 4] })); // SymbolicTensor [null, 4]
 */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling1D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(1, args);
    this.supportsMasking = true;
  }

  protected reduce(x: Tensor, axes: number[], args: CallArgs): Tensor {
    const mask = Array.isArray(args.mask) ? args.mask[0] : args.mask;
    if (!(mask instanceof Tensor)) return mean(x, axes, this.keepDims);
    const weights = expandDims(cast(mask, 'float32'), this.dataFormat === 'channelsFirst' ? 1 : 2);
    return div(sum(mul(x, weights), axes, this.keepDims), sum(weights, axes, this.keepDims));
  }

  override computeMask(): null {
    return null;
  }
}

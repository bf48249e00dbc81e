import { max, type Tensor } from '@strata/core';
import { GlobalPooling, type GlobalPoolingArgs } from './global-pooling.js';

/**
 * The max over all spatial positions of sequences `[batch, steps, channels]`, per channel.
 *
 * @example
 * const pool = new GlobalMaxPooling1D();
 * pool.apply(input({ shape: [10, 4] })); // SymbolicTensor [null, 4]
 */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling1D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(1, args);
  }

  protected reduce(x: Tensor, axes: number[]): Tensor {
    return max(x, axes, this.keepDims);
  }
}

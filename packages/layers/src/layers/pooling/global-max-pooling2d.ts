import { max, type Tensor } from '@strata/core';
import { GlobalPooling, type GlobalPoolingArgs } from './global-pooling.js';

/**
 * The max over all spatial positions of images `[batch, height, width, channels]`, per channel.
 *
 * @example
 * const pool = new GlobalMaxPooling2D();
 * pool.apply(input({ shape: [7, 7, 64] })); // SymbolicTensor [null, 64]
 */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling2D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(2, args);
  }

  protected reduce(x: Tensor, axes: number[]): Tensor {
    return max(x, axes, this.keepDims);
  }
}

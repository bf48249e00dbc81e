import { mean, type Tensor } from '@strata/core';
import { GlobalPooling, type GlobalPoolingArgs } from './global-pooling.js';

/**
 * The mean over all spatial positions of images `[batch, height, width, channels]`, per channel.
 *
 * @example
 * const pool = new GlobalAveragePooling2D();
 * pool.apply(input({ shape: [7, 7, 64] })); // SymbolicTensor [null, 64]
 */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling2D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(2, args);
  }

  protected reduce(x: Tensor, axes: number[]): Tensor {
    return mean(x, axes, this.keepDims);
  }
}

import { maxPool, type Tensor } from '@strata/core';
import { Pooling2D, type Pooling2DArgs } from './pooling2d.js';

/**
 * 2-D max pooling over images `[batch, height, width, channels]`: the largest value of each window.
 *
 * @example
 * const pool = new MaxPooling2D({ poolSize: 2 });
 * pool.apply(input({ shape: [28, 28, 8] })); // SymbolicTensor [null, 14, 14, 8]
 */
export class MaxPooling2D extends Pooling2D {
  static override readonly className = 'MaxPooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args);
  }

  protected pool(x: Tensor): Tensor {
    return maxPool(x, this.poolSize, this.strides, this.padding);
  }
}

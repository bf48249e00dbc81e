import { maxPool1d, type Tensor } from '@strata/core';
import { Pooling1D, type Pooling1DArgs } from './pooling1d.js';

/**
 * 1-D max pooling over sequences `[batch, steps, channels]`: the largest value of each window.
 *
 * @example
 * const pool = new MaxPooling1D({ poolSize: 2 });
 * pool.apply(input({ shape: [10, 4] })); // SymbolicTensor [null, 5, 4]
 */
export class MaxPooling1D extends Pooling1D {
  static override readonly className = 'MaxPooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(args);
  }

  protected pool(x: Tensor): Tensor {
    return maxPool1d(x, this.poolSize, this.strides, this.padding);
  }
}

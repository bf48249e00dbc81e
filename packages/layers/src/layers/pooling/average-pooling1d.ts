import { avgPool1d, type Tensor } from '@strata/core';
import { Pooling1D, type Pooling1DArgs } from './pooling1d.js';

/**
 * 1-D average pooling over sequences `[batch, steps, channels]`: the mean of each window (padded cells with `'same'` are not counted, as in TensorFlow).
 *
 * @example
 * const pool = new AveragePooling1D({ poolSize: 2 });
 * pool.apply(input({ shape: [10, 4] })); // SymbolicTensor [null, 5, 4]
 */
export class AveragePooling1D extends Pooling1D {
  static override readonly className = 'AveragePooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(args);
  }

  protected pool(x: Tensor): Tensor {
    return avgPool1d(x, this.poolSize, this.strides, this.padding);
  }
}

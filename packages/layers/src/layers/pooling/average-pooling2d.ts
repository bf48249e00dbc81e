import { avgPool, type Tensor } from '@strata/core';
import { Pooling2D, type Pooling2DArgs } from './pooling2d.js';

/**
 * 2-D average pooling over images `[batch, height, width, channels]`: the mean of each window (padded cells with `'same'` are not counted, as in TensorFlow).
 *
 * @example
 * const pool = new AveragePooling2D({ poolSize: 2 });
 * pool.apply(input({ shape: [28, 28, 8] })); // SymbolicTensor [null, 14, 14, 8]
 */
export class AveragePooling2D extends Pooling2D {
  static override readonly className = 'AveragePooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args);
  }

  protected pool(x: Tensor): Tensor {
    return avgPool(x, this.poolSize, this.strides, this.padding);
  }
}

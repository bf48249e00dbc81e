import { maximum, type Tensor } from '@strata/core';
import { Merge, type MergeArgs } from './merge.js';

/**
 * The elementwise maximum of its inputs (two or more, same shape up to Keras's broadcasting; see {@link Merge}).
 *
 * @example
 * const m = new Maximum().apply([a, b]);
 */
export class Maximum extends Merge {
  static override readonly className = 'Maximum';

  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override merge(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((acc, x) => maximum(acc, x), inputs[0]!);
  }
}

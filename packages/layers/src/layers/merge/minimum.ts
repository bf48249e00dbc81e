import { minimum, type Tensor } from '@strata/core';
import { Merge, type MergeArgs } from './merge.js';

/**
 * The elementwise minimum of its inputs (two or more, same shape up to Keras's broadcasting; see {@link Merge}).
 *
 * @example
 * const m = new Minimum().apply([a, b]);
 */
export class Minimum extends Merge {
  static override readonly className = 'Minimum';

  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override merge(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((acc, x) => minimum(acc, x), inputs[0]!);
  }
}

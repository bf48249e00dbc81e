import { add, type Tensor } from '@strata/core';
import { Merge, type MergeArgs } from './merge.js';

/**
 * Sums its inputs elementwise (two or more, same shape up to Keras's broadcasting; see {@link Merge}).
 *
 * @example
 * const sum = new Add().apply([a, b, c]);
 */
export class Add extends Merge {
  static override readonly className = 'Add';

  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override merge(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((acc, x) => add(acc, x), inputs[0]!);
  }
}

import { add, div, type Tensor } from '@strata/core';
import { Merge, type MergeArgs } from './merge.js';

/**
 * The elementwise mean of its inputs (two or more, same shape up to Keras's broadcasting; see {@link Merge}).
 *
 * @example
 * const ensemble = new Average().apply([p1, p2, p3]);
 */
export class Average extends Merge {
  static override readonly className = 'Average';

  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override merge(inputs: Tensor[]): Tensor {
    return div(inputs.slice(1).reduce((acc, x) => add(acc, x), inputs[0]!), inputs.length);
  }
}

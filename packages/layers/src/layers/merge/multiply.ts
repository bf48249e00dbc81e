import { mul, type Tensor } from '@strata/core';
import { Merge, type MergeArgs } from './merge.js';

/**
 * Multiplies its inputs elementwise (two or more, same shape up to Keras's broadcasting; see {@link Merge}).
 *
 * @example
 * const gated = new Multiply().apply([x, gate]);
 */
export class Multiply extends Merge {
  static override readonly className = 'Multiply';

  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override merge(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((acc, x) => mul(acc, x), inputs[0]!);
  }
}

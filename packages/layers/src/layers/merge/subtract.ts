import { sub, type Tensor } from '@strata/core';
import { Merge, type MergeArgs } from './merge.js';

/**
 * Subtracts its second input from its first, elementwise: exactly two inputs, same shape up to
 * Keras's broadcasting (see {@link Merge}).
 *
 * @example
 * const diff = new Subtract().apply([a, b]); // a - b
 */
export class Subtract extends Merge {
  static override readonly className = 'Subtract';
  protected override readonly arity: number | null = 2;

  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override merge(inputs: Tensor[]): Tensor {
    return sub(inputs[0]!, inputs[1]!);
  }
}

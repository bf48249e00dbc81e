import { relu, type Tensor } from '@strata/core';
import { readOptions } from '../initializers/options.js';
import { Constraint } from './constraint.js';

/**
 * Sets negative weights to 0 (`relu`, as TF.js; Keras writes `w * (w >= 0)`, the same values).
 *
 * @example
 * new NonNeg().apply(tensor([-1, 2])); // [0, 2]
 */
export class NonNeg extends Constraint {
  readonly className = 'NonNeg';

  constructor(config?: Record<string, never>) {
    super();
    readOptions('NonNeg', config, []);
  }

  apply(w: Tensor): Tensor {
    this.checkWeight(w);
    return relu(w);
  }
}

import { fill, ones, zeros, type DType, type Tensor } from '@strata/core';
import { Initializer } from './initializer.js';
import { numberOption, readOptions } from './options.js';

/**
 * Initializes to 0.
 *
 * @example
 * new Zeros().apply([2, 3]); // all zeros
 */
export class Zeros extends Initializer {
  readonly className = 'Zeros';

  constructor(config?: Record<string, never>) {
    super();
    readOptions('Zeros', config, []);
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    this.checkShape(shape);
    return zeros(shape, this.checkDType(dtype));
  }
}

/**
 * Initializes to 1.
 *
 * @example
 * new Ones().apply([4], 'int32'); // [1, 1, 1, 1]
 */
export class Ones extends Initializer {
  readonly className = 'Ones';

  constructor(config?: Record<string, never>) {
    super();
    readOptions('Ones', config, []);
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    this.checkShape(shape);
    return ones(shape, this.checkDType(dtype));
  }
}

/** Options of {@link Constant}. */
export interface ConstantOptions {
  /** The value of every element (default 0, as Keras 3). */
  value?: number;
}

/**
 * Initializes every element to one value.
 *
 * @example
 * new Constant({ value: 0.1 }).apply([3]); // [0.1, 0.1, 0.1]
 */
export class Constant extends Initializer {
  readonly className = 'Constant';
  readonly value: number;

  constructor(config: ConstantOptions = {}) {
    super();
    const o = readOptions('Constant', config, ['value']);
    this.value = numberOption('Constant', 'value', o.value, 0);
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    this.checkShape(shape);
    return fill(shape, this.value, this.checkDType(dtype));
  }

  override getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

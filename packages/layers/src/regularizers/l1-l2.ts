import { StrataError, Tensor, abs, add, cast, mul, square, sum, tidy, zeros } from '@strata/core';
import { describeValue, numberOption, readOptions } from '../initializers/options.js';
import { Regularizer } from './regularizer.js';

/** `l1 Σ|x| + l2 Σx²` in float32, skipping a term whose factor is 0 (as Keras 3). */
function penalty(owner: string, x: Tensor, l1: number, l2: number): Tensor {
  if (!(x instanceof Tensor)) {
    throw new StrataError(`${owner}.apply: argument 'x' must be a Tensor (the weight to penalise); received ${describeValue(x)}.`);
  }
  return tidy(() => {
    const w = x.dtype === 'float32' ? x : cast(x, 'float32');
    let total: Tensor | undefined;
    if (l1 !== 0) total = mul(sum(abs(w)), l1);
    if (l2 !== 0) {
      const term = mul(sum(square(w)), l2);
      total = total ? add(total, term) : term;
    }
    return total ?? zeros([]);
  });
}

/** Options of {@link L1}. */
export interface L1Options {
  /** Non-negative factor (default 0.01, as Keras 3). */
  l1?: number;
}

/** Options of {@link L2}. */
export interface L2Options {
  /** Non-negative factor (default 0.01, as Keras 3). */
  l2?: number;
}

/** Options of {@link L1L2}. */
export interface L1L2Options {
  /** Non-negative L1 factor (default 0, as Keras 3; TF.js's `l1l2` defaults both to 0.01). */
  l1?: number;
  /** Non-negative L2 factor (default 0, as Keras 3; TF.js's `l1l2` defaults both to 0.01). */
  l2?: number;
}

/**
 * L1 penalty `l1 * sum(|x|)`.
 *
 * @example
 * new L1({ l1: 0.001 }).apply(kernel); // scalar
 */
export class L1 extends Regularizer {
  readonly className = 'L1';
  readonly l1: number;

  constructor(config: L1Options = {}) {
    super();
    const o = readOptions('L1', config, ['l1']);
    this.l1 = numberOption('L1', 'l1', o.l1, 0.01, 'nonNegative');
  }

  apply(x: Tensor): Tensor {
    return penalty('L1', x, this.l1, 0);
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/**
 * L2 penalty `l2 * sum(x²)` (Keras's form: no factor 1/2).
 *
 * @example
 * new L2({ l2: 1e-4 }).apply(kernel); // scalar
 */
export class L2 extends Regularizer {
  readonly className = 'L2';
  readonly l2: number;

  constructor(config: L2Options = {}) {
    super();
    const o = readOptions('L2', config, ['l2']);
    this.l2 = numberOption('L2', 'l2', o.l2, 0.01, 'nonNegative');
  }

  apply(x: Tensor): Tensor {
    return penalty('L2', x, 0, this.l2);
  }

  getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

/**
 * Both penalties: `l1 * sum(|x|) + l2 * sum(x²)`.
 *
 * @example
 * new L1L2({ l1: 1e-5, l2: 1e-4 }).apply(kernel); // scalar
 */
export class L1L2 extends Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(config: L1L2Options = {}) {
    super();
    const o = readOptions('L1L2', config, ['l1', 'l2']);
    this.l1 = numberOption('L1L2', 'l1', o.l1, 0, 'nonNegative');
    this.l2 = numberOption('L1L2', 'l2', o.l2, 0, 'nonNegative');
  }

  apply(x: Tensor): Tensor {
    return penalty('L1L2', x, this.l1, this.l2);
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

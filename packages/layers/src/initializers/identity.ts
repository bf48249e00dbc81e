import { StrataError, cast, eye, fmtShape, mul, tidy, type DType, type Tensor } from '@strata/core';
import { Initializer } from './initializer.js';
import { numberOption, readOptions } from './options.js';

/** Options of {@link IdentityInitializer}. */
export interface IdentityOptions {
  /** Factor the identity is multiplied by (default 1). */
  gain?: number;
}

/**
 * `gain` times the identity matrix, for 2-D weights. Like Keras 3, non-square shapes get ones on
 * the main diagonal (TF.js accepts only square ones). Its class name in saved models is `Identity`
 * (Keras 3's `IdentityInitializer` also resolves).
 *
 * @example
 * new IdentityInitializer({ gain: 2 }).apply([3, 3]); // 2 on the diagonal
 */
export class IdentityInitializer extends Initializer {
  readonly className = 'Identity';
  readonly gain: number;

  constructor(config: IdentityOptions = {}) {
    super();
    const o = readOptions('Identity', config, ['gain']);
    this.gain = numberOption('Identity', 'gain', o.gain, 1);
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    this.checkShape(shape);
    const resolved = this.checkDType(dtype, ['float32', 'int32']);
    if (shape.length !== 2) {
      throw new StrataError(`Identity.apply: argument 'shape' must be 2-D [rows, columns]; received ${fmtShape(shape)} of rank ${shape.length}. Use Orthogonal for conv kernels.`);
    }
    if (this.gain === 1) return eye(shape[0], shape[1], [], resolved);
    return tidy(() => {
      const scaled = mul(eye(shape[0], shape[1]), this.gain);
      return resolved === 'float32' ? scaled : cast(scaled, resolved);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

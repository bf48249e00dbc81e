import { StrataError, fmtShape, type DType, type Tensor } from '@strata/core';
import type { Serializable } from '../registry.js';
import { describeValue } from './options.js';

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/**
 * Base of every weight initializer: `apply(shape, dtype)` returns a fresh tensor of initial
 * values, built from core ops so it runs on every engine.
 *
 * @example
 * class Halves extends Initializer {
 *   readonly className = 'Halves';
 *   apply(shape: number[]) { return fill(shape, 0.5); }
 * }
 */
export abstract class Initializer implements Serializable {
  abstract readonly className: string;

  /** A new tensor of `shape` holding initial values (float32 unless `dtype` says otherwise). */
  abstract apply(shape: readonly number[], dtype?: DType): Tensor;

  /** Constructor options that rebuild an equivalent initializer. */
  getConfig(): Record<string, unknown> {
    return {};
  }

  /** Rejects shapes core would refuse, before any fan arithmetic turns them into NaN limits. */
  protected checkShape(shape: readonly number[]): void {
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
      throw new StrataError(`${this.className}.apply: argument 'shape' must be an array of non-negative integers; received ${Array.isArray(shape) ? fmtShape(shape) : describeValue(shape)}.`);
    }
  }

  /** Resolves `dtype`, which must be one of `allowed` (random draws exist only in float32). */
  protected checkDType(dtype: DType | undefined, allowed: readonly DType[] = DTYPES): DType {
    const resolved = dtype ?? 'float32';
    if (!allowed.includes(resolved)) {
      const why = allowed.length === 1 ? ` (${this.className} draws random floats; cast the result if you need another dtype)` : '';
      throw new StrataError(`${this.className}.apply: argument 'dtype' must be ${allowed.map((d) => `'${d}'`).join(' or ')}${why}; received ${describeValue(dtype)}.`);
    }
    return resolved;
  }
}

import type { Tensor } from '@strata/core';
import type { Serializable } from '../registry.js';

/**
 * Base of weight regularizers: `apply(x)` returns the scalar penalty that training adds to the loss.
 *
 * @example
 * class Sum extends Regularizer {
 *   readonly className = 'Sum';
 *   apply(x: Tensor) { return sum(x); }
 * }
 */
export abstract class Regularizer implements Serializable {
  abstract readonly className: string;

  /** The scalar penalty for weight `x`, built from core ops (differentiable, on every engine). */
  abstract apply(x: Tensor): Tensor;

  /** Constructor options that rebuild an equivalent regularizer. */
  abstract getConfig(): Record<string, unknown>;
}

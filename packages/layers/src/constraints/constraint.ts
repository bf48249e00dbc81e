import { StrataError, Tensor, sqrt, square, sum } from '@strata/core';
import type { Serializable } from '../registry.js';
import { describeValue } from '../initializers/options.js';

/**
 * Base of weight constraints: `apply(w)` returns the projected weight, which optimizers assign
 * back after each update.
 *
 * @example
 * class Clip01 extends Constraint {
 *   readonly className = 'Clip01';
 *   apply(w: Tensor) { return clip(w, 0, 1); }
 * }
 */
export abstract class Constraint implements Serializable {
  abstract readonly className: string;

  /** The constrained weight, built from core ops (a new tensor; `w` is left as it was). */
  abstract apply(w: Tensor): Tensor;

  /** Constructor options that rebuild an equivalent constraint. */
  getConfig(): Record<string, unknown> {
    return {};
  }

  /** Rejects non-tensors with a message naming the constraint. */
  protected checkWeight(w: Tensor): void {
    if (!(w instanceof Tensor)) {
      throw new StrataError(`${this.className}.apply: argument 'w' must be a Tensor (the weight to constrain); received ${describeValue(w)}.`);
    }
  }

  /**
   * Euclidean norms of `w` over `axis` (kept as size-1 dims so they broadcast back), after checking
   * that every axis exists for this weight's rank.
   */
  protected norms(w: Tensor, axis: number | readonly number[]): Tensor {
    const axes = typeof axis === 'number' ? [axis] : axis;
    for (const a of axes) {
      if (a < -w.rank || a >= w.rank) {
        throw new StrataError(
          `${this.className}.apply: option 'axis' (${JSON.stringify(axis)}) does not exist for a weight of shape [${w.shape.join(', ')}] (rank ${w.rank}); `
          + `use axes in [${-w.rank}, ${w.rank - 1}] (Dense kernels: 0; Conv2D kernels [h, w, in, out]: [0, 1, 2]).`,
        );
      }
    }
    return sqrt(sum(square(w), [...axes], true));
  }
}

/** Keras's fuzz factor in the norm constraints (`keras.backend.epsilon()`). */
export const EPSILON = 1e-7;

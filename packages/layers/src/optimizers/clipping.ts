import { add, clip, div, maximum, minimum, mul, sqrt, square, sub, sum, tidy, type Tensor } from '@strata/core';

/**
 * Clips every element of every gradient to `[-clipvalue, clipvalue]` (Keras's `clipvalue`).
 *
 * @example
 * clipGradientsByValue([tensor([-3, 0.5, 2])], 1); // [[-1, 0.5, 1]]
 */
export function clipGradientsByValue(grads: readonly Tensor[], clipvalue: number): Tensor[] {
  return grads.map((g) => clip(g, -clipvalue, clipvalue));
}

/**
 * Rescales one gradient so that its L2 norm is at most `clipnorm` (Keras's `clipnorm`):
 * `g * clipnorm / max(||g||, clipnorm)`. A zero gradient stays zero; a gradient already within
 * the limit is unchanged (up to rounding).
 *
 * @example
 * clipGradientByNorm(tensor([3, 4]), 1); // [0.6, 0.8]
 */
export function clipGradientByNorm(grad: Tensor, clipnorm: number): Tensor {
  return tidy(() => div(mul(grad, clipnorm), maximum(sqrt(sum(square(grad), null, true)), clipnorm)));
}

/**
 * The L2 norm of all gradients taken together, `sqrt(sum_i ||g_i||^2)`, as a scalar tensor.
 *
 * @example
 * globalNorm([tensor([3]), tensor([4])]); // 5
 */
export function globalNorm(grads: readonly Tensor[]): Tensor {
  return tidy(() => {
    let total = sum(square(grads[0]!));
    for (const g of grads.slice(1)) total = add(total, sum(square(g)));
    return sqrt(total);
  });
}

/**
 * Rescales all gradients by one factor so that their global norm is at most `clipnorm` (Keras's
 * `global_clipnorm`): `g_i * clipnorm * min(1 / N, 1 / clipnorm)` with `N = globalNorm(grads)`.
 * A non-finite norm makes every gradient NaN, as in Keras, so the failure is visible rather than
 * silently clipped.
 *
 * @example
 * clipGradientsByGlobalNorm([tensor([3]), tensor([4])], 1); // [[0.6], [0.8]]
 */
export function clipGradientsByGlobalNorm(grads: readonly Tensor[], clipnorm: number): Tensor[] {
  if (grads.length === 0) return [];
  return tidy(() => {
    const norm = globalNorm(grads);
    const scaleForFinite = mul(minimum(div(1, norm), 1 / clipnorm), clipnorm);
    const scale = add(scaleForFinite, sub(norm, norm));
    return grads.map((g) => mul(g, scale));
  });
}

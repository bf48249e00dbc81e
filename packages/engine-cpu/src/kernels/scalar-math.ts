/**
 * Scalar helpers shared by the elementwise kernels. They are plain module functions (not
 * closures) so the optimizing compiler inlines them into the typed-array loops.
 */

/** The SELU constants of Klambauer et al. (2017). */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

/**
 * Logistic sigmoid. In double precision the plain formula is already safe at both ends: for very
 * negative x, e^-x overflows to +∞ and the quotient is the correct 0; for large x, e^-x underflows
 * to 0 and the result is 1; in between the relative error is a few ulps. Branch-free, so random
 * signs cost nothing.
 *
 * @example
 * sigmoid(0); // 0.5
 */
export function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/**
 * log(1 + e^x) without overflow for large x or underflow loss for very negative x.
 *
 * @example
 * softplus(1000); // 1000
 */
export function softplus(v: number): number {
  return Math.log1p(Math.exp(-Math.abs(v))) + (v > 0 ? v : v !== v ? v : 0);
}

/**
 * Rounds half to even (banker's rounding), as NumPy and TensorFlow do; keeps the sign of zero.
 *
 * @example
 * roundHalfEven(2.5); // 2
 * roundHalfEven(-0.5); // -0
 */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  // Math.round breaks ties upwards; a tie that landed on an odd integer must go down instead.
  // The difference is exact: float32 inputs below 2^23 have plenty of room in a double.
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Python/NumPy modulo: the result takes the sign of the divisor.
 *
 * @example
 * floorMod(-7, 3); // 2
 * floorMod(7, -3); // -2
 */
export function floorMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/**
 * Exact int32 power by repeated squaring, wrapping on overflow like int32 arithmetic. Negative
 * exponents truncate toward zero (only ±1 survive), matching integer division semantics.
 *
 * @example
 * intPow(3, 4); // 81
 * intPow(2, -1); // 0
 */
export function intPow(base: number, exp: number): number {
  if (exp < 0) {
    if (base === 1) return 1;
    if (base === -1) return exp % 2 === 0 ? 1 : -1;
    return 0;
  }
  let result = 1;
  let b = base | 0;
  let e = exp;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
    e >>>= 1;
  }
  return result;
}

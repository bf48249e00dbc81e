import type { FusedActivation } from '@strata/engine-api';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function to about float32 precision: a Maclaurin series near zero (where `1 - erfc`
 * would lose relative accuracy) and the Numerical Recipes Chebyshev erfc elsewhere.
 *
 * @example
 * gemmErf(0.5); // ≈ 0.5205
 */
export function gemmErf(x: number): number {
  const z = Math.abs(x);
  if (z < 0.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 10; n++) {
      term *= -x2 / n;
      sum += term / (2 * n + 1);
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

/** Where one output row's bias lives: `bias[offset + j * colStride]` for column `j`. */
export interface BiasRow {
  readonly data: Float32Array;
  readonly offset: number;
  /** 1 for a bias that varies along the row, 0 for one broadcast across it. */
  readonly colStride: number;
}

/**
 * Adds a bias row (may be null) to `c[offset..offset+n)` and applies the activation in place, in
 * one pass while the row is still in cache.
 *
 * @example
 * const c = new Float32Array([-1, 2]);
 * gemmEpilogue(c, 0, 2, { data: new Float32Array([0, 1]), offset: 0, colStride: 1 }, 'relu'); // c = [0, 3]
 */
export function gemmEpilogue(
  c: Float32Array, offset: number, n: number, bias: BiasRow | null, activation: FusedActivation,
): void {
  if (bias !== null) {
    const bd = bias.data, bo = bias.offset;
    if (bias.colStride === 0) {
      const v = bd[bo]!;
      for (let j = 0; j < n; j++) c[offset + j] += v;
    } else {
      for (let j = 0; j < n; j++) c[offset + j] += bd[bo + j]!;
    }
  }
  if (activation !== 'linear') applyActivation(c, offset, offset + n, activation);
}

/** Applies `activation` to `c[start..end)`; NaN passes through every branch. */
function applyActivation(c: Float32Array, start: number, end: number, activation: FusedActivation): void {
  switch (activation) {
    case 'relu':
      for (let i = start; i < end; i++) { const v = c[i]!; if (v < 0) c[i] = 0; }
      break;
    case 'relu6':
      for (let i = start; i < end; i++) { const v = c[i]!; c[i] = v < 0 ? 0 : v > 6 ? 6 : v; }
      break;
    case 'sigmoid':
      for (let i = start; i < end; i++) c[i] = 1 / (1 + Math.exp(-c[i]!));
      break;
    case 'tanh':
      for (let i = start; i < end; i++) c[i] = Math.tanh(c[i]!);
      break;
    case 'elu':
      for (let i = start; i < end; i++) { const v = c[i]!; c[i] = v > 0 ? v : Math.expm1(v); }
      break;
    case 'gelu':
      for (let i = start; i < end; i++) { const v = c[i]!; c[i] = 0.5 * v * (1 + gemmErf(v * Math.SQRT1_2)); }
      break;
    case 'swish':
      for (let i = start; i < end; i++) { const v = c[i]!; c[i] = v / (1 + Math.exp(-v)); }
      break;
    default:
      break;
  }
}

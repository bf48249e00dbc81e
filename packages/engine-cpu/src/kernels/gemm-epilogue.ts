import type { FusedActivation } from '@strata/engine-api';
import { erf } from './erf.js';
import { sigmoid } from './scalar-math.js';

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

/**
 * Applies `activation` to `c[start..end)` with the same formulas, edge cases included, as the
 * engine's unary kernels, so the fused path matches matmul + add + activation: NaN passes through
 * every branch, relu maps -0 to 0, and gelu and swish give their limit 0 at -Infinity.
 */
function applyActivation(c: Float32Array, start: number, end: number, activation: FusedActivation): void {
  switch (activation) {
    case 'relu':
      for (let i = start; i < end; i++) { const v = c[i]!; c[i] = v > 0 || v !== v ? v : 0; }
      break;
    case 'relu6':
      for (let i = start; i < end; i++) { const v = c[i]!; c[i] = v > 6 ? 6 : v > 0 || v !== v ? v : 0; }
      break;
    case 'sigmoid':
      for (let i = start; i < end; i++) c[i] = sigmoid(c[i]!);
      break;
    case 'tanh':
      for (let i = start; i < end; i++) c[i] = Math.tanh(c[i]!);
      break;
    case 'elu':
      for (let i = start; i < end; i++) { const v = c[i]!; c[i] = v > 0 ? v : Math.expm1(v); }
      break;
    case 'gelu':
      for (let i = start; i < end; i++) {
        const v = c[i]!;
        c[i] = v === -Infinity ? 0 : 0.5 * v * (1 + erf(v * Math.SQRT1_2));
      }
      break;
    case 'swish':
      for (let i = start; i < end; i++) { const v = c[i]!; c[i] = v === -Infinity ? 0 : v * sigmoid(v); }
      break;
    default:
      break;
  }
}

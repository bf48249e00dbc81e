import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf, wrap, type CpuData } from '../buffer.js';

/**
 * Softmax over the last axis. Each row's maximum is subtracted first so large inputs cannot
 * overflow `exp`; a NaN anywhere in a row makes the whole row NaN.
 *
 * @example
 * const y = softmax({ dataId: wrap(new Float32Array([0, 0])), shape: [2], dtype: 'float32' }, { shape: [2], dtype: 'float32' });
 * // values [0.5, 0.5]
 */
export function softmax(x: TensorInfo, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array;
  const d = lastDim(x);
  for (let start = 0; start < xs.length; start += d) {
    const end = start + d;
    const max = rowMax(xs, start, end);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const e = Math.exp(xs[i]! - max);
      result[i] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let i = start; i < end; i++) result[i] *= inv;
  }
  return wrap(result);
}

/**
 * Log-softmax over the last axis: `x - max - log(sum(exp(x - max)))`, stable for large inputs;
 * NaN propagates to the whole row.
 *
 * @example
 * const y = logSoftmax({ dataId: wrap(new Float32Array([0, 0])), shape: [2], dtype: 'float32' }, { shape: [2], dtype: 'float32' });
 * // values [-0.693, -0.693]
 */
export function logSoftmax(x: TensorInfo, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array;
  const d = lastDim(x);
  for (let start = 0; start < xs.length; start += d) {
    const end = start + d;
    const max = rowMax(xs, start, end);
    let sum = 0;
    for (let i = start; i < end; i++) sum += Math.exp(xs[i]! - max);
    const shift = max + Math.log(sum);
    for (let i = start; i < end; i++) result[i] = xs[i]! - shift;
  }
  return wrap(result);
}

/** Size of the last axis (a scalar is one row of one). */
function lastDim(x: TensorInfo): number {
  return x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!;
}

/** The row maximum of `xs[start, end)`; a NaN in the row is returned as the maximum so it reaches every output. */
export function rowMax(xs: Float32Array, start: number, end: number): number {
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const v = xs[i]!;
    if (v > max) max = v;
    else if (v !== v) return v;
  }
  return max;
}

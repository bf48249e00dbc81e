import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf, wrap, type CpuData } from '../buffer.js';
import { rowMax } from './softmax.js';

/**
 * Softmax cross-entropy over the last axis, one pass per row: `-sum_c t[c] * logSoftmax(x)[c]`,
 * with the row maximum subtracted before `exp` so large logits cannot overflow. The log-softmax
 * is never stored; each row costs one max, one sum of exps and one dot product.
 *
 * @example
 * const info = (v: number[]) => ({ dataId: wrap(new Float32Array(v)), shape: [2], dtype: 'float32' as const });
 * const y = softmaxCrossEntropy(info([0, 0]), info([1, 0]), { shape: [], dtype: 'float32' });
 * // value [0.693] (= log 2)
 */
export function softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(logits) as Float32Array;
  const ts = valuesOf(labels) as Float32Array;
  const d = logits.shape.length === 0 ? 1 : logits.shape[logits.shape.length - 1]!;
  for (let row = 0; row < result.length; row++) {
    const start = row * d;
    const end = start + d;
    const max = rowMax(xs, start, end);
    let sumExp = 0;
    for (let i = start; i < end; i++) sumExp += Math.exp(xs[i]! - max);
    const logSum = Math.log(sumExp);
    let loss = 0;
    // Same grouping as the decomposition, `(x - max) - log(sum)`, so the two agree to rounding.
    for (let i = start; i < end; i++) loss += ts[i]! * (xs[i]! - max - logSum);
    result[row] = -loss;
  }
  return wrap(result);
}

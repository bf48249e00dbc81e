import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';

/**
 * Converts dtype: to int32 truncates toward zero (NaN and ±∞ give 0), to bool is `x != 0`
 * (so NaN is true), to float32 rounds to nearest.
 *
 * @example
 * const ys = cast(x, { shape: x.shape, dtype: 'int32' }) as Int32Array;
 */
export function cast(x: TensorInfo, out: OutputInfo): HostArray {
  const xs = valuesOf(x);
  const ys = allocate(out);
  if (out.dtype === 'bool' && x.dtype !== 'bool') {
    const n = ys.length;
    for (let i = 0; i < n; i++) ys[i] = +(xs[i] !== 0);
  } else {
    // TypedArray#set converts element by element with ToInt32 / Math.fround semantics, which
    // is exactly truncation toward zero (NaN → 0) for int32 and rounding for float32.
    ys.set(xs);
  }
  return ys;
}

import type { HostArray, OutputInfo } from '@strata/engine-api';
import { allocate } from '../buffer.js';

/**
 * A buffer of `out.shape` with every element `value`, converted to `out.dtype` as `cast` would.
 *
 * @example
 * const ones = fill({ shape: [2, 2], dtype: 'float32' }, 1);
 */
export function fill(out: OutputInfo, value: number): HostArray {
  const ys = allocate(out);
  // Uint8Array#fill would wrap (256 → 0); a bool is x != 0. Int32Array#fill truncates like cast.
  const v = out.dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
  if (v !== 0) ys.fill(v);
  return ys;
}

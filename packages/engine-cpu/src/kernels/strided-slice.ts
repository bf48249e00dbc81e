import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { stridesOf } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';
import { copyRun } from './copy-run.js';

/**
 * `out[i] = x[begin + i * strides]` per dim, `out.shape` elements per dim. Negative strides walk
 * backwards from `begin`. Output dims that read evenly spaced input are merged, so a slice that
 * keeps whole rows copies them as contiguous runs.
 *
 * @example
 * // every other element of a vector, backwards from index 5
 * const ys = stridedSlice(x, [5], [-2], { shape: [3], dtype: x.dtype });
 */
export function stridedSlice(
  x: TensorInfo, begin: readonly number[], strides: readonly number[], out: OutputInfo,
): HostArray {
  const xs = valuesOf(x);
  const ys = allocate(out);
  const total = ys.length;
  if (total === 0) return ys;
  const inStrides = stridesOf(x.shape);
  let start = 0;
  for (let d = 0; d < inStrides.length; d++) start += begin[d]! * inStrides[d]!;

  // Merged (size, step) dims, innermost first.
  const sizes: number[] = [];
  const steps: number[] = [];
  for (let d = out.shape.length - 1; d >= 0; d--) {
    const len = out.shape[d]!;
    if (len === 1) continue;
    const step = strides[d]! * inStrides[d]!;
    const last = sizes.length - 1;
    if (last >= 0 && step === steps[last]! * sizes[last]!) sizes[last]! *= len;
    else {
      sizes.push(len);
      steps.push(step);
    }
  }
  if (sizes.length === 0) {
    ys[0] = xs[start]!;
    return ys;
  }
  sizes.reverse();
  steps.reverse();

  const rank = sizes.length;
  const inner = sizes[rank - 1]!;
  const innerStep = steps[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let src = start;
  for (let dst = 0; dst < total; dst += inner) {
    if (innerStep === 1) copyRun(xs, src, ys, dst, inner);
    else for (let c = 0, s = src; c < inner; c++, s += innerStep) ys[dst + c] = xs[s]!;
    for (let d = rank - 2; d >= 0; d--) {
      if (++counter[d]! < sizes[d]!) {
        src += steps[d]!;
        break;
      }
      counter[d] = 0;
      src -= steps[d]! * (sizes[d]! - 1);
    }
  }
  return ys;
}

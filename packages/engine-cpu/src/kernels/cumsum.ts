import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';

/**
 * Cumulative sum along `axis`, optionally exclusive (each output leaves out its own element) and
 * reversed (summing from the end). Running sums are kept in double precision; int32 outputs wrap.
 *
 * @example
 * const ys = cumsum(x, 0, false, false, { shape: x.shape, dtype: x.dtype });
 */
export function cumsum(x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean, out: OutputInfo): HostArray {
  const xs = valuesOf(x);
  const ys = allocate(out);
  const shape = x.shape;
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  const len = shape[axis]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  if (ys.length === 0) return ys;

  // Walk the axis forwards or backwards by flipping the sign of the step.
  const step = reverse ? -inner : inner;
  const first = reverse ? (len - 1) * inner : 0;
  if (inner === 1) {
    for (let r = 0; r < outer; r++) {
      let i = r * len + first;
      let sum = 0;
      if (exclusive) {
        for (let k = 0; k < len; k++, i += step) {
          ys[i] = sum;
          sum += xs[i]!;
        }
      } else {
        for (let k = 0; k < len; k++, i += step) {
          sum += xs[i]!;
          ys[i] = sum;
        }
      }
    }
    return ys;
  }

  // Several running sums at once, one per inner position, sweeping whole contiguous rows.
  const sums = new Float64Array(inner);
  for (let r = 0; r < outer; r++) {
    sums.fill(0);
    let row = r * len * inner + first;
    for (let k = 0; k < len; k++, row += step) {
      if (exclusive) {
        for (let j = 0; j < inner; j++) {
          ys[row + j] = sums[j]!;
          sums[j]! += xs[row + j]!;
        }
      } else {
        for (let j = 0; j < inner; j++) {
          sums[j]! += xs[row + j]!;
          ys[row + j] = sums[j]!;
        }
      }
    }
  }
  return ys;
}

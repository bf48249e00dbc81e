import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { stridesOf } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';
import { copyRun } from './copy-run.js';

/**
 * Pads with a constant: `paddings[d] = [before, after]` (non-negative). The output is filled
 * with `value`, then each input row is copied into place as one contiguous run.
 *
 * @example
 * const ys = pad(x, [[1, 1], [0, 2]], 0, { shape: [x.shape[0] + 2, x.shape[1] + 2], dtype: x.dtype });
 */
export function pad(
  x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number, out: OutputInfo,
): HostArray {
  const xs = valuesOf(x);
  const ys = allocate(out);
  const v = out.dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
  if (v !== 0) ys.fill(v);
  const total = xs.length;
  if (total === 0) return ys;
  const rank = x.shape.length;
  if (rank === 0) {
    ys[0] = xs[0]!;
    return ys;
  }

  const outStrides = stridesOf(out.shape);
  let dst = 0;
  for (let d = 0; d < rank; d++) dst += paddings[d]![0] * outStrides[d]!;
  const inner = x.shape[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  for (let src = 0; src < total; src += inner) {
    copyRun(xs, src, ys, dst, inner);
    for (let d = rank - 2; d >= 0; d--) {
      if (++counter[d]! < x.shape[d]!) {
        dst += outStrides[d]!;
        break;
      }
      counter[d] = 0;
      dst -= outStrides[d]! * (x.shape[d]! - 1);
    }
  }
  return ys;
}

import type { HostArray } from '@strata/engine-api';

/**
 * Below this length a plain loop beats `subarray` + `set`, whose view object costs more than
 * the copy itself.
 */
const SET_MIN_LENGTH = 32;

/**
 * Copies `n` contiguous elements `src[srcOff ..]` to `dst[dstOff ..]` (same element type).
 *
 * @example
 * copyRun(xs, 0, ys, 8, 4); // ys[8..12) = xs[0..4)
 */
export function copyRun(src: HostArray, srcOff: number, dst: HostArray, dstOff: number, n: number): void {
  if (n >= SET_MIN_LENGTH) {
    dst.set(src.subarray(srcOff, srcOff + n), dstOff);
  } else {
    for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i]!;
  }
}

import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';
import { copyRun } from './copy-run.js';

/**
 * Joins inputs along `axis`. Seen as `[outer, rest]` matrices split at `axis`, each output row
 * is the inputs' rows back to back, so everything is contiguous runs.
 *
 * @example
 * const ys = concat([a, b], 1, { shape: [2, a.shape[1] + b.shape[1]], dtype: a.dtype });
 */
export function concat(xs: readonly TensorInfo[], axis: number, out: OutputInfo): HostArray {
  const ys = allocate(out);
  const total = ys.length;
  if (total === 0) return ys;
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= out.shape[d]!;
  const sources = xs.map((x) => valuesOf(x));
  const runs = sources.map((s) => s.length / outer);
  for (let o = 0, dst = 0; o < outer; o++) {
    for (let k = 0; k < sources.length; k++) {
      const run = runs[k]!;
      copyRun(sources[k]!, o * run, ys, dst, run);
      dst += run;
    }
  }
  return ys;
}

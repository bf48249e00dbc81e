import type { HostArray, OutputInfo, RandomAttrs } from '@strata/engine-api';
import { philoxNormal, philoxUniform } from '@strata/engine-api';
import { allocate } from '../buffer.js';

/**
 * Seeded random values: element `i` is `philoxUniform` / `philoxNormal` at index `i`, the
 * engine-independent spec, so CPU results match every other engine bit for bit.
 *
 * @example
 * const ys = random({ shape: [3], dtype: 'float32' }, { distribution: 'uniform', seed: 7, stream: 0 });
 */
export function random(out: OutputInfo, attrs: RandomAttrs): HostArray {
  const ys = allocate(out);
  const n = ys.length;
  const seed = attrs.seed >>> 0;
  const stream = attrs.stream >>> 0;
  const scratch = new Uint32Array(4);
  if (attrs.distribution === 'uniform') {
    const low = attrs.low ?? 0;
    const high = attrs.high ?? 1;
    for (let i = 0; i < n; i++) ys[i] = philoxUniform(seed, stream, i, low, high, scratch);
  } else {
    const mean = attrs.mean ?? 0;
    const stddev = attrs.stddev ?? 1;
    const truncated = attrs.distribution === 'truncatedNormal';
    for (let i = 0; i < n; i++) ys[i] = philoxNormal(seed, stream, i, mean, stddev, truncated, scratch);
  }
  return ys;
}

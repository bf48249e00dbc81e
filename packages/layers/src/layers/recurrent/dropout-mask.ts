import { cast, greaterEqual, mul, uniform, type Tensor } from '@strata/core';
import type { SeedStream } from '../basic/seed-stream.js';

/**
 * An inverted-dropout mask of `shape`: each entry 0 with probability `rate`, else `1 / (1 - rate)`.
 * Recurrent layers draw one per call and reuse it at every time step, as Keras does.
 *
 * @example
 * const keep = dropoutMask([batch, features], 0.2, stream);
 * const dropped = mul(x, keep);
 */
export function dropoutMask(shape: readonly number[], rate: number, stream: SeedStream): Tensor {
  const draw = uniform(shape, 0, 1, stream.next());
  // Keep where u >= rate (probability 1 - rate), as the Dropout layer does.
  return mul(cast(greaterEqual(draw, rate), 'float32'), 1 / (1 - rate));
}

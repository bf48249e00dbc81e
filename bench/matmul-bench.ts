// The kernels are imported from source directly: the package exports only its engine, and the
// bench measures the kernels without the engine or core around them.
import type * as TF from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@strata/engine-api';
import { wrap } from '../packages/engine-cpu/src/buffer.js';
import { matmul } from '../packages/engine-cpu/src/kernels/matmul.js';
import { gflops, seededValues, timePairMedian } from './timing.js';

/** One matmul size measured on both libraries. */
export interface MatmulResult {
  size: number;
  strataGflops: number;
  tfjsGflops: number;
}

/**
 * Square `size x size x size` matmul GFLOP/s for Strata's CPU kernel (called directly on CpuData)
 * and for tfjs-backend-cpu (`tf.matMul` + `dataSync`, so its lazy work is counted).
 *
 * @example
 * const r = benchMatmul(tf, 512);
 */
export function benchMatmul(tf: typeof TF, size: number): MatmulResult {
  const flops = 2 * size ** 3;
  const av = seededValues(size * size, 1), bv = seededValues(size * size, 2);
  const runs = size >= 1024 ? { warmup: 1, runs: 3 } : { warmup: 2, runs: 7 };

  const a: TensorInfo = { dataId: wrap(av), shape: [1, size, size], dtype: 'float32' };
  const b: TensorInfo = { dataId: wrap(bv), shape: [1, size, size], dtype: 'float32' };
  const out = { shape: [1, size, size], dtype: 'float32' as const };
  const ta = tf.tensor2d(av, [size, size]), tb = tf.tensor2d(bv, [size, size]);
  const [strata, tfjs] = timePairMedian(
    () => matmul(a, b, false, false, out),
    () => {
      const c = tf.matMul(ta, tb);
      c.dataSync();
      c.dispose();
    },
    runs,
  );
  ta.dispose();
  tb.dispose();

  return { size, strataGflops: gflops(flops, strata.medianMs), tfjsGflops: gflops(flops, tfjs.medianMs) };
}

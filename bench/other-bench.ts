// The kernels are imported from source directly: the package exports only its engine, and the
// bench measures the kernels without the engine or core around them.
import type * as TF from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, Pool2DAttrs, TensorInfo } from '@strata/engine-api';
import { wrap } from '../packages/engine-cpu/src/buffer.js';
import { depthwiseConv2d } from '../packages/engine-cpu/src/kernels/depthwise-conv2d.js';
import { avgPool, maxPool } from '../packages/engine-cpu/src/kernels/pool.js';
import { softmax } from '../packages/engine-cpu/src/kernels/softmax.js';
import { seededValues, timePairMedian } from './timing.js';

/** One kernel timed on both libraries, in milliseconds per call. */
export interface KernelResult {
  label: string;
  strataMs: number;
  tfjsMs: number;
}

const RUNS = { warmup: 2, runs: 5 };

function info(values: Float32Array, shape: number[]): TensorInfo {
  return { dataId: wrap(values), shape, dtype: 'float32' };
}

/** Times `strata` and `tfjs` (which must call `dataSync` and dispose its result). */
function pair(label: string, strata: () => void, tfjs: () => void): KernelResult {
  const [s, t] = timePairMedian(strata, tfjs, RUNS);
  return { label, strataMs: s.medianMs, tfjsMs: t.medianMs };
}

/**
 * Depthwise 3x3 convolution, 3x3/2 max and average pooling on `8x56x56x64`, and softmax over
 * `512x1000` rows, on Strata's kernels and tfjs-backend-cpu with identical inputs.
 *
 * @example
 * for (const r of benchOtherKernels(tf)) console.log(r.label, r.strataMs, r.tfjsMs);
 */
export function benchOtherKernels(tf: typeof TF): KernelResult[] {
  const shape = [8, 56, 56, 64];
  const xv = seededValues(8 * 56 * 56 * 64, 5), fv = seededValues(9 * 64, 6), sv = seededValues(512 * 1000, 7);
  const x = info(xv, shape), f = info(fv, [3, 3, 64, 1]), s = info(sv, [512, 1000]);
  const tx = tf.tensor4d(xv, [8, 56, 56, 64]), tfilter = tf.tensor4d(fv, [3, 3, 64, 1]), ts = tf.tensor2d(sv, [512, 1000]);
  const conv: Conv2DAttrs = { strides: [1, 1], dilations: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } };
  // tfjs 'same' for a 3x3/2 window on 56 pads 0 before and 1 after.
  const pool: Pool2DAttrs = { windowSize: [3, 3], strides: [2, 2], pad: { top: 0, bottom: 1, left: 0, right: 1 } };
  const pooled = { shape: [8, 28, 28, 64], dtype: 'float32' as const };
  const run = (op: () => TF.Tensor) => () => {
    const y = op();
    y.dataSync();
    y.dispose();
  };
  const results = [
    pair('depthwise 8x56x56x64 3x3',
      () => depthwiseConv2d(x, f, conv, { shape, dtype: 'float32' }), run(() => tf.depthwiseConv2d(tx, tfilter, 1, 'same'))),
    pair('maxPool 8x56x56x64 3x3/2', () => maxPool(x, pool, pooled), run(() => tf.maxPool(tx, 3, 2, 'same'))),
    pair('avgPool 8x56x56x64 3x3/2', () => avgPool(x, pool, pooled), run(() => tf.avgPool(tx, 3, 2, 'same'))),
    pair('softmax 512x1000', () => softmax(s, { shape: [512, 1000], dtype: 'float32' }), run(() => tf.softmax(ts))),
  ];
  tx.dispose();
  tfilter.dispose();
  ts.dispose();
  return results;
}

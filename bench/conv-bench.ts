// The kernels are imported from source directly: the package exports only its engine, and the
// bench measures the kernels without the engine or core around them.
import type * as TF from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, TensorInfo } from '@strata/engine-api';
import { wrap } from '../packages/engine-cpu/src/buffer.js';
import { conv2d } from '../packages/engine-cpu/src/kernels/conv2d.js';
import { gflops, seededValues, timePairMedian } from './timing.js';

/** A 'same'-padded, unit-stride 3x3 (or k x k) convolution workload. */
export interface ConvCase {
  label: string;
  batch: number;
  size: number;
  inC: number;
  outC: number;
  kernel: number;
}

/** One convolution measured on both libraries. */
export interface ConvResult {
  label: string;
  strataMs: number;
  tfjsMs: number;
  strataGflops: number;
  tfjsGflops: number;
}

/**
 * Times a 'same' convolution on Strata's CPU kernel and on tfjs-backend-cpu with identical inputs.
 *
 * @example
 * const r = benchConv(tf, { label: '28x28', batch: 8, size: 28, inC: 32, outC: 64, kernel: 3 });
 */
export function benchConv(tf: typeof TF, c: ConvCase): ConvResult {
  const { batch, size, inC, outC, kernel } = c;
  const flops = 2 * batch * size * size * outC * kernel * kernel * inC;
  const xv = seededValues(batch * size * size * inC, 3), fv = seededValues(kernel * kernel * inC * outC, 4);
  const runs = { warmup: 2, runs: 5 };
  const before = Math.floor((kernel - 1) / 2);
  const attrs: Conv2DAttrs = {
    strides: [1, 1], dilations: [1, 1],
    pad: { top: before, bottom: kernel - 1 - before, left: before, right: kernel - 1 - before },
  };
  const x: TensorInfo = { dataId: wrap(xv), shape: [batch, size, size, inC], dtype: 'float32' };
  const f: TensorInfo = { dataId: wrap(fv), shape: [kernel, kernel, inC, outC], dtype: 'float32' };
  const out = { shape: [batch, size, size, outC], dtype: 'float32' as const };
  const tx = tf.tensor4d(xv, [batch, size, size, inC]);
  const tfilter = tf.tensor4d(fv, [kernel, kernel, inC, outC]);
  const [strata, tfjs] = timePairMedian(
    () => conv2d(x, f, attrs, out),
    () => {
      const y = tf.conv2d(tx, tfilter, 1, 'same');
      y.dataSync();
      y.dispose();
    },
    runs,
  );
  tx.dispose();
  tfilter.dispose();

  return {
    label: c.label, strataMs: strata.medianMs, tfjsMs: tfjs.medianMs,
    strataGflops: gflops(flops, strata.medianMs), tfjsGflops: gflops(flops, tfjs.medianMs),
  };
}

import { wrap } from '../packages/engine-cpu/src/buffer.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from '../packages/engine-cpu/src/kernels/depthwise-conv2d.js';
import { maxPool, avgPool, maxPoolBackward, avgPoolBackward } from '../packages/engine-cpu/src/kernels/pool.js';
import { softmax, logSoftmax } from '../packages/engine-cpu/src/kernels/softmax.js';
import { loadTfjsCpu } from './tfjs.js';
import { seededValues, timeMedian } from './timing.js';
const tf = await loadTfjsCpu();
const r = { warmup: 2, runs: 5 };
const x = seededValues(8 * 56 * 56 * 64, 1), f = seededValues(9 * 64, 2);
const X = { dataId: wrap(x), shape: [8, 56, 56, 64], dtype: 'float32' as const };
const F = { dataId: wrap(f), shape: [3, 3, 64, 1], dtype: 'float32' as const };
const attrs = { strides: [1, 1] as const, dilations: [1, 1] as const, pad: { top: 1, bottom: 1, left: 1, right: 1 } };
const out = { shape: [8, 56, 56, 64], dtype: 'float32' as const };
const tx = tf.tensor4d(x, [8, 56, 56, 64]), tfl = tf.tensor4d(f, [3, 3, 64, 1]);
const dy = { dataId: wrap(seededValues(8*56*56*64, 3)), shape: [8, 56, 56, 64], dtype: 'float32' as const };
console.log('depthwise strata', timeMedian(() => depthwiseConv2d(X, F, attrs, out), r).medianMs.toFixed(1),
  'bpIn', timeMedian(() => depthwiseConv2dBackpropInput(dy, F, attrs, out), r).medianMs.toFixed(1),
  'bpF', timeMedian(() => depthwiseConv2dBackpropFilter(X, dy, attrs, { shape: [3,3,64,1], dtype: 'float32' }), r).medianMs.toFixed(1),
  'tfjs', timeMedian(() => { const y = tf.depthwiseConv2d(tx, tfl, 1, 'same'); y.dataSync(); y.dispose(); }, r).medianMs.toFixed(1));
const pattrs = { windowSize: [3, 3] as const, strides: [2, 2] as const, pad: { top: 0, bottom: 1, left: 0, right: 1 } };
const pout = { shape: [8, 28, 28, 64], dtype: 'float32' as const };
const pdy = { dataId: wrap(seededValues(8*28*28*64, 4)), shape: [8, 28, 28, 64], dtype: 'float32' as const };
console.log('maxPool strata', timeMedian(() => maxPool(X, pattrs, pout), r).medianMs.toFixed(1),
  'bwd', timeMedian(() => maxPoolBackward(pdy, X, pattrs, out), r).medianMs.toFixed(1),
  'avg', timeMedian(() => avgPool(X, pattrs, pout), r).medianMs.toFixed(1),
  'avgBwd', timeMedian(() => avgPoolBackward(pdy, pattrs, out), r).medianMs.toFixed(1),
  'tfjs max', timeMedian(() => { const y = tf.maxPool(tx, 3, 2, 'same'); y.dataSync(); y.dispose(); }, r).medianMs.toFixed(1),
  'tfjs avg', timeMedian(() => { const y = tf.avgPool(tx, 3, 2, 'same'); y.dataSync(); y.dispose(); }, r).medianMs.toFixed(1));
const s = seededValues(512 * 1000, 5); const S = { dataId: wrap(s), shape: [512, 1000], dtype: 'float32' as const };
const ts = tf.tensor2d(s, [512, 1000]);
console.log('softmax strata', timeMedian(() => softmax(S, { shape: [512, 1000], dtype: 'float32' }), r).medianMs.toFixed(2),
  'log', timeMedian(() => logSoftmax(S, { shape: [512, 1000], dtype: 'float32' }), r).medianMs.toFixed(2),
  'tfjs', timeMedian(() => { const y = tf.softmax(ts); y.dataSync(); y.dispose(); }, r).medianMs.toFixed(2));

import type { Pool2DAttrs } from '@strata/engine-api';
import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { defineOp } from './define-op.js';
import { castTo } from './elementwise.js';
import { toPair, windowGeometry, type Pair, type PadSpec } from './padding.js';
import { avgPoolKernel, maxPoolKernel } from './pool-dispatch.js';
import { reshape } from './reshape.js';

// 2-D and 1-D pooling, channels-last. Padding follows TensorFlow: padded cells never win a max and
// are not counted by an average. int32 inputs are computed in float32; bool inputs are refused.

/** Padding of 1-D pooling: `'valid'`, `'same'`, one number for both sides, or `[left, right]`. */
export type PoolPad1D = 'valid' | 'same' | number | readonly [number, number];

type Kind = 'maxPool' | 'avgPool';

function numericInput(op: string, value: TensorLike): Tensor {
  const t = convert(value, 'x', op);
  if (t.dtype === 'bool') throw new OpError(op, 'x', 'dtype bool', 'must be numeric (float32, or int32 which is computed in float32); cast it first');
  return t;
}

/** The validated input as float32 `[N, H, W, C]` (cast and reshaped only after every check). */
function asFloat(t: Tensor, shape: readonly number[]): Tensor {
  return reshape(castTo(t, 'float32'), shape);
}

function run(kind: Kind, x: Tensor, attrs: Pool2DAttrs): Tensor {
  return kind === 'maxPool' ? maxPoolKernel(x, attrs) : avgPoolKernel(x, attrs);
}

function pool2d(kind: Kind, x: TensorLike, filterSize: Pair, strides: Pair, pad: PadSpec): Tensor {
  const $x = numericInput(kind, x);
  if ($x.rank !== 3 && $x.rank !== 4) {
    throw new OpError(kind, 'x', `shape ${fmtShape($x.shape)}`, 'must have rank 4 [batch, height, width, channels] or rank 3 [height, width, channels]');
  }
  const batched = $x.rank === 4;
  const shape = batched ? [...$x.shape] : [1, ...$x.shape];
  const windowSize = toPair(kind, 'filterSize', filterSize);
  const s = toPair(kind, 'strides', strides);
  const geo = windowGeometry(kind, shape[1]!, shape[2]!, windowSize[0], windowSize[1], s, [1, 1], pad);
  const y = run(kind, asFloat($x, shape), { windowSize, strides: s, pad: geo.pad });
  return batched ? y : reshape(y, y.shape.slice(1));
}

function pool1d(op: string, kind: Kind, x: TensorLike, poolSize: number, stride: number, pad: PoolPad1D): Tensor {
  const $x = numericInput(op, x);
  if ($x.rank !== 2 && $x.rank !== 3) throw new OpError(op, 'x', `shape ${fmtShape($x.shape)}`, 'must have rank 3 [batch, width, channels] or rank 2 [width, channels]');
  for (const [arg, v] of [['poolSize', poolSize], ['stride', stride]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new OpError(op, arg, JSON.stringify(v), 'must be a positive integer');
  }
  let pad2d: PadSpec;
  if (pad === 'valid' || pad === 'same') pad2d = pad;
  else if (typeof pad === 'number' && Number.isInteger(pad) && pad >= 0) pad2d = [[0, 0], [pad, pad]];
  else if (Array.isArray(pad) && pad.length === 2 && pad.every((v) => Number.isInteger(v) && v >= 0)) pad2d = [[0, 0], [pad[0]!, pad[1]!]];
  else throw new OpError(op, 'pad', JSON.stringify(pad), "must be 'valid', 'same', a non-negative integer, or [left, right]");
  const batched = $x.rank === 3;
  const shape = batched ? [$x.shape[0]!, 1, $x.shape[1]!, $x.shape[2]!] : [1, 1, ...$x.shape];
  const geo = windowGeometry(op, 1, shape[2]!, 1, poolSize, [1, stride], [1, 1], pad2d);
  const y = run(kind, asFloat($x, shape), { windowSize: [1, poolSize], strides: [1, stride], pad: geo.pad });
  return reshape(y, batched ? [y.shape[0]!, y.shape[2]!, y.shape[3]!] : [y.shape[2]!, y.shape[3]!]);
}

/**
 * 2-D max pooling of `x [N, H, W, C]` (or `[H, W, C]`) over `filterSize` windows (one number or
 * `[height, width]`) taken every `strides` (default: the window size). `pad` is `'valid'`,
 * `'same'`, a number or `[[top, bottom], [left, right]]`; padded cells never win, and a NaN in a
 * window wins it. The gradient goes to the first maximal cell of each window on engines with the
 * maxPool fast path, and is shared among equal maxima by the decomposition elsewhere.
 *
 * @example
 * maxPool(tensor([1, 5, 3, 2], [1, 2, 2, 1]), 2, 2); // [[[[5]]]]
 */
export const maxPool = defineOp('maxPool', (x: TensorLike, filterSize: Pair, strides: Pair = filterSize, pad: PadSpec = 'valid'): Tensor =>
  pool2d('maxPool', x, filterSize, strides, pad));

/**
 * 2-D average pooling, like `maxPool`; each window averages only its real (non-padded) cells, as
 * TensorFlow does.
 *
 * @example
 * avgPool(tensor([1, 5, 3, 2], [1, 2, 2, 1]), 2, 2); // [[[[2.75]]]]
 */
export const avgPool = defineOp('avgPool', (x: TensorLike, filterSize: Pair, strides: Pair = filterSize, pad: PadSpec = 'valid'): Tensor =>
  pool2d('avgPool', x, filterSize, strides, pad));

/**
 * 1-D max pooling of `x [N, W, C]` (or `[W, C]`) over `poolSize` cells every `stride` (default:
 * the pool size), for Keras `MaxPooling1D`. Not in TF.js.
 *
 * @example
 * maxPool1d(tensor([[[1], [4], [2], [3]]]), 2); // [[[4], [3]]]
 */
export const maxPool1d = defineOp('maxPool1d', (x: TensorLike, poolSize: number, stride: number = poolSize, pad: PoolPad1D = 'valid'): Tensor =>
  pool1d('maxPool1d', 'maxPool', x, poolSize, stride, pad));

/**
 * 1-D average pooling (over real cells), for Keras `AveragePooling1D`. Not in TF.js.
 *
 * @example
 * avgPool1d(tensor([[[1], [4], [2], [3]]]), 2); // [[[2.5], [2.5]]]
 */
export const avgPool1d = defineOp('avgPool1d', (x: TensorLike, poolSize: number, stride: number = poolSize, pad: PoolPad1D = 'valid'): Tensor =>
  pool1d('avgPool1d', 'avgPool', x, poolSize, stride, pad));

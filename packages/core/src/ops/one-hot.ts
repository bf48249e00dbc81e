import type { DType } from '@strata/engine-api';
import type { TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError } from '../util/errors.js';
import { equal } from './binary.js';
import { fill, range } from './creation.js';
import { defineOp } from './define-op.js';
import { toIndices } from './indices.js';
import { reshape } from './reshape.js';
import { where } from './where.js';

/**
 * One-hot encoding: int32 `indices` of shape `S` give a tensor of shape `[...S, depth]` holding
 * `onValue` at each index and `offValue` elsewhere (float32 unless `dtype` says otherwise). An index
 * outside `[0, depth)` gives a row of `offValue`, as in TensorFlow.
 *
 * @example
 * oneHot([0, 2, 5], 3); // [[1, 0, 0], [0, 0, 1], [0, 0, 0]]
 */
export const oneHot = defineOp('oneHot', (indices: TensorLike, depth: number, onValue: number = 1, offValue: number = 0, dtype: DType = 'float32'): Tensor => {
  const $i = toIndices('oneHot', 'indices', indices);
  if (!Number.isInteger(depth) || depth < 0) throw new OpError('oneHot', 'depth', String(depth), 'must be a non-negative integer');
  if (typeof onValue !== 'number' || typeof offValue !== 'number') {
    throw new OpError('oneHot', 'onValue/offValue', `${typeof onValue}, ${typeof offValue}`, 'must be numbers');
  }
  if (!['float32', 'int32', 'bool'].includes(dtype)) throw new OpError('oneHot', 'dtype', JSON.stringify(dtype), 'must be float32, int32 or bool');
  const hits = equal(reshape($i, [...$i.shape, 1]), range(0, depth, 1, 'int32'));
  return where(hits, fill([], onValue, dtype), fill([], offValue, dtype));
});

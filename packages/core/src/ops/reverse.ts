import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError } from '../util/errors.js';
import { normalizeAxes } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { stridedSliceKernel } from './layout-kernels.js';

/**
 * Reverses the order of elements along `axis` (one or several, negative allowed; all by default).
 * Runs as the engine's strided slice with stride -1 on those dims.
 *
 * @example
 * reverse(tensor([[1, 2], [3, 4]]), 1); // [[2, 1], [4, 3]]
 * reverse(tensor([1, 2, 3]));           // [3, 2, 1]
 */
export const reverse = defineOp('reverse', (x: TensorLike, axis?: number | readonly number[]): Tensor => {
  const $x = convert(x, 'x', 'reverse');
  if ($x.rank === 0 && axis !== undefined && axis !== null && (typeof axis === 'number' || axis.length > 0)) {
    throw new OpError('reverse', 'axis', JSON.stringify(axis), 'must be empty for a scalar x');
  }
  const axes = normalizeAxes('reverse', axis, $x.rank);
  const begin = $x.shape.map((d, i) => (axes.includes(i) && d > 0 ? d - 1 : 0));
  const strides = $x.shape.map((_d, i) => (axes.includes(i) ? -1 : 1));
  return stridedSliceKernel('reverse', $x, begin, strides, $x.shape, { axes });
});

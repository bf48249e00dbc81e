import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError } from '../util/errors.js';
import { normalizeAxis } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { checkIndexRange, toIndices } from './indices.js';
import { gatherKernel } from './layout-kernels.js';

/**
 * Takes the slices of `x` along `axis` (default 0) at the int32 `indices`, which may have any
 * shape: the result has shape `x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]`.
 *
 * Indices must lie in `[0, x.shape[axis])`. Engines that read synchronously (the CPU engine) check
 * this and throw naming the bad index; on the others (GPU engines) the check would stall the
 * queue, so it is skipped and the values gathered for out-of-range indices are unspecified.
 *
 * @example
 * gather(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]);    // [[5, 6], [1, 2]]
 * gather(tensor([[1, 2], [3, 4]]), [[1], [0]], 1);     // [[[2], [1]], [[4], [3]]]
 */
export const gather = defineOp('gather', (x: TensorLike, indices: TensorLike, axis: number = 0): Tensor => {
  const $x = convert(x, 'x', 'gather');
  const $i = toIndices('gather', 'indices', indices);
  if ($x.rank === 0) throw new OpError('gather', 'x', 'a scalar', 'must have at least one dimension');
  const ax = normalizeAxis('gather', axis, $x.rank);
  checkIndexRange('gather', 'indices', $i, $x.shape[ax]!, `x has ${$x.shape[ax]} entries along axis ${ax}`);
  return gatherKernel($x, $i, ax);
});

import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { assertShape, shapesEqual } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { checkIndexRange, toIndices } from './indices.js';
import { scatterAddKernel } from './layout-kernels.js';

/**
 * The adjoint of `gather` along axis 0: a tensor of `shape`, zero everywhere, into which each slice
 * `updates[i]` is added at row `indices[i]`. Repeated indices accumulate, so
 * `scatterAdd(ids, ones, [n])` counts how often each id occurs. `indices` are int32 of any shape,
 * `updates` has shape `indices.shape ++ shape[1:]` (float32 or int32; the result takes its dtype).
 *
 * As with `gather`, indices must lie in `[0, shape[0])`; engines that read synchronously check
 * this, the others leave out-of-range updates unspecified. The gradient with respect to `updates`
 * is `gather(dy, indices)`.
 *
 * @example
 * scatterAdd([0, 2, 0], tensor([[1, 1], [2, 2], [3, 3]]), [3, 2]); // [[4, 4], [0, 0], [2, 2]]
 */
export const scatterAdd = defineOp('scatterAdd', (indices: TensorLike, updates: TensorLike, shape: readonly number[]): Tensor => {
  const $i = toIndices('scatterAdd', 'indices', indices);
  const $u = convert(updates, 'updates', 'scatterAdd');
  assertShape('scatterAdd', 'shape', shape);
  if (shape.length === 0) throw new OpError('scatterAdd', 'shape', '[]', 'must have at least one dimension (the rows indices point at)');
  if ($u.dtype === 'bool') throw new OpError('scatterAdd', 'updates', 'dtype bool', 'must be float32 or int32 (bools cannot be added); cast it first');
  const expected = [...$i.shape, ...shape.slice(1)];
  if (!shapesEqual($u.shape, expected)) {
    throw new OpError('scatterAdd', 'updates', `shape ${fmtShape($u.shape)}`,
      `must have shape indices.shape ++ shape[1:] = ${fmtShape(expected)} (indices ${fmtShape($i.shape)}, shape ${fmtShape(shape)})`);
  }
  checkIndexRange('scatterAdd', 'indices', $i, shape[0]!, `the result has ${shape[0]} rows`);
  return scatterAddKernel($u, $i, 0, shape);
});

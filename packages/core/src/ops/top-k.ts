import { convert, type TensorLike } from '../convert.js';
import { runKernel } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { defineOp } from './define-op.js';

const topKPair = defineOp('topK', (x: TensorLike, k: number): Tensor[] => {
  const $x = convert(x, 'x', 'topK');
  if ($x.rank === 0) throw new OpError('topK', 'x', 'a scalar', 'must have at least one dimension');
  if ($x.dtype === 'bool') throw new OpError('topK', 'x', 'dtype bool', 'must be float32 or int32; cast it first');
  const n = $x.shape[$x.rank - 1]!;
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new OpError('topK', 'k', String(k), `must be an integer in [0, ${n}], the size of the last dimension of x (shape ${fmtShape($x.shape)})`);
  }
  const shape = [...$x.shape.slice(0, -1), k];
  const values = { shape, dtype: $x.dtype };
  const indices = { shape, dtype: 'int32' as const };
  return runKernel('topK', [$x], [values, indices], (e, [xi]) => e.topK(xi!, k, values, indices), { k });
});

/**
 * The `k` (default 1) largest entries along the last axis and their int32 indices, largest first;
 * among equal values the lower index comes first, and NaN ranks above every number. Results are
 * always sorted; `sorted = false` is accepted for TF.js compatibility (it allows any order).
 * Only `values` is differentiable: its gradient flows back to the chosen entries.
 *
 * @example
 * const { values, indices } = topK(tensor([[1, 5, 3], [4, 2, 6]]), 2); // [[5, 3], [6, 4]], [[1, 2], [2, 0]]
 */
export function topK(x: TensorLike, k: number = 1, sorted: boolean = true): { values: Tensor; indices: Tensor } {
  if (typeof sorted !== 'boolean') throw new OpError('topK', 'sorted', String(sorted), 'must be a boolean');
  const [values, indices] = topKPair(x, k);
  return { values: values!, indices: indices! };
}

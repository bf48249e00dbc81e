import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { normalizeAxis } from '../util/shape.js';
import { defineOp } from './define-op.js';

/**
 * Permutes the dimensions: output dim `j` is input dim `perm[j]` (entries may be negative).
 * `perm` defaults to reversing the dims, so a matrix is transposed.
 *
 * @example
 * transpose(tensor([[1, 2, 3], [4, 5, 6]]));          // [[1, 4], [2, 5], [3, 6]]
 * transpose(zeros([2, 3, 4]), [0, 2, 1]).shape;       // [2, 4, 3]
 */
export const transpose = defineOp('transpose', (x: TensorLike, perm?: readonly number[]): Tensor => {
  const $x = convert(x, 'x', 'transpose');
  const rank = $x.rank;
  const given = perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (!Array.isArray(given) || given.length !== rank) {
    throw new OpError('transpose', 'perm', JSON.stringify(perm), `must list each of the ${rank} dimensions of x (shape ${fmtShape($x.shape)}) once`);
  }
  const p = rank === 0 ? [] : given.map((a) => normalizeAxis('transpose', a, rank, 'perm'));
  if (new Set(p).size !== rank) {
    throw new OpError('transpose', 'perm', `[${given.join(', ')}]`, `must be a permutation of 0..${rank - 1} (no dimension twice)`);
  }
  const out = { shape: p.map((d) => $x.shape[d]!), dtype: $x.dtype };
  // When the dims larger than 1 keep their order, memory order is unchanged: share the buffer.
  const moving = p.filter((d) => $x.shape[d] !== 1);
  const isView = moving.every((d, i) => i === 0 || d > moving[i - 1]!);
  return runKernel1('transpose', [$x], out, (e, [xi]) => (isView ? xi!.dataId : e.transpose(xi!, p, out)), { perm: p });
});

import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { defineOp } from './define-op.js';
import { stridedSliceKernel } from './layout-kernels.js';

function asList(value: number | readonly number[] | undefined, rank: number, fill: number): number[] {
  const given = value === undefined ? [] : typeof value === 'number' ? [value] : [...value];
  return [...given, ...new Array<number>(Math.max(0, rank - given.length)).fill(fill)];
}

/**
 * A contiguous block of `x`: `size[d]` elements from `begin[d]` along each dim. Lists shorter than
 * the rank (or single numbers, which apply to dim 0) are completed with begin 0 and size -1, and
 * a size of -1 means "to the end of the dimension".
 *
 * @example
 * slice(tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]); // [[2, 3], [5, 6]]
 * slice(tensor([1, 2, 3, 4]), 1);                        // [2, 3, 4]
 */
export const slice = defineOp('slice', (x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor => {
  const $x = convert(x, 'x', 'slice');
  const shape = $x.shape;
  const rank = $x.rank;
  const b = asList(begin, rank, 0);
  const s = asList(size, rank, -1);
  if (b.length !== rank) throw new OpError('slice', 'begin', JSON.stringify(begin), `must have at most ${rank} entries, one per dimension of x (shape ${fmtShape(shape)})`);
  if (s.length !== rank) throw new OpError('slice', 'size', JSON.stringify(size), `must have at most ${rank} entries, one per dimension of x (shape ${fmtShape(shape)})`);
  const outShape = shape.map((dim, d) => {
    const bd = b[d]!;
    if (!Number.isInteger(bd) || bd < 0 || bd > dim) {
      throw new OpError('slice', 'begin', `[${b.join(', ')}]`, `must be an integer in [0, ${dim}] at dimension ${d} (x has shape ${fmtShape(shape)}); received ${bd} there`);
    }
    const sd = s[d] === -1 ? dim - bd : s[d]!;
    if (!Number.isInteger(sd) || sd < 0 || bd + sd > dim) {
      throw new OpError('slice', 'size', `[${s.join(', ')}]`, `must be -1 or an integer in [0, ${dim - bd}] at dimension ${d} (begin ${bd}, x has shape ${fmtShape(shape)}); received ${s[d]} there`);
    }
    return sd;
  });
  return stridedSliceKernel('slice', $x, b, new Array<number>(rank).fill(1), outShape);
});

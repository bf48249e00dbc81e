import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { normalizeAxis } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { reshape } from './reshape.js';

/**
 * Inserts a dimension of size 1 at `axis` (default 0); `axis` ranges over `[-(rank+1), rank]`, so
 * -1 appends one. Shares the buffer (a reshape).
 *
 * @example
 * expandDims(tensor([1, 2]), 1).shape; // [2, 1]
 */
export const expandDims = defineOp('expandDims', (x: TensorLike, axis: number = 0): Tensor => {
  const $x = convert(x, 'x', 'expandDims');
  const rank = $x.rank;
  if (!Number.isInteger(axis) || axis < -(rank + 1) || axis > rank) {
    throw new OpError('expandDims', 'axis', String(axis), `must be an integer in [${-(rank + 1)}, ${rank}] for x of shape ${fmtShape($x.shape)}`);
  }
  const at = axis < 0 ? axis + rank + 1 : axis;
  return reshape($x, [...$x.shape.slice(0, at), 1, ...$x.shape.slice(at)]);
});

/**
 * Removes dimensions of size 1: the ones named by `axis` (each must have size 1), or all of them.
 * Shares the buffer (a reshape).
 *
 * @example
 * squeeze(zeros([1, 3, 1])).shape;     // [3]
 * squeeze(zeros([1, 3, 1]), [0]).shape; // [3, 1]
 */
export const squeeze = defineOp('squeeze', (x: TensorLike, axis?: number | readonly number[]): Tensor => {
  const $x = convert(x, 'x', 'squeeze');
  const shape = $x.shape;
  let drop: number[];
  if (axis === undefined || axis === null) {
    drop = shape.flatMap((d, i) => (d === 1 ? [i] : []));
  } else {
    const list = typeof axis === 'number' ? [axis] : [...axis];
    if (list.length > 0 && $x.rank === 0) throw new OpError('squeeze', 'axis', `[${list.join(', ')}]`, 'must be empty for a scalar x');
    drop = list.map((a) => normalizeAxis('squeeze', a, $x.rank));
    for (const [k, d] of drop.entries()) {
      if (shape[d] !== 1) {
        throw new OpError('squeeze', 'axis', `axis ${list[k]} of x with shape ${fmtShape(shape)} (size ${shape[d]})`, 'must name only dimensions of size 1');
      }
    }
  }
  return reshape($x, shape.filter((_d, i) => !drop.includes(i)));
});

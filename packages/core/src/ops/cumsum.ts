import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError } from '../util/errors.js';
import { normalizeAxis } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { castTo } from './elementwise.js';

/**
 * Cumulative sum along `axis` (default 0). `exclusive` leaves each element out of its own sum
 * (so the first is 0); `reverse` sums from the end. Bools count as int32.
 *
 * @example
 * cumsum(tensor([1, 2, 3]));              // [1, 3, 6]
 * cumsum(tensor([1, 2, 3]), 0, true);     // [0, 1, 3]
 * cumsum(tensor([1, 2, 3]), 0, false, true); // [6, 5, 3]
 */
export const cumsum = defineOp('cumsum', (x: TensorLike, axis: number = 0, exclusive: boolean = false, reverse: boolean = false): Tensor => {
  const $x = convert(x, 'x', 'cumsum');
  if ($x.rank === 0) throw new OpError('cumsum', 'x', 'a scalar', 'must have at least one dimension');
  const ax = normalizeAxis('cumsum', axis, $x.rank);
  const input = castTo($x, $x.dtype === 'bool' ? 'int32' : $x.dtype);
  const out = { shape: input.shape, dtype: input.dtype };
  const ex = Boolean(exclusive);
  const rev = Boolean(reverse);
  return runKernel1('cumsum', [input], out, (e, [xi]) => e.cumsum(xi!, ax, ex, rev, out), { axis: ax, exclusive: ex, reverse: rev });
});

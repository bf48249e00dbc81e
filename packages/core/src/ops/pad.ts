import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { defineOp } from './define-op.js';

/**
 * Pads with `constantValue` (default 0): `paddings[d] = [before, after]` elements added to dim `d`.
 *
 * @example
 * pad(tensor([[1, 2]]), [[1, 0], [0, 1]]); // [[0, 0, 0], [1, 2, 0]]
 */
export const pad = defineOp('pad', (x: TensorLike, paddings: readonly (readonly [number, number])[], constantValue: number = 0): Tensor => {
  const $x = convert(x, 'x', 'pad');
  const valid = Array.isArray(paddings) && paddings.length === $x.rank &&
    paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n) && n >= 0));
  if (!valid) {
    throw new OpError('pad', 'paddings', JSON.stringify(paddings), `must be ${$x.rank} pairs [before, after] of non-negative integers, one per dimension of x (shape ${fmtShape($x.shape)})`);
  }
  if (typeof constantValue !== 'number' && typeof constantValue !== 'boolean') {
    throw new OpError('pad', 'constantValue', typeof constantValue, 'must be a number');
  }
  const pairs = paddings.map(([before, after]) => [before, after] as const);
  const out = { shape: $x.shape.map((d, i) => d + pairs[i]![0] + pairs[i]![1]), dtype: $x.dtype };
  const none = pairs.every(([before, after]) => before === 0 && after === 0);
  return runKernel1('pad', [$x], out, (e, [xi]) => (none ? xi!.dataId : e.pad(xi!, pairs, Number(constantValue), out)), { paddings: pairs });
});

import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { broadcastShapes, shapesEqual } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { reshape } from './reshape.js';

/**
 * Repeats the tensor `reps[d]` times along each dimension.
 *
 * @example
 * tile(tensor([1, 2]), [3]); // [1, 2, 1, 2, 1, 2]
 */
export const tile = defineOp('tile', (x: TensorLike, reps: readonly number[]): Tensor => {
  const $x = convert(x, 'x', 'tile');
  if (!Array.isArray(reps) || reps.length !== $x.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new OpError('tile', 'reps', JSON.stringify(reps), `must be ${$x.rank} non-negative integers, one per dimension of x (shape ${fmtShape($x.shape)})`);
  }
  const out = { shape: $x.shape.map((d, i) => d * reps[i]!), dtype: $x.dtype };
  return runKernel1('tile', [$x], out, (e, [xi]) => e.tile(xi!, reps, out), { reps: [...reps] });
});

/**
 * Broadcasts to `shape` by NumPy rules (leading dims added, size-1 dims repeated).
 *
 * @example
 * broadcastTo(tensor([1, 2]), [3, 2]);
 */
export const broadcastTo = defineOp('broadcastTo', (x: TensorLike, shape: readonly number[]): Tensor => {
  const $x = convert(x, 'x', 'broadcastTo');
  const target = broadcastShapes('broadcastTo', $x.shape, shape, ['x', 'shape']);
  if (!shapesEqual(target, shape)) {
    throw new OpError('broadcastTo', 'shape', fmtShape(shape), `must be reachable from x's shape ${fmtShape($x.shape)} by broadcasting`);
  }
  const padded = [...new Array<number>(shape.length - $x.rank).fill(1), ...$x.shape];
  const reps = shape.map((d, i) => (padded[i] === d ? 1 : d));
  const lifted = padded.length === $x.rank ? $x : reshape($x, padded);
  return reps.every((r) => r === 1) ? reshape(lifted, shape) : tile(lifted, reps);
});

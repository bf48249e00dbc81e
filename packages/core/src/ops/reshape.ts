import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { sizeOf } from '@strata/engine-api';
import { defineOp } from './define-op.js';

/**
 * Resolves a target shape with at most one `-1` against a size, naming the op on failure.
 *
 * @example
 * inferReshape('reshape', [2, -1], 6); // [2, 3]
 */
export function inferReshape(op: string, shape: readonly number[], size: number, from: readonly number[]): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new OpError(op, 'shape', JSON.stringify(shape), 'must be integers >= 0, with at most one -1');
  }
  const unknown = shape.indexOf(-1);
  if (unknown !== shape.lastIndexOf(-1)) throw new OpError(op, 'shape', fmtShape(shape), 'may hold at most one -1');
  const out = [...shape];
  if (unknown >= 0) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || size % known !== 0) {
      throw new OpError(op, 'shape', fmtShape(shape), `must divide the ${size} elements of a tensor of shape ${fmtShape(from)}`);
    }
    out[unknown] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new OpError(op, 'shape', fmtShape(shape), `must have ${size} elements like the input of shape ${fmtShape(from)} (has ${sizeOf(out)})`);
  }
  return out;
}

/**
 * Same values, new shape (one dim may be -1 and is inferred). Shares the buffer: nothing is copied.
 *
 * @example
 * reshape(range(6), [2, -1]); // shape [2, 3]
 */
export const reshape = defineOp('reshape', (x: TensorLike, shape: readonly number[]): Tensor => {
  const $x = convert(x, 'x', 'reshape');
  const out = { shape: inferReshape('reshape', shape, $x.size, $x.shape), dtype: $x.dtype };
  return runKernel1('reshape', [$x], out, (_e, [xi]) => xi!.dataId);
});

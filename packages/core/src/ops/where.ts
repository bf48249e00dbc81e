import type { DType } from '@strata/engine-api';
import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import { Tensor } from '../tensor.js';
import { OpError } from '../util/errors.js';
import { broadcastShapes } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { castTo, upcast } from './elementwise.js';

/**
 * Picks `a` where `condition` is true and `b` elsewhere; all three broadcast together.
 *
 * @example
 * where(tensor([true, false]), tensor([1, 2]), tensor([9, 9])); // [1, 9]
 */
export const where = defineOp('where', (condition: TensorLike, a: TensorLike, b: TensorLike): Tensor => {
  const $c = convert(condition, 'condition', 'where');
  const hint = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : undefined;
  const $a = convert(a, 'a', 'where', hint);
  const $b = convert(b, 'b', 'where', $a.dtype);
  if ($c.dtype !== 'bool') throw new OpError('where', 'condition', `dtype ${$c.dtype}`, 'must be a bool tensor (compare with greater/equal/... first)');
  const dtype: DType = upcast($a.dtype, $b.dtype);
  const shape = broadcastShapes('where', broadcastShapes('where', $c.shape, $a.shape, ['condition', 'a']), $b.shape, ['condition/a', 'b']);
  const out = { shape, dtype };
  return runKernel1('where', [$c, castTo($a, dtype), castTo($b, dtype)], out, (e, [ci, ai, bi]) => e.where(ci!, ai!, bi!, out));
});

/**
 * Converts to another dtype: to int32 truncates toward zero, to bool is `x != 0`. Always a new handle.
 *
 * @example
 * cast(tensor([1.7, -1.7]), 'int32'); // [1, -1]
 */
export const cast = defineOp('cast', (x: TensorLike, dtype: DType): Tensor => {
  const $x = convert(x, 'x', 'cast');
  if (!['float32', 'int32', 'bool'].includes(dtype)) throw new OpError('cast', 'dtype', JSON.stringify(dtype), 'must be float32, int32 or bool');
  if ($x.dtype === dtype) return runKernel1('identity', [$x], { shape: $x.shape, dtype }, (_e, [xi]) => xi!.dataId);
  return castTo($x, dtype);
});

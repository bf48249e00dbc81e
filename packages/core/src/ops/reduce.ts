import type { DType, ReduceOp } from '@strata/engine-api';
import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import { noRecord } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { OpError } from '../util/errors.js';
import { normalizeAxes, normalizeAxis, reducedShape } from '../util/shape.js';
import { add, sub } from './binary.js';
import { where } from './where.js';
import { defineOp } from './define-op.js';
import { castTo } from './elementwise.js';
import { exp, isFinite, log } from './unary.js';
import { reshape } from './reshape.js';
import { zerosLike } from './creation.js';

/** Dtype reductions compute in, and give: sums of bools and ints count in int32; means are float. */
function reduceDTypes(op: ReduceOp, dtype: DType): { input: DType; output: DType } {
  switch (op) {
    case 'any':
    case 'all':
      return { input: 'bool', output: 'bool' };
    case 'mean':
      return { input: 'float32', output: 'float32' };
    case 'argMax':
    case 'argMin':
      return { input: dtype === 'bool' ? 'int32' : dtype, output: 'int32' };
    case 'sum':
    case 'prod':
      return dtype === 'bool' ? { input: 'int32', output: 'int32' } : { input: dtype, output: dtype };
    default:
      return { input: dtype === 'bool' ? 'int32' : dtype, output: dtype === 'bool' ? 'int32' : dtype };
  }
}

/**
 * Runs a reduce kernel over `axis` (all axes when omitted), keeping reduced dims as 1 when asked.
 *
 * @example
 * reduceOp('sum', x, [0], false);
 */
export function reduceOp(op: ReduceOp, x: Tensor, axis: number | readonly number[] | undefined | null, keepDims: boolean): Tensor {
  const axes = normalizeAxes(op, axis, x.rank);
  const { input, output } = reduceDTypes(op, x.dtype);
  const $x = castTo(x, input);
  const out = { shape: reducedShape(x.shape, axes, keepDims), dtype: output };
  return runKernel1(op, [$x], out, (e, [xi]) => e.reduce(op, xi!, axes, out), { axes, keepDims });
}

type AxisArg = number | readonly number[] | null;

/**
 * Sum over `axis` (all axes by default).
 *
 * @example
 * sum(tensor([[1, 2], [3, 4]]), 1); // [3, 7]
 */
export const sum = defineOp('sum', (x: TensorLike, axis: AxisArg = null, keepDims: boolean = false): Tensor => reduceOp('sum', convert(x, 'x', 'sum'), axis, keepDims));

/**
 * Mean over `axis` (all axes by default); the mean of zero elements is NaN.
 *
 * @example
 * mean(tensor([1, 2, 3, 4])); // 2.5
 */
export const mean = defineOp('mean', (x: TensorLike, axis: AxisArg = null, keepDims: boolean = false): Tensor => reduceOp('mean', convert(x, 'x', 'mean'), axis, keepDims));

/**
 * Product over `axis`.
 *
 * @example
 * prod(tensor([1, 2, 3])); // 6
 */
export const prod = defineOp('prod', (x: TensorLike, axis: AxisArg = null, keepDims: boolean = false): Tensor => reduceOp('prod', convert(x, 'x', 'prod'), axis, keepDims));

/**
 * Maximum over `axis` (NaN wins).
 *
 * @example
 * max(tensor([[1, 5], [3, 2]]), 0); // [3, 5]
 */
export const max = defineOp('max', (x: TensorLike, axis: AxisArg = null, keepDims: boolean = false): Tensor => reduceOp('max', convert(x, 'x', 'max'), axis, keepDims));

/**
 * Minimum over `axis` (NaN wins).
 *
 * @example
 * min(tensor([[1, 5], [3, 2]]), 1); // [1, 2]
 */
export const min = defineOp('min', (x: TensorLike, axis: AxisArg = null, keepDims: boolean = false): Tensor => reduceOp('min', convert(x, 'x', 'min'), axis, keepDims));

/**
 * True if any element over `axis` is true.
 *
 * @example
 * any(tensor([false, true])); // true
 */
export const any = defineOp('any', (x: TensorLike, axis: AxisArg = null, keepDims: boolean = false): Tensor => reduceOp('any', convert(x, 'x', 'any'), axis, keepDims));

/**
 * True if every element over `axis` is true.
 *
 * @example
 * all(tensor([true, false])); // false
 */
export const all = defineOp('all', (x: TensorLike, axis: AxisArg = null, keepDims: boolean = false): Tensor => reduceOp('all', convert(x, 'x', 'all'), axis, keepDims));

function argReduce(op: 'argMax' | 'argMin', x: TensorLike, axis: number): Tensor {
  const $x = convert(x, 'x', op);
  if ($x.rank === 0) throw new OpError(op, 'x', 'a scalar', 'must have at least one dimension');
  const ax = normalizeAxis(op, axis, $x.rank);
  if ($x.shape[ax] === 0) throw new OpError(op, 'x', `shape with dimension ${ax} of size 0`, 'must be non-empty along the reduced axis');
  return reduceOp(op, $x, [ax], false);
}

/**
 * Index of the largest element along `axis` (default 0), first one on ties; int32.
 *
 * @example
 * argMax(tensor([[1, 9], [8, 2]]), 1); // [1, 0]
 */
export const argMax = defineOp('argMax', (x: TensorLike, axis: number = 0): Tensor => argReduce('argMax', x, axis));

/**
 * Index of the smallest element along `axis` (default 0), first one on ties; int32.
 *
 * @example
 * argMin(tensor([3, 1, 2])); // 1
 */
export const argMin = defineOp('argMin', (x: TensorLike, axis: number = 0): Tensor => argReduce('argMin', x, axis));

/**
 * `log(sum(exp(x)))` over `axis`, computed stably by subtracting the maximum first.
 *
 * @example
 * logSumExp(tensor([0, 0])); // log(2)
 */
export const logSumExp = defineOp('logSumExp', (x: TensorLike, axis: AxisArg = null, keepDims: boolean = false): Tensor => {
  const $x = castTo(convert(x, 'x', 'logSumExp'), 'float32');
  const axes = normalizeAxes('logSumExp', axis, $x.rank);
  // The shift cancels out of the value and the gradient, so it is computed off the tape; infinite
  // maxima (all -Infinity rows) shift by 0 instead, to give -Infinity rather than NaN.
  const shift = noRecord(() => {
    const m = reduceOp('max', $x, axes, true);
    return where(isFinite(m), m, zerosLike(m));
  });
  const summed = reduceOp('sum', exp(sub($x, shift)), axes, true);
  const result = add(log(summed), shift);
  return keepDims ? result : reshape(result, reducedShape($x.shape, axes, false));
});

import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { normalizeAxes, reducedShape } from '../util/shape.js';
import { sub } from './binary.js';
import { defineOp } from './define-op.js';
import { castTo } from './elementwise.js';
import { mean } from './reduce.js';
import { reshape } from './reshape.js';
import { square } from './unary.js';

type AxisArg = number | readonly number[] | null;

// Composed of differentiable ops, so its gradient comes from theirs.
const momentsPair = defineOp('moments', (x: TensorLike, axes: AxisArg, keepDims: boolean): Tensor[] => {
  const $x = castTo(convert(x, 'x', 'moments'), 'float32');
  const ax = normalizeAxes('moments', axes, $x.rank);
  const m = mean($x, ax, true);
  const variance = mean(square(sub($x, m)), ax, keepDims);
  return [keepDims ? m : reshape(m, reducedShape($x.shape, ax, false)), variance];
});

/**
 * Mean and population variance (divided by the count, not count - 1) over `axes` (all by default),
 * computed in float32 as `mean((x - mean)^2)`. Over zero elements both are NaN.
 *
 * @example
 * const { mean: m, variance: v } = moments(tensor([[1, 2], [3, 6]]), 1); // m = [1.5, 4.5], v = [0.25, 2.25]
 */
export function moments(x: TensorLike, axes: AxisArg = null, keepDims: boolean = false): { mean: Tensor; variance: Tensor } {
  const [m, variance] = momentsPair(x, axes, keepDims);
  return { mean: m!, variance: variance! };
}

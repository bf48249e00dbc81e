import { convert, type TensorLike } from '../convert.js';
import { runKernel } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { normalizeAxis } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { reshape } from './reshape.js';

function resolveSizes(numOrSizeSplits: number | readonly number[], dim: number, axis: number, shape: readonly number[]): number[] {
  if (typeof numOrSizeSplits === 'number') {
    const n = numOrSizeSplits;
    if (!Number.isInteger(n) || n < 1 || dim % n !== 0) {
      throw new OpError('split', 'numOrSizeSplits', String(n), `must be a positive integer that divides the size ${dim} of axis ${axis} (x has shape ${fmtShape(shape)})`);
    }
    return new Array<number>(n).fill(dim / n);
  }
  const sizes = Array.isArray(numOrSizeSplits) ? [...numOrSizeSplits] : null;
  if (!sizes || sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < -1) || sizes.filter((s) => s === -1).length > 1) {
    throw new OpError('split', 'numOrSizeSplits', JSON.stringify(numOrSizeSplits), 'must be a number of parts, or a non-empty list of sizes >= 0 with at most one -1');
  }
  const known = sizes.reduce((n, s) => (s === -1 ? n : n + s), 0);
  const free = sizes.indexOf(-1);
  if (free >= 0 && known <= dim) sizes[free] = dim - known;
  else if (known !== dim) {
    throw new OpError('split', 'numOrSizeSplits', `[${numOrSizeSplits.join(', ')}]`,
      `must ${free >= 0 ? 'not exceed' : 'add up to'} the size ${dim} of axis ${axis} (x has shape ${fmtShape(shape)}; the sizes add up to ${known})`);
  }
  return sizes;
}

function splitAxis(op: string, x: Tensor, axis: number): number {
  if (x.rank === 0) throw new OpError(op, 'x', 'a scalar', 'must have at least one dimension');
  return normalizeAxis(op, axis, x.rank);
}

/**
 * Splits `x` along `axis` (default 0) into `n` equal parts (`n` must divide the dim), or into parts
 * of the listed sizes, one of which may be -1 to take what is left.
 *
 * @example
 * split(tensor([1, 2, 3, 4]), 2);        // [[1, 2], [3, 4]]
 * split(tensor([1, 2, 3, 4]), [1, -1]);  // [[1], [2, 3, 4]]
 */
export const split = defineOp('split', (x: TensorLike, numOrSizeSplits: number | readonly number[], axis: number = 0): Tensor[] => {
  const $x = convert(x, 'x', 'split');
  const ax = splitAxis('split', $x, axis);
  const sizes = resolveSizes(numOrSizeSplits, $x.shape[ax]!, ax, $x.shape);
  const outputs = sizes.map((n) => ({ shape: $x.shape.map((d, i) => (i === ax ? n : d)), dtype: $x.dtype }));
  const strides = new Array<number>($x.rank).fill(1);
  return runKernel('split', [$x], outputs, (e, [xi]) => {
    if (sizes.length === 1) return [xi!.dataId];
    let offset = 0;
    return outputs.map((out) => {
      const begin = $x.shape.map((_d, i) => (i === ax ? offset : 0));
      offset += out.shape[ax]!;
      return e.stridedSlice(xi!, begin, strides, out);
    });
  }, { axis: ax, sizes });
});

/**
 * Splits `x` along `axis` (default 0) into its slices, each without that dim.
 *
 * @example
 * unstack(tensor([[1, 2], [3, 4]]));    // [[1, 2], [3, 4]] as two tensors of shape [2]
 * unstack(tensor([[1, 2], [3, 4]]), 1); // [1, 3] and [2, 4]
 */
export const unstack = defineOp('unstack', (x: TensorLike, axis: number = 0): Tensor[] => {
  const $x = convert(x, 'x', 'unstack');
  const ax = splitAxis('unstack', $x, axis);
  const n = $x.shape[ax]!;
  if (n === 0) return [];
  const shape = $x.shape.filter((_d, i) => i !== ax);
  return split($x, n, ax).map((part) => reshape(part, shape));
});

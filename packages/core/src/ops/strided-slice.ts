import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { stridedSliceKernel } from './layout-kernels.js';
import { reshape } from './reshape.js';

/** What a strided slice reads (per input dim) and the shape it finally gives. */
interface ResolvedSlice {
  begin: number[];
  strides: number[];
  /** Elements read per input dim: the kernel's output shape. */
  counts: number[];
  /** After new axes are inserted and shrunk axes dropped. */
  shape: number[];
}

const bit = (mask: number, i: number): boolean => i < 32 && ((mask >>> i) & 1) === 1;

function checkIntegers(name: string, values: readonly number[] | undefined, length: number): void {
  if (!Array.isArray(values) || values.length !== length || values.some((v) => !Number.isInteger(v))) {
    throw new OpError('stridedSlice', name, JSON.stringify(values), `must be ${length} integers, as many as 'begin' has`);
  }
}

/**
 * Python slicing of one dim of size `dim`: clamps out-of-range bounds, counts negatives from the
 * end, and for negative strides starts at the top. Returns the first index read and the count.
 */
function sliceDim(dim: number, begin: number, end: number, stride: number, beginMasked: boolean, endMasked: boolean): { first: number; count: number } {
  const wrap = (v: number): number => (v < 0 ? v + dim : v);
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  let start: number;
  let count: number;
  if (stride > 0) {
    start = beginMasked ? 0 : clamp(wrap(begin), 0, dim);
    const stop = endMasked ? dim : clamp(wrap(end), 0, dim);
    count = Math.max(0, Math.ceil((stop - start) / stride));
  } else {
    // -1 stands for "before index 0", so a descending slice can include element 0.
    start = beginMasked ? dim - 1 : clamp(wrap(begin), -1, dim - 1);
    const stop = endMasked ? -1 : clamp(wrap(end), -1, dim - 1);
    count = Math.max(0, Math.ceil((start - stop) / -stride));
  }
  return { first: count > 0 ? start : 0, count };
}

function resolve(
  shape: readonly number[], begin: readonly number[], end: readonly number[], strides: readonly number[],
  beginMask: number, endMask: number, ellipsisMask: number, newAxisMask: number, shrinkAxisMask: number,
): ResolvedSlice {
  const m = begin.length;
  const rank = shape.length;
  const ellipses = Array.from({ length: m }, (_, i) => i).filter((i) => bit(ellipsisMask, i));
  if (ellipses.length > 1) {
    throw new OpError('stridedSlice', 'ellipsisMask', String(ellipsisMask), `must set at most one bit (bits ${ellipses.join(', ')} are set)`);
  }
  const isNewAxis = (i: number): boolean => !bit(ellipsisMask, i) && bit(newAxisMask, i);
  const consuming = Array.from({ length: m }, (_, i) => i).filter((i) => !bit(ellipsisMask, i) && !isNewAxis(i)).length;
  if (consuming > rank) {
    throw new OpError('stridedSlice', 'begin', `${consuming} entries that index dimensions`, `must index at most the ${rank} dimensions of x (shape ${fmtShape(shape)})`);
  }
  const out: ResolvedSlice = { begin: [], strides: [], counts: [], shape: [] };
  let d = 0;
  const whole = (): void => {
    out.begin.push(0);
    out.strides.push(1);
    out.counts.push(shape[d]!);
    out.shape.push(shape[d]!);
    d++;
  };
  for (let i = 0; i < m; i++) {
    if (bit(ellipsisMask, i)) {
      for (let k = rank - consuming; k > 0; k--) whole();
      continue;
    }
    if (isNewAxis(i)) {
      out.shape.push(1);
      continue;
    }
    const dim = shape[d]!;
    if (bit(shrinkAxisMask, i)) {
      const index = begin[i]! < 0 ? begin[i]! + dim : begin[i]!;
      if (index < 0 || index >= dim) {
        throw new OpError('stridedSlice', 'begin', `${begin[i]} at entry ${i}`, `must index inside dimension ${d} (size ${dim}) of x with shape ${fmtShape(shape)}, since shrinkAxisMask bit ${i} takes a single element there`);
      }
      out.begin.push(index);
      out.strides.push(1);
      out.counts.push(1);
      d++;
      continue;
    }
    if (strides[i] === 0) throw new OpError('stridedSlice', 'strides', `[${strides.join(', ')}]`, `must be non-zero (entry ${i} is 0)`);
    const { first, count } = sliceDim(dim, begin[i]!, end[i]!, strides[i]!, bit(beginMask, i), bit(endMask, i));
    out.begin.push(first);
    out.strides.push(strides[i]!);
    out.counts.push(count);
    out.shape.push(count);
    d++;
  }
  while (d < rank) whole();
  return out;
}

/**
 * NumPy/TensorFlow strided slicing: `x[begin:end:strides]` per dim. Negative indices count from
 * the end, out-of-range bounds are clamped as in Python, and negative strides walk backwards.
 * Bit `i` of a mask applies to entry `i` of `begin`/`end`/`strides`:
 * - `beginMask` / `endMask`: ignore that bound (slice from the start / to the end, in stride direction);
 * - `ellipsisMask`: this entry stands for all the dims not otherwise named (`...`); at most one bit;
 * - `newAxisMask`: insert a dim of size 1 here (`np.newaxis`); consumes no dim of `x`;
 * - `shrinkAxisMask`: take the single element at `begin` and drop the dim (`x[i]`).
 * Dims after the last entry are taken whole.
 *
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * stridedSlice(x, [0, 2], [2, 0], [1, -1]);          // x[0:2, 2:0:-1] = [[3, 2], [6, 5]]
 * stridedSlice(x, [1], [2], [1], 0, 0, 0, 0, 1);      // x[1] = [4, 5, 6]
 * stridedSlice(x, [0, 0], [0, 0], [1, 1], 0, 0, 1, 2); // x[..., newaxis], shape [2, 3, 1]
 */
export const stridedSlice = defineOp('stridedSlice', (
  x: TensorLike, begin: readonly number[], end: readonly number[], strides?: readonly number[],
  beginMask: number = 0, endMask: number = 0, ellipsisMask: number = 0, newAxisMask: number = 0, shrinkAxisMask: number = 0,
): Tensor => {
  const $x = convert(x, 'x', 'stridedSlice');
  if (!Array.isArray(begin) || begin.some((v) => !Number.isInteger(v))) {
    throw new OpError('stridedSlice', 'begin', JSON.stringify(begin), 'must be an array of integers');
  }
  checkIntegers('end', end, begin.length);
  const $strides = strides ?? new Array<number>(begin.length).fill(1);
  checkIntegers('strides', $strides, begin.length);
  const masks = { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask };
  for (const [name, value] of Object.entries(masks)) {
    if (!Number.isInteger(value) || value < 0) throw new OpError('stridedSlice', name, String(value), 'must be a non-negative integer bit mask');
  }
  const r = resolve($x.shape, begin, end, $strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask);
  const read = stridedSliceKernel('stridedSlice', $x, r.begin, r.strides, r.counts);
  return shapesEqual(r.counts, r.shape) ? read : reshape(read, r.shape);
});

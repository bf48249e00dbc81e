import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor.js';
import { shapesEqual } from '../util/shape.js';

/**
 * Sums a broadcast gradient back down to the shape of the input it flowed from.
 *
 * @example
 * sumToShape(dy, [1, 3]); // dy of shape [4, 3] summed over dim 0, kept as 1
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const reduced = axes.length ? sum(g, axes, true) : g;
  return reshape(reduced, shape);
}

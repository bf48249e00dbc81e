import { concat } from '../ops/concat-stack.js';
import { zeros } from '../ops/creation.js';
import { pad } from '../ops/pad.js';
import { reshape } from '../ops/reshape.js';
import { reverse } from '../ops/reverse.js';
import { slice } from '../ops/slice.js';
import { split } from '../ops/split.js';
import { transpose } from '../ops/transpose.js';
import { registerGradient } from '../tape.js';
import type { Tensor } from '../tensor.js';

// Gradients of the layout ops: each moves `dy` back to where the op read its elements from, and
// fills the positions it never read with zeros.

registerGradient('transpose', ([dy], { attrs }) => {
  const perm: number[] = attrs.perm;
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, j) => (inverse[p] = j));
  return [transpose(dy!, inverse)];
});

registerGradient('slice', ([dy], { inputs: [x], attrs }) => {
  const begin: number[] = attrs.begin;
  return [pad(dy!, x!.shape.map((d, i) => [begin[i]!, d - begin[i]! - dy!.shape[i]!] as [number, number]))];
});

registerGradient('reverse', ([dy], { attrs }) => [reverse(dy!, attrs.axes)]);

registerGradient('pad', ([dy], { inputs: [x], attrs }) => {
  const paddings: [number, number][] = attrs.paddings;
  return [slice(dy!, paddings.map(([before]) => before), x!.shape)];
});

registerGradient('concat', ([dy], { inputs, attrs }) => {
  const axis: number = attrs.axis;
  return split(dy!, inputs.map((t) => t.shape[axis]!), axis);
});

registerGradient('split', (dys, { attrs }) => [concat(dys, attrs.axis)]);

/**
 * Scatters the gradient of a strided read back to the input's shape: undoes negative strides by
 * reversing, spreads strides above 1 by interleaving zeros, then pads to the input's extent.
 */
function unstride(dy: Tensor, xShape: readonly number[], begin: readonly number[], strides: readonly number[]): Tensor {
  if (dy.size === 0) return zeros(xShape);
  const counts = dy.shape;
  // A descending read of n elements from `begin` covers the ascending range from its last element.
  const low = begin.map((b, d) => (strides[d]! < 0 ? b + (counts[d]! - 1) * strides[d]! : b));
  const backwards = strides.flatMap((s, d) => (s < 0 ? [d] : []));
  let g = backwards.length > 0 ? reverse(dy, backwards) : dy;
  strides.forEach((s, d) => {
    const step = Math.abs(s);
    if (step === 1) return;
    // [.., n, ..] -> [.., n, 1, ..] -> pad to [.., n, step, ..] -> [.., n * step, ..]
    const shape = g.shape;
    const lifted = reshape(g, [...shape.slice(0, d + 1), 1, ...shape.slice(d + 1)]);
    const spread = pad(lifted, lifted.shape.map((_n, k) => [0, k === d + 1 ? step - 1 : 0] as [number, number]));
    g = reshape(spread, [...shape.slice(0, d), shape[d]! * step, ...shape.slice(d + 1)]);
  });
  // The zeros after the last element read may run past the input's end.
  const kept = g.shape.map((n, d) => Math.min(n, xShape[d]! - low[d]!));
  if (kept.some((n, d) => n !== g.shape[d])) g = slice(g, new Array<number>(kept.length).fill(0), kept);
  return pad(g, xShape.map((n, d) => [low[d]!, n - low[d]! - kept[d]!] as [number, number]));
}

registerGradient('stridedSlice', ([dy], { inputs: [x], attrs }) => [unstride(dy!, x!.shape, attrs.begin, attrs.strides)]);

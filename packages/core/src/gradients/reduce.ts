import { div, equal, mul } from '../ops/binary.js';
import { castTo } from '../ops/elementwise.js';
import { reshape } from '../ops/reshape.js';
import { sum } from '../ops/reduce.js';
import { broadcastTo } from '../ops/tile.js';
import { registerGradient } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { reducedShape } from '../util/shape.js';

// Gradients of reductions: the incoming gradient is reshaped to keep the reduced dims as 1, then
// broadcast back over them.

function expandBack(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return broadcastTo(reshape(dy, reducedShape(x.shape, axes, true)), x.shape);
}

registerGradient('sum', ([dy], { inputs: [x], attrs }) => [expandBack(dy!, x!, attrs.axes)]);

registerGradient('mean', ([dy], { inputs: [x], attrs }) => {
  const count = attrs.axes.reduce((n: number, a: number) => n * x!.shape[a]!, 1);
  return [div(expandBack(dy!, x!, attrs.axes), count)];
});

registerGradient('prod', ([dy], { inputs: [x], outputs: [y], attrs }) => {
  // d prod / d x_i = prod / x_i; exact where no element is zero (as TF.js's gradient).
  const yb = expandBack(y!, x!, attrs.axes);
  return [mul(expandBack(dy!, x!, attrs.axes), div(yb, x!))];
});

/** max/min: the gradient goes to every element equal to the result, shared among ties. */
function extremumGradient([dy]: readonly Tensor[], { inputs: [x], outputs: [y], attrs }: { inputs: readonly Tensor[]; outputs: readonly Tensor[]; attrs: Record<string, any> }): Tensor[] {
  const hit = castTo(equal(x!, expandBack(y!, x!, attrs.axes)), 'float32');
  const ties = expandBack(sum(hit, attrs.axes), x!, attrs.axes);
  return [mul(expandBack(dy!, x!, attrs.axes), div(hit, ties))];
}
registerGradient('max', extremumGradient);
registerGradient('min', extremumGradient);

for (const op of ['any', 'all', 'argMax', 'argMin']) registerGradient(op, () => [null]);

registerGradient('reshape', ([dy], { inputs: [x] }) => [reshape(dy!, x!.shape)]);

registerGradient('tile', ([dy], { inputs: [x], attrs }) => {
  // Split each dim d into (reps, d) and sum the reps axes.
  const split: number[] = [];
  x!.shape.forEach((d, i) => split.push(attrs.reps[i], d));
  const repAxes = x!.shape.map((_d, i) => 2 * i);
  return [reshape(sum(reshape(dy!, split), repAxes), x!.shape)];
});

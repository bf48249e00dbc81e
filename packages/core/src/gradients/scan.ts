import { add, mul } from '../ops/binary.js';
import { range, zeros } from '../ops/creation.js';
import { cumsum } from '../ops/cumsum.js';
import { scatterAddKernel } from '../ops/layout-kernels.js';
import { reshape } from '../ops/reshape.js';
import { registerGradient } from '../tape.js';

// Each element of x feeds the sums after it (before it, when reversed): the gradient is the
// cumulative sum of dy taken the other way.
registerGradient('cumsum', ([dy], { attrs }) => [cumsum(dy!, attrs.axis, attrs.exclusive, !attrs.reverse)]);

// The chosen entries receive their values' gradient; the rest get zero. Rows are flattened so one
// scatter along axis 0 places every row's entries.
registerGradient('topK', ([dValues], { inputs: [x], outputs: [, indices] }) => {
  const n = x!.shape[x!.rank - 1]!;
  const k = indices!.shape[indices!.rank - 1]!;
  if (x!.size === 0 || k === 0) return [zeros(x!.shape)];
  const rows = x!.size / n;
  const rowStart = reshape(mul(range(0, rows, 1, 'int32'), n), [rows, 1]);
  const flat = reshape(add(reshape(indices!, [rows, k]), rowStart), [rows * k]);
  const g = scatterAddKernel(reshape(dValues!, [rows * k]), flat, 0, [rows * n]);
  return [reshape(g, x!.shape)];
});

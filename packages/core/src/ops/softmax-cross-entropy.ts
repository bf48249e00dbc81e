import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import { runtime } from '../runtime.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import { mul } from './binary.js';
import { defineOp } from './define-op.js';
import { castTo } from './elementwise.js';
import { reduceOp } from './reduce.js';
import { logSoftmax } from './softmax.js';
import { neg } from './unary.js';

const OP = 'softmaxCrossEntropy';

function checkedFloat(x: TensorLike, argument: 'logits' | 'labels'): Tensor {
  const $x = convert(x, argument, OP);
  if ($x.dtype === 'bool') throw new OpError(OP, argument, 'dtype bool', 'must be numeric (float32, or int32 which is computed in float32); cast it first');
  return castTo($x, 'float32');
}

/**
 * Softmax cross-entropy along the last axis: `-sum(labels * logSoftmax(logits), -1)`, computed
 * stably (the row maximum is subtracted before `exp`). `logits` and `labels` have one shape
 * `[..., C]`; labels are probabilities or one-hot rows (for class indices, `oneHot` them first).
 * The result has shape `[...]`. Engines with the `softmaxCrossEntropy` fast path do it in one
 * kernel; others run the decomposition above. Differentiable in both arguments:
 * `d/dlogits = dy * (softmax(logits) * sum(labels) - labels)` (which is `softmax - labels` for
 * labels that sum to 1) and `d/dlabels = -dy * logSoftmax(logits)`.
 *
 * @example
 * softmaxCrossEntropy(tensor([[2, 1, 0]]), tensor([[1, 0, 0]])); // [0.408]
 * softmaxCrossEntropy(logits, oneHot(classIndices, numClasses));
 */
export const softmaxCrossEntropy = defineOp(OP, (logits: TensorLike, labels: TensorLike): Tensor => {
  const x = checkedFloat(logits, 'logits');
  const t = checkedFloat(labels, 'labels');
  if (x.rank === 0) throw new OpError(OP, 'logits', `shape ${fmtShape(x.shape)}`, 'must have at least one dimension (the classes, last)');
  if (!shapesEqual(x.shape, t.shape)) {
    throw new OpError(OP, 'labels', `shape ${fmtShape(t.shape)} for logits of shape ${fmtShape(x.shape)}`,
      'must have the shape of logits (one probability per class); for class indices use oneHot(labels, numClasses) first');
  }
  const last = x.rank - 1;
  if (!runtime.engine.softmaxCrossEntropy) return neg(reduceOp('sum', mul(t, logSoftmax(x, last)), [last], false));
  const out = { shape: x.shape.slice(0, -1), dtype: 'float32' as const };
  return runKernel1(OP, [x, t], out, (e, [xi, ti]) => e.softmaxCrossEntropy!(xi!, ti!, out));
});

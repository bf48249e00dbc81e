import { mul, sub } from '../ops/binary.js';
import { expandDims } from '../ops/expand-squeeze.js';
import { reduceOp } from '../ops/reduce.js';
import { logSoftmax } from '../ops/softmax.js';
import { exp, neg } from '../ops/unary.js';
import { registerGradient } from '../tape.js';

// The fast path's gradient (the decomposition differentiates through its primitives and gives the
// same). With `l = -sum(t * logSoftmax(x))`: dl/dx = softmax(x) * sum(t) - t, dl/dt = -logSoftmax(x).
// `sum(t)` is kept rather than assumed to be 1, so soft or masked (all-zero) label rows get their
// true gradient too. One logSoftmax serves both: softmax is its exp.

registerGradient('softmaxCrossEntropy', ([dy], { inputs: [logits, labels], needsGrad: [needLogits, needLabels] }) => {
  const last = logits!.rank - 1;
  const g = expandDims(dy!, -1);
  const logP = logSoftmax(logits!, last);
  const dLogits = needLogits ? mul(g, sub(mul(exp(logP), reduceOp('sum', labels!, [last], true)), labels!)) : null;
  return [dLogits, needLabels ? mul(neg(g), logP) : null];
});

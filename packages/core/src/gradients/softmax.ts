import { mul, sub } from '../ops/binary.js';
import { reduceOp } from '../ops/reduce.js';
import { exp } from '../ops/unary.js';
import { registerGradient } from '../tape.js';

// The engine kernels work on the last axis; their closed-form gradients use only the output y,
// so they stay finite where the logits are huge or -Infinity. (Without the kernels, softmax and
// logSoftmax are decompositions whose gradients come from the primitives.)

registerGradient('softmax', ([dy], { outputs: [y] }) => {
  const last = y!.rank - 1;
  return [mul(y!, sub(dy!, reduceOp('sum', mul(dy!, y!), [last], true)))];
});

registerGradient('logSoftmax', ([dy], { outputs: [y] }) => {
  const last = y!.rank - 1;
  return [sub(dy!, mul(exp(y!), reduceOp('sum', dy!, [last], true)))];
});

import type { MatmulActivation } from '../ops/fused-matmul.js';
import { add, greater, less, logicalAnd, mul, sub } from '../ops/binary.js';
import { castTo } from '../ops/elementwise.js';
import { square } from '../ops/unary.js';
import { where } from '../ops/where.js';
import { onesLike } from '../ops/creation.js';
import { registerGradient } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { matmulGradients } from './matmul.js';
import { sumToShape } from './helpers.js';

// fusedMatmul's activations are those whose derivative is a function of the output y, so the
// gradient needs no saved pre-activation: each rule below gives what the unary op's own gradient
// gives from its input (relu: y > 0 exactly where x > 0; elu: y + 1 = exp(x) below 0).
const fromOutput: Record<MatmulActivation, (dy: Tensor, y: Tensor) => Tensor> = {
  linear: (dy) => dy,
  relu: (dy, y) => mul(dy, castTo(greater(y, 0), 'float32')),
  relu6: (dy, y) => mul(dy, castTo(logicalAnd(greater(y, 0), less(y, 6)), 'float32')),
  sigmoid: (dy, y) => mul(dy, mul(y, sub(1, y))),
  tanh: (dy, y) => mul(dy, sub(1, square(y))),
  elu: (dy, y) => mul(dy, where(greater(y, 0), onesLike(y), add(y, 1))),
};

registerGradient('fusedMatmul', ([dy], { inputs: [a, b, bias], outputs: [y], attrs, needsGrad }) => {
  const dz = fromOutput[attrs.activation as MatmulActivation](dy!, y!);
  const [da, db] = matmulGradients(dz, a!, b!, attrs.transposeA, attrs.transposeB, needsGrad[0]!, needsGrad[1]!);
  return [da, db, bias && needsGrad[2] ? sumToShape(dz, bias.shape) : null];
});

import { add, div, greater, greaterEqual, lessEqual, mul, sub, pow, floorDiv } from '../ops/binary.js';
import { castTo } from '../ops/elementwise.js';
import { log, neg, square } from '../ops/unary.js';
import { where } from '../ops/where.js';
import { zerosLike } from '../ops/creation.js';
import { registerGradient } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { sumToShape } from './helpers.js';

// Gradients of the broadcasting binary ops: each computes full-shape gradients, then sums them
// back to each operand's shape. `need` says which operands want one (the cheap rules and the rare
// ops compute both and drop the other; mul and div skip the product nobody reads).

type BinaryGrad = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor, need: readonly boolean[]) => [Tensor | null, Tensor | null];

const binaryGradients: Record<string, BinaryGrad> = {
  add: (dy) => [dy, dy],
  sub: (dy) => [dy, neg(dy)],
  mul: (dy, a, b, _y, [needA, needB]) => [needA ? mul(dy, b) : null, needB ? mul(dy, a) : null],
  div: (dy, a, b, _y, [needA, needB]) => [needA ? div(dy, b) : null, needB ? neg(div(mul(dy, a), square(b))) : null],
  pow: (dy, a, b, y) => {
    // d/da = b a^(b-1); d/db = y log(a), defined as 0 where a <= 0 (as TensorFlow does).
    const da = mul(dy, mul(b, pow(a, sub(b, 1))));
    const safeLog = where(greater(a, 0), log(a), zerosLike(a));
    return [da, mul(dy, mul(y, safeLog))];
  },
  maximum: (dy, a, b) => {
    const pickA = castTo(greaterEqual(a, b), 'float32');
    return [mul(dy, pickA), mul(dy, sub(1, pickA))];
  },
  minimum: (dy, a, b) => {
    const pickA = castTo(lessEqual(a, b), 'float32');
    return [mul(dy, pickA), mul(dy, sub(1, pickA))];
  },
  squaredDifference: (dy, a, b) => {
    const d = mul(mul(dy, sub(a, b)), 2);
    return [d, neg(d)];
  },
  atan2: (dy, a, b) => {
    const denom = add(square(a), square(b));
    return [mul(dy, div(b, denom)), mul(dy, div(neg(a), denom))];
  },
  mod: (dy, a, b) => [dy, mul(dy, neg(floorDiv(a, b)))],
  floorDiv: () => [null, null],
  equal: () => [null, null],
  notEqual: () => [null, null],
  less: () => [null, null],
  lessEqual: () => [null, null],
  greater: () => [null, null],
  greaterEqual: () => [null, null],
  logicalAnd: () => [null, null],
  logicalOr: () => [null, null],
  logicalXor: () => [null, null],
};

for (const [op, g] of Object.entries(binaryGradients)) {
  registerGradient(op, ([dy], { inputs: [a, b], outputs: [y], needsGrad }) => {
    const [da, db] = g(dy!, a!, b!, y!, needsGrad);
    return [da && needsGrad[0] ? sumToShape(da, a!.shape) : null, db && needsGrad[1] ? sumToShape(db, b!.shape) : null];
  });
}

registerGradient('where', ([dy], { inputs: [cond, a, b] }) => {
  const zeros = zerosLike(dy!);
  return [null, sumToShape(where(cond!, dy!, zeros), a!.shape), sumToShape(where(cond!, zeros, dy!), b!.shape)];
});


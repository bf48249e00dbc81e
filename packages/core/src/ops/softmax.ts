import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import { runtime } from '../runtime.js';
import { noRecord } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { normalizeAxis } from '../util/shape.js';
import { div, sub } from './binary.js';
import { defineOp } from './define-op.js';
import { castTo } from './elementwise.js';
import { reduceOp } from './reduce.js';
import { transpose } from './transpose.js';
import { exp, log } from './unary.js';

type Kind = 'softmax' | 'logSoftmax';

function checkedInput(op: Kind, x: TensorLike, axis: number): { x: Tensor; axis: number } {
  const $x = convert(x, 'logits', op);
  if ($x.dtype === 'bool') throw new OpError(op, 'logits', 'dtype bool', 'must be numeric (float32 or int32); cast it first');
  if ($x.rank === 0) throw new OpError(op, 'logits', `shape ${fmtShape($x.shape)}`, 'must have at least one dimension');
  const ax = normalizeAxis(op, axis, $x.rank);
  return { x: castTo($x, 'float32'), axis: ax };
}

/**
 * The stable decomposition on any axis. The shift (the maximum) cancels out of the value and the
 * gradient, so it is taken off the tape; the rest differentiates through core's primitives.
 */
function decomposed(op: Kind, x: Tensor, axis: number): Tensor {
  const shift = noRecord(() => reduceOp('max', x, [axis], true));
  const shifted = sub(x, shift);
  const e = exp(shifted);
  const total = reduceOp('sum', e, [axis], true);
  return op === 'softmax' ? div(e, total) : sub(shifted, log(total));
}

/** The engine's last-axis kernel, with the axis moved last and back when it is another one. */
function fast(op: Kind, x: Tensor, axis: number): Tensor {
  const last = x.rank - 1;
  const perm = x.shape.map((_d, i) => (i === axis ? last : i === last ? axis : i));
  const moved = axis === last ? x : transpose(x, perm);
  const out = { shape: moved.shape, dtype: 'float32' as const };
  const y = runKernel1(op, [moved], out, (e, [xi]) => (op === 'softmax' ? e.softmax!(xi!, out) : e.logSoftmax!(xi!, out)));
  return axis === last ? y : transpose(y, perm);
}

function run(op: Kind, logits: TensorLike, axis: number): Tensor {
  const { x, axis: ax } = checkedInput(op, logits, axis);
  const engine = runtime.engine;
  return (op === 'softmax' ? engine.softmax : engine.logSoftmax) ? fast(op, x, ax) : decomposed(op, x, ax);
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (default the last), computed stably (the maximum is
 * subtracted first, so large logits cannot overflow). int32 input gives float32.
 *
 * @example
 * softmax(tensor([[1, 2, 3]]));   // [[0.090, 0.245, 0.665]]
 * softmax(tensor([[1, 2], [3, 4]]), 0);
 */
export const softmax = defineOp('softmax', (logits: TensorLike, axis: number = -1): Tensor => run('softmax', logits, axis));

/**
 * `x - log(sum(exp(x)))` along `axis` (default the last), computed stably.
 *
 * @example
 * logSoftmax(tensor([0, 0])); // [-0.693, -0.693]
 */
export const logSoftmax = defineOp('logSoftmax', (logits: TensorLike, axis: number = -1): Tensor => run('logSoftmax', logits, axis));

import type { BinaryOp, DType, UnaryAttrs, UnaryOp } from '@strata/engine-api';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError } from '../util/errors.js';
import { broadcastShapes } from '../util/shape.js';

/** Unary ops that keep an int32 input int32 (the rest compute in float32). */
const INT_PRESERVING: ReadonlySet<UnaryOp> = new Set(['neg', 'abs', 'square', 'sign', 'relu', 'relu6', 'floor', 'ceil', 'round', 'clip']);
const BOOL_OUTPUT: ReadonlySet<UnaryOp> = new Set(['isNaN', 'isInf', 'isFinite', 'logicalNot']);
const COMPARISONS: ReadonlySet<BinaryOp> = new Set(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual']);
const LOGICAL: ReadonlySet<BinaryOp> = new Set(['logicalAnd', 'logicalOr', 'logicalXor']);
/** Binary ops that only make sense on floats (int inputs are promoted). */
const FLOAT_ONLY: ReadonlySet<BinaryOp> = new Set(['atan2']);

/**
 * Runs a unary kernel with core's dtype rules: bool inputs are refused except by logical and test
 * ops; int32 stays int32 for sign-preserving integer ops and is promoted to float32 otherwise.
 *
 * @example
 * unaryOp('exp', x);
 */
export function unaryOp(op: UnaryOp, x: Tensor, attrs?: UnaryAttrs): Tensor {
  let input = x;
  if (op === 'logicalNot') {
    if (x.dtype !== 'bool') input = castTo(x, 'bool');
  } else if (x.dtype === 'bool' && !BOOL_OUTPUT.has(op)) {
    throw new OpError(op, 'x', 'dtype bool', 'must be numeric (float32 or int32); cast it first');
  } else if (x.dtype === 'int32' && !INT_PRESERVING.has(op) && !BOOL_OUTPUT.has(op)) {
    input = castTo(x, 'float32');
  }
  const dtype: DType = BOOL_OUTPUT.has(op) ? 'bool' : input.dtype;
  const out = { shape: x.shape, dtype };
  const attrsRecord: Record<string, unknown> = { ...(attrs ?? {}) };
  return runKernel1(op, [input], out, (e, [xi]) => e.unary(op, xi!, out, attrs), attrsRecord);
}

/** The dtype two operands are promoted to: bool < int32 < float32. */
export function upcast(a: DType, b: DType): DType {
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}

/**
 * Runs a binary kernel with NumPy broadcasting and core's dtype rules: operands are promoted to a
 * common dtype (bool < int32 < float32; arithmetic on two bools computes in int32), comparisons
 * output bool, logical ops take and give bool.
 *
 * @example
 * binaryOp('add', a, b);
 */
export function binaryOp(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  let dtype: DType;
  if (LOGICAL.has(op)) dtype = 'bool';
  else {
    dtype = upcast(a.dtype, b.dtype);
    if (dtype === 'bool' && !COMPARISONS.has(op)) dtype = 'int32';
    if (FLOAT_ONLY.has(op)) dtype = 'float32';
  }
  const $a = a.dtype === dtype ? a : castTo(a, dtype);
  const $b = b.dtype === dtype ? b : castTo(b, dtype);
  const out = { shape, dtype: COMPARISONS.has(op) ? ('bool' as const) : dtype };
  return runKernel1(op, [$a, $b], out, (e, [ai, bi]) => e.binary(op, ai!, bi!, out));
}

/**
 * Converts dtype (to int32 truncates toward zero; to bool is `x != 0`). Returns `x` itself when the
 * dtype already matches (callers inside ops own no extra handle then).
 *
 * @example
 * castTo(x, 'int32');
 */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = { shape: x.shape, dtype };
  return runKernel1('cast', [x], out, (e, [xi]) => e.cast(xi!, out));
}

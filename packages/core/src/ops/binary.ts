import { convertPair, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { defineOp } from './define-op.js';
import { binaryOp } from './elementwise.js';

// Elementwise ops of two tensors with NumPy broadcasting. A plain number takes the other
// operand's dtype, so `add(intTensor, 1)` stays int32.

/**
 * Adds elementwise, with NumPy broadcasting.
 *
 * @example
 * add(tensor([1, 2]), 10); // [11, 12]
 */
export const add = defineOp('add', (a: TensorLike, b: TensorLike): Tensor => binaryOp('add', ...convertPair(a, b, 'add')));

/**
 * Subtracts elementwise.
 *
 * @example
 * sub(tensor([5]), tensor([2])); // [3]
 */
export const sub = defineOp('sub', (a: TensorLike, b: TensorLike): Tensor => binaryOp('sub', ...convertPair(a, b, 'sub')));

/**
 * Multiplies elementwise.
 *
 * @example
 * mul(tensor([2, 3]), 2); // [4, 6]
 */
export const mul = defineOp('mul', (a: TensorLike, b: TensorLike): Tensor => binaryOp('mul', ...convertPair(a, b, 'mul')));

/**
 * Divides elementwise (two int32 tensors divide with floor, as in TF.js).
 *
 * @example
 * div(tensor([1]), tensor([4])); // [0.25]
 */
export const div = defineOp('div', (a: TensorLike, b: TensorLike): Tensor => binaryOp('div', ...convertPair(a, b, 'div')));

/**
 * Divides and rounds down.
 *
 * @example
 * floorDiv(tensor([-7]), tensor([2])); // [-4]
 */
export const floorDiv = defineOp('floorDiv', (a: TensorLike, b: TensorLike): Tensor => binaryOp('floorDiv', ...convertPair(a, b, 'floorDiv')));

/**
 * Remainder with the sign of the divisor (Python/NumPy).
 *
 * @example
 * mod(tensor([-7]), tensor([3])); // [2]
 */
export const mod = defineOp('mod', (a: TensorLike, b: TensorLike): Tensor => binaryOp('mod', ...convertPair(a, b, 'mod')));

/**
 * `a` to the power `b`.
 *
 * @example
 * pow(tensor([2, 3]), 2); // [4, 9]
 */
export const pow = defineOp('pow', (a: TensorLike, b: TensorLike): Tensor => binaryOp('pow', ...convertPair(a, b, 'pow')));

/**
 * Larger of the two, elementwise (NaN wins).
 *
 * @example
 * maximum(tensor([1, 5]), tensor([3, 2])); // [3, 5]
 */
export const maximum = defineOp('maximum', (a: TensorLike, b: TensorLike): Tensor => binaryOp('maximum', ...convertPair(a, b, 'maximum')));

/**
 * Smaller of the two, elementwise (NaN wins).
 *
 * @example
 * minimum(tensor([1, 5]), tensor([3, 2])); // [1, 2]
 */
export const minimum = defineOp('minimum', (a: TensorLike, b: TensorLike): Tensor => binaryOp('minimum', ...convertPair(a, b, 'minimum')));

/**
 * `(a - b)^2`.
 *
 * @example
 * squaredDifference(tensor([1]), tensor([4])); // [9]
 */
export const squaredDifference = defineOp('squaredDifference', (a: TensorLike, b: TensorLike): Tensor => binaryOp('squaredDifference', ...convertPair(a, b, 'squaredDifference')));

/**
 * Angle of the point (b, a): `atan(a / b)` in the right quadrant.
 *
 * @example
 * atan2(tensor([1]), tensor([1])); // [0.785...]
 */
export const atan2 = defineOp('atan2', (a: TensorLike, b: TensorLike): Tensor => binaryOp('atan2', ...convertPair(a, b, 'atan2')));

/**
 * True where a == b.
 *
 * @example
 * equal(tensor([1, 2]), 2); // [false, true]
 */
export const equal = defineOp('equal', (a: TensorLike, b: TensorLike): Tensor => binaryOp('equal', ...convertPair(a, b, 'equal')));

/**
 * True where a != b.
 *
 * @example
 * notEqual(tensor([1, 2]), 2); // [true, false]
 */
export const notEqual = defineOp('notEqual', (a: TensorLike, b: TensorLike): Tensor => binaryOp('notEqual', ...convertPair(a, b, 'notEqual')));

/**
 * True where a < b.
 *
 * @example
 * less(tensor([1, 2]), 2); // [true, false]
 */
export const less = defineOp('less', (a: TensorLike, b: TensorLike): Tensor => binaryOp('less', ...convertPair(a, b, 'less')));

/**
 * True where a <= b.
 *
 * @example
 * lessEqual(tensor([1, 2]), 2); // [true, true]
 */
export const lessEqual = defineOp('lessEqual', (a: TensorLike, b: TensorLike): Tensor => binaryOp('lessEqual', ...convertPair(a, b, 'lessEqual')));

/**
 * True where a > b.
 *
 * @example
 * greater(tensor([1, 3]), 2); // [false, true]
 */
export const greater = defineOp('greater', (a: TensorLike, b: TensorLike): Tensor => binaryOp('greater', ...convertPair(a, b, 'greater')));

/**
 * True where a >= b.
 *
 * @example
 * greaterEqual(tensor([1, 2]), 2); // [false, true]
 */
export const greaterEqual = defineOp('greaterEqual', (a: TensorLike, b: TensorLike): Tensor => binaryOp('greaterEqual', ...convertPair(a, b, 'greaterEqual')));

/**
 * Logical and.
 *
 * @example
 * logicalAnd(tensor([true, true]), tensor([true, false])); // [true, false]
 */
export const logicalAnd = defineOp('logicalAnd', (a: TensorLike, b: TensorLike): Tensor => binaryOp('logicalAnd', ...convertPair(a, b, 'logicalAnd')));

/**
 * Logical or.
 *
 * @example
 * logicalOr(tensor([false]), tensor([true])); // [true]
 */
export const logicalOr = defineOp('logicalOr', (a: TensorLike, b: TensorLike): Tensor => binaryOp('logicalOr', ...convertPair(a, b, 'logicalOr')));

/**
 * Logical exclusive or.
 *
 * @example
 * logicalXor(tensor([true]), tensor([true])); // [false]
 */
export const logicalXor = defineOp('logicalXor', (a: TensorLike, b: TensorLike): Tensor => binaryOp('logicalXor', ...convertPair(a, b, 'logicalXor')));

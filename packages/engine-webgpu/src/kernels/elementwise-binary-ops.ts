import type { BinaryOp } from '@strata/engine-api';
import type { WgslBody } from './elementwise-unary-ops.js';

/** Binary ops that output a bool. */
export type BinaryPredicate = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual' | 'logicalAnd' | 'logicalOr' | 'logicalXor';
type Arithmetic = Exclude<BinaryOp, BinaryPredicate>;

const ret = (expr: string, deps: readonly string[] = []): WgslBody => ({ body: `return ${expr};`, deps });

/** Bodies of `fn binaryF(a: f32, b: f32) -> f32`: the CPU engine's float rows in float32. */
export const FLOAT_BINARY: Record<Arithmetic, WgslBody> = {
  add: ret('a + b'),
  sub: ret('a - b'),
  mul: ret('a * b'),
  div: ret('divF(a, b)', ['divF']),
  floorDiv: ret('floorDivF(a, b)', ['floorDivF']),
  mod: ret('floorModF(a, b)', ['floorModF']),
  pow: ret('powF(a, b)', ['powF']),
  // NaN in either operand wins, as in NumPy.
  maximum: { body: 'if (isNanF(a) || a > b) { return a; } return b;', deps: ['isNanF'] },
  minimum: { body: 'if (isNanF(a) || a < b) { return a; } return b;', deps: ['isNanF'] },
  squaredDifference: { body: 'let d = a - b; return d * d;', deps: [] },
  atan2: ret('atan2F(a, b)', ['atan2F']),
};

/**
 * Bodies of `fn binaryI(a: i32, b: i32) -> i32`: int32 arithmetic wraps (WGSL's does, like the
 * CPU engine's `| 0` and `Math.imul`); division floors and x / 0 and x mod 0 give 0.
 */
export const INT_BINARY: Record<Arithmetic, WgslBody> = {
  add: ret('a + b'),
  sub: ret('a - b'),
  mul: ret('a * b'),
  div: ret('floorDivI(a, b)', ['floorDivI']),
  floorDiv: ret('floorDivI(a, b)', ['floorDivI']),
  mod: ret('floorModI(a, b)', ['floorModI']),
  pow: ret('powI(a, b)', ['powI']),
  maximum: ret('max(a, b)'),
  minimum: ret('min(a, b)'),
  squaredDifference: { body: 'let d = a - b; return d * d;', deps: [] },
  // Math.atan2 of the two ints, stored truncated.
  atan2: ret('toInt32F(atan2F(i32ToF32(a), i32ToF32(b)))', ['toInt32F', 'atan2F', 'i32ToF32']),
};

/**
 * Comparisons as WGSL bool expressions over two f32 (`f`, false against NaN except notEqual,
 * the NaN tests explicit so no compiler folds them away) or two integers (`i`).
 */
export const COMPARISONS: Partial<Record<BinaryPredicate, { f: string; i: string }>> = {
  equal: { f: '!isNanF(a) && !isNanF(b) && a == b', i: 'a == b' },
  notEqual: { f: 'isNanF(a) || isNanF(b) || a != b', i: 'a != b' },
  less: { f: '!isNanF(a) && !isNanF(b) && a < b', i: 'a < b' },
  lessEqual: { f: '!isNanF(a) && !isNanF(b) && a <= b', i: 'a <= b' },
  greater: { f: '!isNanF(a) && !isNanF(b) && a > b', i: 'a > b' },
  greaterEqual: { f: '!isNanF(a) && !isNanF(b) && a >= b', i: 'a >= b' },
};

/** Logical ops over the operands' truth values `p` and `q` (nonzero, NaN included, is true). */
export const LOGICAL: Partial<Record<BinaryPredicate, string>> = {
  logicalAnd: 'p && q',
  logicalOr: 'p || q',
  logicalXor: 'p != q',
};

import type { BinaryOp, HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';
import { planBroadcast, RowCursor } from './broadcast.js';
import { floorMod, intPow } from './scalar-math.js';

/** Arrays the loops below write: an output buffer or a double-precision scratch. */
type NumericArray = HostArray | Float64Array;

/**
 * One row of a binary op: `n` outputs from `ys[yi]` on, with `a` read from `ai` stepping `sa`
 * and `b` from `bi` stepping `sb` (a step of 0 repeats a broadcast value).
 */
type RowLoop = (
  op: BinaryOp, as: HostArray, ai: number, sa: number, bs: HostArray, bi: number, sb: number,
  ys: NumericArray, yi: number, n: number,
) => void;

const PREDICATE_OPS: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalXor',
]);

/**
 * Applies a binary op with NumPy broadcasting onto `out.shape`. Same-size and scalar operands
 * run as one flat loop; anything else runs row by row over a merged broadcast plan.
 *
 * @example
 * const ys = binary('add', a, b, { shape: [2, 3], dtype: 'float32' });
 */
export function binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, out: OutputInfo): HostArray {
  const as = valuesOf(a);
  const bs = valuesOf(b);
  const ys = allocate(out);
  const n = ys.length;
  if (n === 0) return ys;

  let loop: RowLoop;
  let target: NumericArray = ys;
  if (PREDICATE_OPS.has(op)) {
    loop = predicateRow;
  } else if (out.dtype === 'int32') {
    loop = intRow;
  } else if (out.dtype === 'float32') {
    loop = floatRow;
  } else {
    // Arithmetic into a bool output (e.g. maximum of two bools): compute, then test against zero.
    loop = floatRow;
    target = new Float64Array(n);
  }

  // Broadcasting never shrinks, so an operand as large as the output has the output's layout.
  const na = as.length;
  const nb = bs.length;
  if ((na === n || na === 1) && (nb === n || nb === 1)) {
    loop(op, as, 0, na === 1 ? 0 : 1, bs, 0, nb === 1 ? 0 : 1, target, 0, n);
  } else {
    const plan = planBroadcast(out.shape, [a.shape, b.shape]);
    const cursor = new RowCursor(plan);
    const { inner } = plan;
    const sa = plan.innerStrides[0]!;
    const sb = plan.innerStrides[1]!;
    const offsets = cursor.offsets;
    for (let yi = 0; yi < n; yi += inner) {
      loop(op, as, offsets[0]!, sa, bs, offsets[1]!, sb, target, yi, inner);
      cursor.next();
    }
  }
  if (target !== ys) for (let i = 0; i < n; i++) ys[i] = target[i] !== 0 ? 1 : 0;
  return ys;
}

/**
 * Float pow with the C99/IEEE special cases `Math.pow` gets differently: pow(1, y) = 1 for any y
 * (NaN included) and pow(-1, ±∞) = 1.
 */
function floatPow(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

const floatRow: RowLoop = (op, as, ai, sa, bs, bi, sb, ys, yi, n) => {
  const end = yi + n;
  switch (op) {
    case 'add':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = as[ai]! + bs[bi]!;
      return;
    case 'sub':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = as[ai]! - bs[bi]!;
      return;
    case 'mul':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = as[ai]! * bs[bi]!;
      return;
    case 'div':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = as[ai]! / bs[bi]!;
      return;
    case 'floorDiv':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = Math.floor(as[ai]! / bs[bi]!);
      return;
    case 'mod':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = floorMod(as[ai]!, bs[bi]!);
      return;
    case 'pow':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = floatPow(as[ai]!, bs[bi]!);
      return;
    case 'maximum':
      // NaN in either operand wins, as in NumPy.
      for (let i = yi; i < end; i++, ai += sa, bi += sb) {
        const x = as[ai]!;
        const y = bs[bi]!;
        ys[i] = x > y || x !== x ? x : y;
      }
      return;
    case 'minimum':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) {
        const x = as[ai]!;
        const y = bs[bi]!;
        ys[i] = x < y || x !== x ? x : y;
      }
      return;
    case 'squaredDifference':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) {
        const d = as[ai]! - bs[bi]!;
        ys[i] = d * d;
      }
      return;
    case 'atan2':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = Math.atan2(as[ai]!, bs[bi]!);
      return;
    default:
      predicateRow(op, as, ai, sa, bs, bi, sb, ys, yi, n);
  }
};

/**
 * int32 arithmetic: wraps on overflow; division floors (TF.js `div` on ints) and x / 0 gives 0
 * (the ±∞/NaN quotient stores as 0), as does x mod 0.
 */
const intRow: RowLoop = (op, as, ai, sa, bs, bi, sb, ys, yi, n) => {
  const end = yi + n;
  switch (op) {
    case 'add':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = (as[ai]! + bs[bi]!) | 0;
      return;
    case 'sub':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = (as[ai]! - bs[bi]!) | 0;
      return;
    case 'mul':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = Math.imul(as[ai]!, bs[bi]!);
      return;
    case 'div':
    case 'floorDiv':
      // The double quotient of two int32s is never close enough to an integer to floor wrongly.
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = Math.floor(as[ai]! / bs[bi]!);
      return;
    case 'mod':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = floorMod(as[ai]!, bs[bi]!);
      return;
    case 'pow':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = intPow(as[ai]!, bs[bi]!);
      return;
    case 'maximum':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) {
        const x = as[ai]!;
        const y = bs[bi]!;
        ys[i] = x > y ? x : y;
      }
      return;
    case 'minimum':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) {
        const x = as[ai]!;
        const y = bs[bi]!;
        ys[i] = x < y ? x : y;
      }
      return;
    case 'squaredDifference':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) {
        const d = (as[ai]! - bs[bi]!) | 0;
        ys[i] = Math.imul(d, d);
      }
      return;
    case 'atan2':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = Math.atan2(as[ai]!, bs[bi]!);
      return;
    default:
      predicateRow(op, as, ai, sa, bs, bi, sb, ys, yi, n);
  }
};

/**
 * Comparisons (false against NaN, except notEqual) and logical ops (nonzero, NaN included, is
 * true). Written as `+(condition)` rather than `cond ? 1 : 0`: the compiler emits a flag set
 * instead of a branch, which on unpredictable data (masks, random activations) is several times
 * faster.
 */
const predicateRow: RowLoop = (op, as, ai, sa, bs, bi, sb, ys, yi, n) => {
  const end = yi + n;
  switch (op) {
    case 'equal':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = +(as[ai] === bs[bi]);
      return;
    case 'notEqual':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = +(as[ai] !== bs[bi]);
      return;
    case 'less':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = +(as[ai]! < bs[bi]!);
      return;
    case 'lessEqual':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = +(as[ai]! <= bs[bi]!);
      return;
    case 'greater':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = +(as[ai]! > bs[bi]!);
      return;
    case 'greaterEqual':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = +(as[ai]! >= bs[bi]!);
      return;
    case 'logicalAnd':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = +(as[ai] !== 0) & +(bs[bi] !== 0);
      return;
    case 'logicalOr':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = +(as[ai] !== 0) | +(bs[bi] !== 0);
      return;
    case 'logicalXor':
      for (let i = yi; i < end; i++, ai += sa, bi += sb) ys[i] = +(as[ai] !== 0) ^ +(bs[bi] !== 0);
      return;
    default:
      throw new Error(`cpu engine: binary op '${op}' has no kernel for this output dtype`);
  }
};

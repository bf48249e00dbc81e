import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';
import { planBroadcast, RowCursor } from './broadcast.js';

/**
 * `cond ? a : b` elementwise, the three inputs broadcast NumPy-style onto `out.shape`.
 *
 * @example
 * const ys = where(cond, a, b, { shape: [2, 3], dtype: 'float32' });
 */
export function where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, out: OutputInfo): HostArray {
  const cs = valuesOf(cond);
  const ys = allocate(out);
  let as = valuesOf(a);
  let bs = valuesOf(b);
  let target = ys;
  const bitwise = a.dtype === out.dtype && b.dtype === out.dtype;
  if (bitwise && out.dtype !== 'bool') {
    // Select on the raw 32-bit patterns (see `selectBits`): exact for float32 and int32 alike.
    as = int32View(as);
    bs = int32View(bs);
    target = int32View(ys);
  }
  const selectRow = bitwise ? selectBits : selectValues;
  const n = ys.length;
  if (n === 0) return ys;
  const nc = cs.length;
  const na = as.length;
  const nb = bs.length;
  if ((nc === n || nc === 1) && (na === n || na === 1) && (nb === n || nb === 1)) {
    selectRow(cs, 0, nc === 1 ? 0 : 1, as, 0, na === 1 ? 0 : 1, bs, 0, nb === 1 ? 0 : 1, target, 0, n);
    return ys;
  }
  const plan = planBroadcast(out.shape, [cond.shape, a.shape, b.shape]);
  const cursor = new RowCursor(plan);
  const { inner, innerStrides } = plan;
  const sc = innerStrides[0]!;
  const sa = innerStrides[1]!;
  const sb = innerStrides[2]!;
  const offsets = cursor.offsets;
  for (let yi = 0; yi < n; yi += inner) {
    selectRow(cs, offsets[0]!, sc, as, offsets[1]!, sa, bs, offsets[2]!, sb, target, yi, inner);
    cursor.next();
  }
  return ys;
}

function int32View(xs: HostArray): Int32Array {
  return new Int32Array(xs.buffer, xs.byteOffset, xs.length);
}

/**
 * Integer select without a branch: `mask` is all ones where the condition holds, so
 * `(a & mask) | (b & ~mask)` picks a's bits or b's bits. Masks such as dropout's are random, and
 * a branch on them would mispredict half the time.
 */
function selectBits(
  cs: HostArray, ci: number, sc: number, as: HostArray, ai: number, sa: number,
  bs: HostArray, bi: number, sb: number, ys: HostArray, yi: number, n: number,
): void {
  const end = yi + n;
  for (let i = yi; i < end; i++, ci += sc, ai += sa, bi += sb) {
    const mask = -(+(cs[ci] !== 0));
    ys[i] = (as[ai]! & mask) | (bs[bi]! & ~mask);
  }
}

/** Mixed dtypes (values convert on store), where bit patterns cannot be mixed. */
function selectValues(
  cs: HostArray, ci: number, sc: number, as: HostArray, ai: number, sa: number,
  bs: HostArray, bi: number, sb: number, ys: HostArray, yi: number, n: number,
): void {
  const end = yi + n;
  for (let i = yi; i < end; i++, ci += sc, ai += sa, bi += sb) ys[i] = cs[ci] !== 0 ? as[ai]! : bs[bi]!;
}

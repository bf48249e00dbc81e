import type { FusedActivation, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf, wrap, type CpuData } from '../buffer.js';
import { gemm } from './gemm-core.js';
import { gemmEpilogue, type BiasRow } from './gemm-epilogue.js';

/**
 * Batched matrix product of rank-3 `a: [Ba, M, K]` and `b: [Bb, K, N]` (before the transposes);
 * a batch of 1 broadcasts. Transposes are absorbed into the GEMM's operand strides.
 *
 * @example
 * const a = { dataId: wrap(new Float32Array([1, 2])), shape: [1, 1, 2], dtype: 'float32' } as const;
 * const b = { dataId: wrap(new Float32Array([3, 4])), shape: [1, 2, 1], dtype: 'float32' } as const;
 * matmul(a, b, false, false, { shape: [1, 1, 1], dtype: 'float32' }); // values [11]
 */
export function matmul(
  a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, out: OutputInfo,
): CpuData {
  return fusedMatmul(a, b, null, 'linear', transposeA, transposeB, out);
}

/**
 * `activation(a @ b + bias)` with `a`, `b` as in {@link matmul}; `bias` broadcasts over the last
 * dimension (its size is 1 or N) and may be null.
 *
 * @example
 * const a = { dataId: wrap(new Float32Array([1, 2])), shape: [1, 1, 2], dtype: 'float32' } as const;
 * const b = { dataId: wrap(new Float32Array([3, 4])), shape: [1, 2, 1], dtype: 'float32' } as const;
 * fusedMatmul(a, b, null, 'relu', false, false, { shape: [1, 1, 1], dtype: 'float32' }); // values [11]
 */
export function fusedMatmul(
  a: TensorInfo, b: TensorInfo, bias: TensorInfo | null, activation: FusedActivation,
  transposeA: boolean, transposeB: boolean, out: OutputInfo,
): CpuData {
  const result = allocate(out) as Float32Array;
  const batch = out.shape[0]!, m = out.shape[1]!, n = out.shape[2]!;
  const batchA = a.shape[0]!, batchB = b.shape[0]!;
  const k = transposeA ? a.shape[1]! : a.shape[2]!;
  const av = valuesOf(a) as Float32Array, bv = valuesOf(b) as Float32Array;
  const aSize = m * k, bSize = k * n;
  const aStrides = { rowStride: transposeA ? 1 : k, colStride: transposeA ? m : 1 };
  const bStrides = { rowStride: transposeB ? 1 : n, colStride: transposeB ? k : 1 };
  if (batchB === 1 && !transposeA) {
    // A shared B lets the batch fold into the rows of one taller product (row-major A and C
    // batches are contiguous), so B is packed once instead of once per batch entry.
    gemm(batch * m, n, k, { data: av, offset: 0, ...aStrides }, { data: bv, offset: 0, ...bStrides }, result, 0, n, false);
  } else {
    for (let t = 0; t < batch; t++) {
      const aMat = { data: av, offset: batchA === 1 ? 0 : t * aSize, ...aStrides };
      const bMat = { data: bv, offset: batchB === 1 ? 0 : t * bSize, ...bStrides };
      gemm(m, n, k, aMat, bMat, result, t * m * n, n, false);
    }
  }
  if (bias !== null || activation !== 'linear') {
    const rows = biasRows(bias, batch, m, n);
    for (let t = 0; t < batch; t++) {
      for (let i = 0; i < m; i++) gemmEpilogue(result, (t * m + i) * n, n, rows(t, i), activation);
    }
  }
  return wrap(result);
}

/**
 * Locates each output row's bias, NumPy-broadcasting a bias of rank <= 3 against `[batch, m, n]`
 * (the usual case is a `[n]` vector shared by every row).
 */
function biasRows(
  bias: TensorInfo | null, batch: number, m: number, n: number,
): (t: number, i: number) => BiasRow | null {
  if (bias === null) return () => null;
  const data = valuesOf(bias) as Float32Array;
  const shape = [1, 1, 1, ...bias.shape].slice(-3);
  const colStride = shape[2] === 1 && n !== 1 ? 0 : 1;
  const rowStride = shape[1] === 1 && m !== 1 ? 0 : shape[2]!;
  const batchStride = shape[0] === 1 && batch !== 1 ? 0 : shape[1]! * shape[2]!;
  return (t, i) => ({ data, offset: t * batchStride + i * rowStride, colStride });
}

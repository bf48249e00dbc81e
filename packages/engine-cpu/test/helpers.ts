import type { DataId, DType, HostArray, OutputInfo, Shape, TensorInfo } from '@strata/engine-api';
import { hostArray, sizeOf } from '@strata/engine-api';
import { CpuEngine } from '../src/index.js';

/**
 * A fresh engine plus shorthands that keep the tests about values, not plumbing.
 *
 * @example
 * const h = new Harness();
 * h.values(h.engine.unary('neg', h.tensor([1], [1]), out([1])), [1]); // [-1]
 */
export class Harness {
  readonly engine = new CpuEngine();

  /** Uploads plain numbers as a tensor of `shape` and `dtype`. */
  tensor(values: ArrayLike<number>, shape: Shape, dtype: DType = 'float32'): TensorInfo {
    const host = hostArray(dtype, values.length);
    for (let i = 0; i < values.length; i++) host[i] = values[i]!;
    return { dataId: this.engine.upload(host, shape, dtype), shape, dtype };
  }

  /** Reads a result back as a plain number array. */
  values(dataId: DataId, shape: Shape, dtype: DType = 'float32'): number[] {
    return Array.from(this.engine.readSync({ dataId, shape, dtype }));
  }

  /** Reads a result back as its typed array, to check the dtype of the storage. */
  raw(dataId: DataId, shape: Shape, dtype: DType = 'float32'): HostArray {
    return this.engine.readSync({ dataId, shape, dtype });
  }
}

/**
 * An output description.
 *
 * @example
 * out([2, 3], 'int32');
 */
export function out(shape: Shape, dtype: DType = 'float32'): OutputInfo {
  return { shape, dtype };
}

/**
 * Deterministic pseudo-random float32-exact numbers for test inputs (an LCG, independent of Philox).
 *
 * @example
 * seeded(4, 1, 0, 10); // four values in [0, 10)
 */
export function seeded(n: number, seed = 1, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    xs.push(Math.fround(lo + (s / 4294967296) * (hi - lo)));
  }
  return xs;
}

/**
 * Multi-index of flat position `flat` in `shape` (row-major).
 *
 * @example
 * unravel(5, [2, 3]); // [1, 2]
 */
export function unravel(flat: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return idx;
}

/**
 * Flat position of a multi-index in `shape` (row-major).
 *
 * @example
 * ravel([1, 2], [2, 3]); // 5
 */
export function ravel(idx: readonly number[], shape: Shape): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + idx[d]!;
  return flat;
}

/**
 * Where output index `idx` reads from an input of `shape` under NumPy broadcasting.
 *
 * @example
 * broadcastIndex([1, 2], [3]); // 2
 */
export function broadcastIndex(idx: readonly number[], shape: Shape): number {
  const offset = idx.length - shape.length;
  return ravel(shape.map((len, d) => (len === 1 ? 0 : idx[d + offset]!)), shape);
}

/**
 * Reference broadcast of a binary function, written index by index.
 *
 * @example
 * referenceBroadcast([1, 2], [2, 1], [10, 20], [2], [2, 2], (x, y) => x + y); // [11, 21, 12, 22]
 */
export function referenceBroadcast(
  a: readonly number[], aShape: Shape, b: readonly number[], bShape: Shape, outShape: Shape,
  f: (x: number, y: number) => number,
): number[] {
  const res: number[] = [];
  for (let i = 0; i < sizeOf(outShape); i++) {
    const idx = unravel(i, outShape);
    res.push(f(a[broadcastIndex(idx, aShape)]!, b[broadcastIndex(idx, bShape)]!));
  }
  return res;
}

/**
 * Asserts elementwise closeness (relative to max(1, |expected|)), NaN matching NaN, infinities exact.
 *
 * @example
 * expectClose([0.1 + 0.2], [0.3]);
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const x = actual[i]!;
    const y = expected[i]!;
    if (Number.isNaN(y)) {
      if (!Number.isNaN(x)) throw new Error(`[${i}]: expected NaN, got ${x}`);
    } else if (!Number.isFinite(y)) {
      if (x !== y) throw new Error(`[${i}]: expected ${y}, got ${x}`);
    } else if (!(Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)))) {
      throw new Error(`[${i}]: expected ${y}, got ${x} (tolerance ${tol})`);
    }
  }
}

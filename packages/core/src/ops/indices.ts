import { runtime } from '../runtime.js';
import { Tensor } from '../tensor.js';
import { makeTensor, type TensorLike } from '../convert.js';
import { OpError } from '../util/errors.js';

// Index arguments (gather, scatterAdd, oneHot): int32 tensors, checked on the host where the
// engine can read them synchronously.

function nonIntegers(values: unknown, path: string): string | null {
  if (Array.isArray(values)) {
    for (let i = 0; i < values.length; i++) {
      const bad = nonIntegers(values[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  if (ArrayBuffer.isView(values)) {
    const arr = values as unknown as ArrayLike<number>;
    for (let i = 0; i < arr.length; i++) if (!Number.isInteger(arr[i])) return `${arr[i]} at ${path}[${i}]`;
    return null;
  }
  return typeof values === 'number' && Number.isInteger(values) ? null : `${String(values)} at ${path}`;
}

/**
 * An int32 tensor of indices: an int32 Tensor as is; plain integers (nested arrays, typed arrays)
 * converted. Float tensors and non-integer values are refused rather than silently truncated.
 *
 * @example
 * const $i = toIndices('gather', 'indices', [0, 2]);
 */
export function toIndices(op: string, arg: string, value: TensorLike): Tensor {
  if (value instanceof Tensor) {
    if (value.isDisposed) throw new OpError(op, arg, value.toString(), 'must be a live tensor (it was disposed)');
    if (value.dtype !== 'int32') throw new OpError(op, arg, `dtype ${value.dtype}`, "must be an int32 tensor (cast(indices, 'int32') first)");
    return value;
  }
  if (value === null || value === undefined || typeof value === 'boolean') {
    throw new OpError(op, arg, String(value), 'must be an int32 tensor or integers');
  }
  const bad = nonIntegers(value, arg);
  if (bad) throw new OpError(op, arg, bad, 'must hold only integers');
  return makeTensor(op, arg, value, undefined, 'int32');
}

/**
 * Throws naming the first index outside `[0, limit)`. Runs only where the engine reads
 * synchronously (the CPU engine); elsewhere reading back would stall the queue, so out-of-range
 * indices are left to the engine, whose result for them is unspecified.
 *
 * @example
 * checkIndexRange('gather', 'indices', $i, 5, 'x has 5 entries along axis 0');
 */
export function checkIndexRange(op: string, arg: string, indices: Tensor, limit: number, context: string): void {
  const engine = runtime.engine;
  if (indices.size === 0 || !engine.capabilities.readSync || !engine.readSync) return;
  const values = engine.readSync({ dataId: indices.dataId, shape: indices.shape, dtype: indices.dtype });
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= limit) {
      const expected = limit === 0 ? `must be empty, since ${context}` : `must hold indices in [0, ${limit - 1}] (${context})`;
      throw new OpError(op, arg, `index ${v} at flat position ${i}`, expected);
    }
  }
}

import type { DType, HostArray } from '@strata/engine-api';
import { hostArray, sizeOf } from '@strata/engine-api';
import { runtime } from './runtime.js';
import { Tensor, type NestedArray } from './tensor.js';
import { OpError, fmtShape } from './util/errors.js';

/** Values an op accepts in place of a tensor: numbers, booleans, nested arrays, typed arrays. */
export type TensorLike = Tensor | number | boolean | NestedArray | Float32Array | Int32Array | Uint8Array | readonly number[];

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** Infers the shape of nested arrays, rejecting ragged ones with the path where they differ. */
function inferShape(op: string, arg: string, values: unknown): number[] {
  if (ArrayBuffer.isView(values)) return [(values as HostArray).length];
  if (!Array.isArray(values)) return [];
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const check = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new OpError(op, arg, `a nested array deeper at ${path}`, `must be a rectangular nested array of shape ${fmtShape(shape)}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new OpError(op, arg, `${Array.isArray(v) ? `length ${v.length}` : typeof v} at ${path}`, `must be a rectangular nested array (expected length ${shape[dim]} there, from shape ${fmtShape(shape)})`);
    }
    v.forEach((x, i) => check(x, dim + 1, `${path}[${i}]`));
  };
  check(values, 0, arg);
  return shape;
}

function inferDType(values: unknown): DType {
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  if (values instanceof Float32Array) return 'float32';
  let v: unknown = values;
  while (Array.isArray(v)) v = v[0];
  return typeof v === 'boolean' ? 'bool' : 'float32';
}

function flatten(values: unknown, out: number[]): void {
  if (Array.isArray(values)) for (const v of values) flatten(v, out);
  else out.push(typeof values === 'boolean' ? (values ? 1 : 0) : (values as number));
}

/**
 * Creates a tensor from values: a number, boolean, (nested) array or typed array. `shape` defaults
 * to the nesting; `dtype` to float32 for numbers, bool for booleans, and the typed array's own type.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);            // shape [2, 2], float32
 * tensor([1, 2, 3, 4], [2, 2], 'int32');
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  return makeTensor('tensor', 'values', values, shape, dtype);
}

/** @internal `tensor` that names the calling op in its errors. */
export function makeTensor(op: string, arg: string, values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  if (values instanceof Tensor) throw new OpError(op, arg, 'a Tensor', 'must be plain values (use the tensor itself, or clone() it)');
  if (dtype !== undefined && !DTYPES.includes(dtype)) throw new OpError(op, 'dtype', JSON.stringify(dtype), `must be one of ${DTYPES.join(', ')}`);
  const inferred = inferShape(op, arg, values);
  const finalDType = dtype ?? inferDType(values);
  let flat: ArrayLike<number>;
  if (ArrayBuffer.isView(values)) flat = values as HostArray;
  else {
    const list: number[] = [];
    flatten(values, list);
    flat = list;
  }
  for (let i = 0; i < flat.length; i++) {
    if (typeof flat[i] !== 'number') {
      throw new OpError(op, arg, `${typeof flat[i]} at flat index ${i}`, 'must hold only numbers or booleans');
    }
  }
  const finalShape = shape ? [...shape] : inferred;
  if (shape && (shape.some((d) => !Number.isInteger(d) || d < 0))) {
    throw new OpError(op, 'shape', JSON.stringify(shape), 'must be an array of non-negative integers');
  }
  const size = sizeOf(finalShape);
  if (size !== flat.length) {
    if (flat.length === 1 && shape) {
      // A single value fills the whole shape, as TF.js allows.
      const filled = hostArray(finalDType, size);
      filled.fill(finalDType === 'bool' ? (flat[0] !== 0 ? 1 : 0) : Number(flat[0]));
      return upload(filled, finalShape, finalDType);
    }
    throw new OpError(op, 'shape', fmtShape(finalShape), `must have as many elements (${size}) as the values given (${flat.length})`);
  }
  const data = hostArray(finalDType, size);
  // bool is `x != 0`, as `cast` computes it (so NaN is true).
  if (finalDType === 'bool') for (let i = 0; i < size; i++) data[i] = flat[i] !== 0 ? 1 : 0;
  else data.set(flat as ArrayLike<number>);
  return upload(data, finalShape, finalDType);
}

function upload(data: HostArray, shape: number[], dtype: DType): Tensor {
  return new Tensor(runtime.engine.upload(data, shape, dtype), shape, dtype);
}

/**
 * The tensor an op works on: a Tensor as is (checking it is alive), anything else converted.
 * `dtype` is used for plain numbers so `add(intTensor, 1)` stays int32.
 *
 * @example
 * const $x = convert(x, 'x', 'exp');
 */
export function convert(x: TensorLike, arg: string, op: string, dtype?: DType): Tensor {
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new OpError(op, arg, `${x.toString()}`, 'must be a live tensor (it was disposed)');
    return x;
  }
  if (x === null || x === undefined) throw new OpError(op, arg, String(x), 'must be a Tensor, a number, or an array of numbers');
  // A number takes the other operand's dtype only where that loses nothing: `add(int, 1)` stays
  // int32, `add(int, 1.5)` is float32 as in NumPy and TF.js.
  const fallback = typeof x === 'number' && dtype !== 'bool' && (dtype !== 'int32' || Number.isInteger(x)) ? dtype : undefined;
  return makeTensor(op, arg, x, undefined, fallback);
}

/**
 * Converts the two operands of a binary op; a plain number takes the other operand's dtype.
 *
 * @example
 * const [$a, $b] = convertPair(a, 1, 'add');
 */
export function convertPair(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  const $a = convert(a, 'a', op, b instanceof Tensor ? b.dtype : undefined);
  const $b = convert(b, 'b', op, $a.dtype);
  return [$a, $b];
}

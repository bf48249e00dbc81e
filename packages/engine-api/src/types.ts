/** Element types every engine stores. `bool` is stored one byte per element (0 or 1). */
export type DType = 'float32' | 'int32' | 'bool';

/** A tensor shape: non-negative integer dimensions, row-major. */
export type Shape = readonly number[];

/** The typed array that holds a tensor's elements on the host, per dtype. */
export interface DTypeArrayMap {
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any of the host arrays an engine accepts or returns. */
export type HostArray = Float32Array | Int32Array | Uint8Array;

/**
 * An engine's handle to one buffer. Engines choose what lives inside; core only compares and
 * passes these around, and refcounts them (several tensors can share one buffer, e.g. after
 * `reshape`).
 */
export interface DataId {
  readonly engine: string;
}

/** What a kernel is told about an input: its buffer, its shape and its dtype. Always contiguous. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a kernel is told about its output; core has computed shape and dtype already. */
export interface OutputInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Live buffers an engine holds, for leak checks. */
export interface EngineMemory {
  numBuffers: number;
  numBytes: number;
}

/**
 * Byte size of one element of a dtype.
 *
 * @example
 * bytesPerElement('float32'); // 4
 */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

/**
 * Number of elements of a shape (1 for a scalar).
 *
 * @example
 * sizeOf([2, 3]); // 6
 */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Allocates the host array for `size` elements of `dtype`.
 *
 * @example
 * hostArray('int32', 4); // Int32Array(4)
 */
export function hostArray<D extends DType>(dtype: D, size: number): DTypeArrayMap[D] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size) as DTypeArrayMap[D];
    case 'int32':
      return new Int32Array(size) as DTypeArrayMap[D];
    default:
      return new Uint8Array(size) as DTypeArrayMap[D];
  }
}

/**
 * Row-major strides of a shape, in elements.
 *
 * @example
 * stridesOf([2, 3, 4]); // [12, 4, 1]
 */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

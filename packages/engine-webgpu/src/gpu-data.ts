import type { DataId, DType } from '@strata/engine-api';

/**
 * The WebGPU engine's handle to one tensor buffer: a storage buffer (possibly larger than needed,
 * when it came from the pool) holding `size` elements. float32 is stored as `f32`; int32 and bool
 * as `i32` (bool as 0 or 1), because WGSL storage has no 8-bit type.
 *
 * @example
 * const data = new GpuData(buffer, 6, 'float32');
 */
export class GpuData implements DataId {
  readonly engine = 'webgpu';

  constructor(
    readonly buffer: GPUBuffer,
    /** Elements held (the buffer may be larger). */
    readonly size: number,
    readonly dtype: DType,
  ) {}
}

/** Bytes one element takes on the GPU: always 4. */
export const GPU_ELEMENT_BYTES = 4;

/**
 * The WGSL scalar type a dtype is stored as.
 *
 * @example
 * wgslType('bool'); // 'i32'
 */
export function wgslType(dtype: DType): 'f32' | 'i32' {
  return dtype === 'float32' ? 'f32' : 'i32';
}

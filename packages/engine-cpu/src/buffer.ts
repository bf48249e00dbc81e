import type { DataId, DType, HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { hostArray, sizeOf } from '@strata/engine-api';

/** A CPU engine buffer: the handle core holds is the host array's owner. */
export interface CpuData extends DataId {
  readonly engine: 'cpu';
  readonly values: HostArray;
}

/**
 * Wraps a host array as a CPU buffer handle.
 *
 * @example
 * const id = wrap(new Float32Array(4));
 */
export function wrap(values: HostArray): CpuData {
  return { engine: 'cpu', values };
}

/**
 * The host array behind a kernel input.
 *
 * @example
 * const xs = valuesOf(x) as Float32Array;
 */
export function valuesOf(x: TensorInfo): HostArray {
  return (x.dataId as CpuData).values;
}

/**
 * A zeroed host array for a kernel output.
 *
 * @example
 * const out = allocate(outInfo) as Float32Array;
 */
export function allocate(out: OutputInfo): HostArray {
  return hostArray(out.dtype as DType, sizeOf(out.shape));
}

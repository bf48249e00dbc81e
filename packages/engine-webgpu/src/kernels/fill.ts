import type { OutputInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, perElementShader } from '../program.js';

/**
 * A buffer of `out.shape` with every element `value` (bool: `value != 0`; int32: truncated).
 *
 * @example
 * const ones = fill(runtime, { shape: [2, 2], dtype: 'float32' }, 1);
 */
export function fill(runtime: GpuRuntime, out: OutputInfo, value: number): GpuData {
  const size = sizeOf(out.shape);
  const float = out.dtype === 'float32';
  const stored = float ? value : out.dtype === 'bool' ? +(value !== 0) : Math.trunc(value) | 0;
  // The value travels as raw bits so NaN and ±Infinity reach the shader unchanged.
  const bits = new Uint32Array(float ? new Float32Array([stored]).buffer : new Int32Array([stored]).buffer)[0]!;
  const [y] = runtime.run({
    key: 'fill',
    uniforms: [['size', 'u32', size], ['bits', 'u32', bits]],
    workgroups: grid1d(size),
    source: (header) => perElementShader(header, /* wgsl */ `
out0[i] = bitcast<${float ? 'f32' : 'i32'}>(u.bits);`),
  }, [], [out]);
  return y!;
}

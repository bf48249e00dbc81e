import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf, stridesOf } from '@strata/engine-api';
import { wgslType, type GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, perElementShader, type Uniform } from '../program.js';

/**
 * Pads with a constant: `paddings[d] = [before, after]` (non-negative). One thread per output
 * element either copies its input element or writes `value` (bool: `value != 0`; int32: wrapped
 * to 32 bits as the CPU engine's Int32Array does), so each output element is written once.
 *
 * @example
 * const y = pad(runtime, x, [[1, 1], [0, 2]], 0, { shape: [x.shape[0] + 2, x.shape[1] + 2], dtype: x.dtype });
 */
export function pad(
  runtime: GpuRuntime, x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number, out: OutputInfo,
): GpuData {
  const size = sizeOf(out.shape);
  const rank = out.shape.length;
  const float = out.dtype === 'float32';
  // -0 pads as +0, as in the CPU engine (whose zero-initialised output is left as is for a zero value).
  const stored = float ? (value === 0 ? 0 : value) : out.dtype === 'bool' ? +(value !== 0) : Math.trunc(value) | 0;
  // The value travels as raw bits so NaN and ±Infinity reach the shader unchanged.
  const bits = new Uint32Array(float ? new Float32Array([stored]).buffer : new Int32Array([stored]).buffer)[0]!;
  const inStrides = stridesOf(x.shape);
  const uniforms: Uniform[] = [['size', 'u32', size], ['bits', 'u32', bits]];
  for (let k = 0; k < rank; k++) {
    uniforms.push([`d${k}`, 'u32', out.shape[k]!], [`before${k}`, 'u32', paddings[k]![0]], [`x${k}`, 'u32', x.shape[k]!], [`s${k}`, 'u32', inStrides[k]!]);
  }
  const peel: string[] = [];
  for (let k = rank - 1; k >= 0; k--) {
    // Unsigned: a coordinate before the padding wraps to a huge value, which the one test catches.
    peel.push(`{ let c = rest % u.d${k} - u.before${k}; rest = rest / u.d${k}; inside = inside && c < u.x${k}; src += c * u.s${k}; }`);
  }
  const type = wgslType(out.dtype);
  const [y] = runtime.run({
    key: `pad:${rank}`,
    uniforms,
    workgroups: grid1d(size, 256),
    source: (header) => perElementShader(header, /* wgsl */ `
var rest = i;
var inside = true;
var src = 0u;
${peel.join('\n  ')}
if (inside) { out0[i] = in0[src]; } else { out0[i] = bitcast<${type}>(u.bits); }`, { workgroupSize: 256 }),
  }, [x], [out]);
  return y!;
}

import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, perElementShader, type Uniform } from '../program.js';

/**
 * Repeats `x` `reps[d]` times along each dim: one thread per output element reads input element
 * `(c_d mod x.shape[d])`. Neighbouring dims that are not repeated are merged first (they read
 * contiguously), which keeps the shader's divisions few.
 *
 * @example
 * const y = tile(runtime, x, [2, 3], { shape: [2 * x.shape[0], 3 * x.shape[1]], dtype: x.dtype });
 */
export function tile(runtime: GpuRuntime, x: TensorInfo, reps: readonly number[], out: OutputInfo): GpuData {
  const size = sizeOf(out.shape);
  // [input size, reps] per merged dim, outermost first.
  const dims: [number, number][] = [];
  x.shape.forEach((n, d) => {
    const r = reps[d]!;
    if (n * r === 1) return;
    const last = dims[dims.length - 1];
    if (last !== undefined && last[1] === 1 && r === 1) last[0] *= n;
    else dims.push([n, r]);
  });
  const rank = dims.length;
  const uniforms: Uniform[] = [['size', 'u32', size]];
  let stride = 1;
  const strides = new Array<number>(rank);
  for (let k = rank - 1; k >= 0; k--) {
    strides[k] = stride;
    stride *= dims[k]![0];
  }
  dims.forEach(([n, r], k) => {
    uniforms.push([`d${k}`, 'u32', n * r], [`x${k}`, 'u32', n], [`s${k}`, 'u32', strides[k]!]);
  });
  const peel: string[] = [];
  for (let k = rank - 1; k >= 0; k--) {
    peel.push(`src += (rest % u.d${k}) % u.x${k} * u.s${k}; rest = rest / u.d${k};`);
  }
  const [y] = runtime.run({
    key: `tile:${rank}`,
    uniforms,
    workgroups: grid1d(size, 256),
    source: (header) => perElementShader(header, /* wgsl */ `
var rest = i;
var src = 0u;
${peel.join('\n  ')}
out0[i] = in0[src];`, { workgroupSize: 256 }),
  }, [x], [out]);
  return y!;
}

import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf, stridesOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, perElementShader, type Uniform } from '../program.js';

/** One dim of a strided read: how many elements it has and how far apart they lie in the input. */
export interface ReadDim {
  size: number;
  /** Element step in the input; negative walks backwards. */
  step: number;
}

/**
 * `out[i] = x[begin + i * strides]` per dim, `out.shape` elements per dim; negative strides walk
 * backwards from `begin`. Output dims that read evenly spaced input are merged first, so a slice
 * that keeps whole rows runs as a rank-1 copy and the shader does few divisions.
 *
 * @example
 * // every other element of a vector, backwards from index 5
 * const y = stridedSlice(runtime, x, [5], [-2], { shape: [3], dtype: x.dtype });
 */
export function stridedSlice(
  runtime: GpuRuntime, x: TensorInfo, begin: readonly number[], strides: readonly number[], out: OutputInfo,
): GpuData {
  const inStrides = stridesOf(x.shape);
  let start = 0;
  for (let d = 0; d < inStrides.length; d++) start += begin[d]! * inStrides[d]!;
  const dims = out.shape.map((size, d) => ({ size, step: strides[d]! * inStrides[d]! }));
  return stridedRead(runtime, x, start, dims, out);
}

/**
 * Merges dims (innermost last) that can be read as one: size-1 dims are dropped, and a dim whose
 * step is the next inner dim's span joins it.
 *
 * @example
 * mergeReadDims([{ size: 2, step: 3 }, { size: 3, step: 1 }]); // [{ size: 6, step: 1 }]
 */
export function mergeReadDims(dims: readonly ReadDim[]): ReadDim[] {
  const merged: ReadDim[] = [];
  for (let d = dims.length - 1; d >= 0; d--) {
    const { size, step } = dims[d]!;
    if (size === 1) continue;
    const inner = merged[merged.length - 1];
    if (inner !== undefined && step === inner.step * inner.size) inner.size *= size;
    else merged.push({ size, step });
  }
  return merged.reverse();
}

/**
 * The general affine read behind `stridedSlice` and the untiled `transpose`:
 * `out[c0, c1, ..] = x[start + sum_k c_k * dims[k].step]`, one thread per output element (writes
 * coalesced; reads coalesced whenever the innermost step is ±1).
 *
 * @example
 * // a 2x3 matrix read column by column (a transpose)
 * const y = stridedRead(runtime, x, 0, [{ size: 3, step: 1 }, { size: 2, step: 3 }], { shape: [3, 2], dtype: x.dtype });
 */
export function stridedRead(runtime: GpuRuntime, x: TensorInfo, start: number, dims: readonly ReadDim[], out: OutputInfo): GpuData {
  const size = sizeOf(out.shape);
  const merged = size === 0 ? [] : mergeReadDims(dims);
  const rank = merged.length;
  const uniforms: Uniform[] = [['size', 'u32', size], ['start', 'i32', start]];
  merged.forEach(({ size: n, step }, k) => {
    uniforms.push([`d${k}`, 'u32', n], [`s${k}`, 'i32', step]);
  });
  // Innermost dim first: it is the cheapest to peel off the flat index.
  const peel: string[] = [];
  for (let k = rank - 1; k >= 0; k--) {
    peel.push(k === 0 ? `src += i32(rest) * u.s0;` : `src += i32(rest % u.d${k}) * u.s${k}; rest = rest / u.d${k};`);
  }
  const [y] = runtime.run({
    key: `strided-read:${rank}`,
    uniforms,
    workgroups: grid1d(size, 256),
    source: (header) => perElementShader(header, /* wgsl */ `
var rest = i;
var src = u.start;
${peel.join('\n  ')}
out0[i] = in0[src];`, { workgroupSize: 256 }),
  }, [x], [out]);
  return y!;
}

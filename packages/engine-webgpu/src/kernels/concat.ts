import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, perElementShader, type Program, type Uniform } from '../program.js';

/**
 * Inputs one dispatch reads at most. WebGPU guarantees 8 storage buffers per shader stage (also in
 * compatibility mode) and the output takes one; a fixed cap also bounds the shader variants.
 */
const MAX_INPUTS_PER_DISPATCH = 7;

/**
 * Joins inputs along `axis`. Seen as `[outer, run_k]` matrices split at `axis`, each output row is
 * the inputs' rows back to back. Inputs go in groups of at most 7 (the storage-binding limit):
 * the first dispatch allocates the output and writes its groups' columns, later ones write theirs
 * into the same buffer. Within a dispatch one thread per output element picks its input by column.
 *
 * @example
 * const y = concat(runtime, [a, b], 1, { shape: [2, a.shape[1] + b.shape[1]], dtype: a.dtype });
 */
export function concat(runtime: GpuRuntime, xs: readonly TensorInfo[], axis: number, out: OutputInfo): GpuData {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= out.shape[d]!;
  const total = sizeOf(out.shape);
  // Empty inputs add no columns; binding them would only cost a slot.
  const parts = xs.filter((x) => sizeOf(x.shape) > 0);
  if (total === 0 || parts.length === 0) return runtime.allocate(out);
  const outRow = total / outer;
  let result: GpuData | null = null;
  let colStart = 0;
  for (let first = 0; first < parts.length; first += MAX_INPUTS_PER_DISPATCH) {
    const group = parts.slice(first, first + MAX_INPUTS_PER_DISPATCH);
    const runs = group.map((x) => sizeOf(x.shape) / outer);
    const program = concatProgram(runs, outer, outRow, colStart);
    if (result === null) result = runtime.run(program, group, [out])[0]!;
    else runtime.runInPlace(program, group, [{ dataId: result, shape: out.shape, dtype: out.dtype }]);
    colStart += runs.reduce((a, b) => a + b, 0);
  }
  return result!;
}

/** The dispatch that writes output columns `[colStart, colStart + sum(runs))` from one input each run. */
function concatProgram(runs: readonly number[], outer: number, outRow: number, colStart: number): Program {
  const width = runs.reduce((a, b) => a + b, 0);
  const size = outer * width;
  const uniforms: Uniform[] = [['size', 'u32', size], ['width', 'u32', width], ['outRow', 'u32', outRow], ['colStart', 'u32', colStart]];
  let offset = 0;
  runs.forEach((run, k) => {
    uniforms.push([`run${k}`, 'u32', run], [`off${k}`, 'u32', offset]);
    offset += run;
  });
  // A chain of column tests; the last input takes whatever is left.
  const branches = runs.map((_, k) => {
    const read = `out0[dst] = in${k}[o * u.run${k} + c - u.off${k}];`;
    if (k === runs.length - 1) return runs.length === 1 ? read : `{ ${read} }`;
    return `if (c < u.off${k + 1}) { ${read} }`;
  });
  return {
    key: `concat:${runs.length}`,
    uniforms,
    workgroups: grid1d(size, 256),
    source: (header) => perElementShader(header, /* wgsl */ `
let o = i / u.width;
let c = i % u.width;
let dst = o * u.outRow + u.colStart + c;
${branches.join(' else ')}`, { workgroupSize: 256 }),
  };
}

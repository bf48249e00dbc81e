import type { OutputInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, perElementShader } from '../program.js';

/*
 * Filter gradients sum over every output pixel of the batch into a small tensor: one workgroup
 * per output tile would leave most of a GPU idle. Their kernels cut the sum into chunks that run
 * side by side, writing partial results, and this pass adds the partials up in a fixed order
 * (so results do not depend on scheduling).
 */

/** Sum lengths below this are not worth a second pass. */
const MIN_CHUNK = 256;
/** Workgroups that keep a large GPU busy. */
const TARGET_WORKGROUPS = 512;
/** Upper bound on the partials buffer, in elements (64 MiB). */
const MAX_PARTIAL_ELEMENTS = 16 * 1024 * 1024;

/**
 * How to cut a sum of `length` terms computed by `workgroups` workgroups per chunk, each writing
 * `outputSize` elements: `splits` chunks of `chunk` terms (`splits = 1` when not worth it).
 *
 * @example
 * splitSum(25088, 40, 18432); // { splits: 13, chunk: 1930 }
 */
export function splitSum(length: number, workgroups: number, outputSize: number): { splits: number; chunk: number } {
  const wanted = Math.ceil(TARGET_WORKGROUPS / Math.max(1, workgroups));
  const affordable = Math.floor(MAX_PARTIAL_ELEMENTS / Math.max(1, outputSize));
  const splits = Math.max(1, Math.min(wanted, Math.floor(length / MIN_CHUNK), affordable));
  const chunk = Math.max(1, Math.ceil(length / splits));
  return { splits: Math.max(1, Math.ceil(length / chunk)), chunk };
}

/**
 * Runs `produce` (which must write `splits` consecutive slices of `out`'s size) and, when there
 * is more than one slice, sums them into a new buffer of `out`'s shape.
 *
 * @example
 * const df = withSplitSum(runtime, out, splits, (partials) => runtime.run(program, [x, dy], [partials])[0]!);
 */
export function withSplitSum(
  runtime: GpuRuntime, out: OutputInfo, splits: number, produce: (partials: OutputInfo) => GpuData,
): GpuData {
  const size = sizeOf(out.shape);
  if (splits === 1) return produce(out);
  const partialsInfo: OutputInfo = { shape: [splits, size], dtype: 'float32' };
  const partials = produce(partialsInfo);
  const [result] = runtime.run({
    key: 'conv-split-sum',
    uniforms: [['size', 'u32', size], ['splits', 'u32', splits]],
    workgroups: grid1d(size),
    source: (header) => perElementShader(header, /* wgsl */ `
var s = in0[i];
for (var k = 1u; k < u.splits; k++) { s += in0[k * u.size + i]; }
out0[i] = s;`),
  }, [{ dataId: partials, ...partialsInfo }], [out]);
  // Queue order guarantees the sum reads the partials before any later kernel reuses them.
  runtime.release(partials);
  return result!;
}

import type { OutputInfo, Shape, TensorInfo } from '@strata/engine-api';
import { simplifyPermutation, sizeOf, stridesOf } from '@strata/engine-api';
import { wgslType, type GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { MAX_WORKGROUPS_PER_DIM } from '../program.js';
import { stridedRead } from './strided-slice.js';

/** Tile edge of the workgroup-memory transpose; 32 rows x 33 words (padded) is about 4 KiB. */
const TILE = 32;
/** Rows of the tile each thread row covers: 32 x 8 = 256 threads, 4 elements each. */
const TILE_ROWS = 8;
/**
 * Below this many rows or columns a tile would be mostly idle threads, and the plain strided read
 * is already coalesced enough (a warp reads a few short runs), so the tiled path is not used.
 */
const MIN_TILED_EDGE = 8;

/**
 * Permutes dims: output dim `j` is input dim `perm[j]`. The permutation is first simplified
 * (size-1 dims dropped, input dims that stay adjacent merged), so e.g. `[0, 2, 3, 1]` on
 * `[N, H, W, C]` becomes a batched 2-D transpose. That case runs through workgroup memory, so both
 * the reads and the writes of global memory are coalesced; other permutations are a strided read.
 *
 * @example
 * const y = transpose(runtime, x, [1, 0], { shape: [x.shape[1], x.shape[0]], dtype: x.dtype });
 */
export function transpose(runtime: GpuRuntime, x: TensorInfo, perm: readonly number[], out: OutputInfo): GpuData {
  const { shape, order } = simplifyPermutation(x.shape, perm);
  if (sizeOf(out.shape) > 0) {
    if (order.length === 2 && order[0] === 1) return tiledTranspose(runtime, x, 1, shape[0]!, shape[1]!, out);
    if (order.length === 3 && order[0] === 0 && order[1] === 2 && order[2] === 1) {
      return tiledTranspose(runtime, x, shape[0]!, shape[1]!, shape[2]!, out);
    }
  }
  const strides = stridesOf(shape);
  return stridedRead(runtime, x, 0, order.map((d) => ({ size: shape[d]!, step: strides[d]! })), out);
}


/**
 * `[batch, rows, cols] -> [batch, cols, rows]`, one 32x32 tile per workgroup: threads read the
 * tile row by row (consecutive threads, consecutive addresses), then write it column by column
 * from workgroup memory, again to consecutive addresses. The tile has 33 columns so that the
 * column-wise reads of workgroup memory fall in different banks.
 */
function tiledTranspose(runtime: GpuRuntime, x: TensorInfo, batch: number, rows: number, cols: number, out: OutputInfo): GpuData {
  if (Math.min(rows, cols) < MIN_TILED_EDGE) {
    return stridedRead(runtime, x, 0, [{ size: batch, step: rows * cols }, { size: cols, step: 1 }, { size: rows, step: cols }], out);
  }
  const tilesR = Math.ceil(rows / TILE);
  const tilesC = Math.ceil(cols / TILE);
  const type = wgslType(x.dtype);
  const [y] = runtime.run({
    key: `transpose-tiled:${type}`,
    uniforms: [['batch', 'u32', batch], ['rows', 'u32', rows], ['cols', 'u32', cols], ['tilesR', 'u32', tilesR], ['tilesC', 'u32', tilesC]],
    // Grids larger than a dispatch dimension allows loop over the remaining tiles.
    workgroups: [Math.min(tilesC, MAX_WORKGROUPS_PER_DIM), Math.min(tilesR, MAX_WORKGROUPS_PER_DIM), Math.min(batch, MAX_WORKGROUPS_PER_DIM)],
    source: (header) => /* wgsl */ `${header}
var<workgroup> tile: array<${type}, ${TILE * (TILE + 1)}>;

@compute @workgroup_size(${TILE}, ${TILE_ROWS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let plane = u.rows * u.cols;
  for (var b = wg.z; b < u.batch; b += nw.z) {
    let base = b * plane;
    for (var ty = wg.y; ty < u.tilesR; ty += nw.y) {
      for (var tx = wg.x; tx < u.tilesC; tx += nw.x) {
        for (var k = 0u; k < ${TILE}u; k += ${TILE_ROWS}u) {
          let r = ty * ${TILE}u + l.y + k;
          let c = tx * ${TILE}u + l.x;
          if (r < u.rows && c < u.cols) { tile[(l.y + k) * ${TILE + 1}u + l.x] = in0[base + r * u.cols + c]; }
        }
        workgroupBarrier();
        for (var k = 0u; k < ${TILE}u; k += ${TILE_ROWS}u) {
          let c = tx * ${TILE}u + l.y + k;
          let r = ty * ${TILE}u + l.x;
          if (r < u.rows && c < u.cols) { out0[base + c * u.rows + r] = tile[l.x * ${TILE + 1}u + l.y + k]; }
        }
        // The next tile overwrites workgroup memory this one still reads.
        workgroupBarrier();
      }
    }
  }
}`,
  }, [x], [out]);
  return y!;
}

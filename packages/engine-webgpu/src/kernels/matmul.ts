import type { FusedActivation, OutputInfo, TensorInfo } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import type { Program } from '../program.js';
import { planEpilogue, type Epilogue } from './matmul-epilogue.js';
import type { MatmulGeometry } from './matmul-geometry.js';
import { GEMV_MAX_ROWS, gemvProgram } from './matmul-gemv.js';
import { tiledMatmulProgram, type TileConfig } from './matmul-tiled.js';

/**
 * Batched matrix product of rank-3 `a: [Ba, M, K]` and `b: [Bb, K, N]` (before the transposes),
 * `Ba == Bb` or one of them 1 (broadcast); `out` is `[max(Ba, Bb), M, N]`, float32.
 *
 * @example
 * const a = runtime.upload(new Float32Array([1, 2]), [1, 1, 2], 'float32');
 * const b = runtime.upload(new Float32Array([3, 4]), [1, 2, 1], 'float32');
 * matmul(runtime, { dataId: a, shape: [1, 1, 2], dtype: 'float32' }, { dataId: b, shape: [1, 2, 1], dtype: 'float32' },
 *   false, false, { shape: [1, 1, 1], dtype: 'float32' }); // holds [11]
 */
export function matmul(
  runtime: GpuRuntime, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, out: OutputInfo,
): GpuData {
  return fusedMatmul(runtime, a, b, null, 'linear', transposeA, transposeB, out);
}

/**
 * `activation(a @ b + bias)` in one program, with `a`, `b` as in {@link matmul}; `bias` (may be
 * null) broadcasts against the output, usually a `[N]` vector. Activations follow the CPU engine
 * exactly in their edge cases (NaN, ±Infinity, -0).
 *
 * @example
 * const y = fusedMatmul(runtime, x, kernel, bias, 'relu', false, false, { shape: [1, 32, 64], dtype: 'float32' });
 */
export function fusedMatmul(
  runtime: GpuRuntime, a: TensorInfo, b: TensorInfo, bias: TensorInfo | null, activation: FusedActivation,
  transposeA: boolean, transposeB: boolean, out: OutputInfo,
): GpuData {
  const program = matmulProgram(a, b, bias, activation, transposeA, transposeB, out, {
    softwareAdapter: runtime.softwareAdapter,
    maxInvocations: runtime.limits.maxComputeInvocationsPerWorkgroup,
    maxWorkgroupBytes: runtime.limits.maxComputeWorkgroupStorageSize,
  });
  const [result] = runtime.run(program, bias === null ? [a, b] : [a, b, bias], [out]);
  return result!;
}

/** How {@link matmulProgram} picks a program; `tile` forces a tile shape (tests run every one). */
export interface MatmulChoice {
  softwareAdapter: boolean;
  /** The device's limits (256 and 16 KiB when absent); tile shapes beyond them are skipped. */
  maxInvocations?: number;
  maxWorkgroupBytes?: number;
  tile?: TileConfig;
}

/**
 * The program computing `fusedMatmul`'s result, reading `a`, `b` and (when not null) `bias` as
 * inputs `in0..in2`.
 *
 * @example
 * const program = matmulProgram(a, b, null, 'linear', false, false, out, { softwareAdapter: false });
 * const [y] = runtime.run(program, [a, b], [out]);
 */
export function matmulProgram(
  a: TensorInfo, b: TensorInfo, bias: TensorInfo | null, activation: FusedActivation,
  transposeA: boolean, transposeB: boolean, out: OutputInfo, choice: MatmulChoice,
): Program {
  const [batch = 1, m = 1, n = 1] = out.shape;
  const k = transposeA ? a.shape[1]! : a.shape[2]!;
  const geometry: MatmulGeometry = {
    batch, m, n, k, transposeA, transposeB,
    aBatchStride: a.shape[0] === 1 ? 0 : m * k,
    bBatchStride: b.shape[0] === 1 ? 0 : k * n,
    aInt: a.dtype !== 'float32',
    bInt: b.dtype !== 'float32',
  };
  return chooseProgram(foldBatch(geometry), planEpilogue(bias, activation, batch, m, n), choice);
}

/**
 * With one `b` for every batch entry and a row-major `a`, the batch entries of `a` and of the
 * output are consecutive row blocks: the product is one taller matrix times `b`, which fills
 * tiles better (a batch of 32 products with 10 rows each becomes one of 320 rows).
 */
function foldBatch(g: MatmulGeometry): MatmulGeometry {
  if (g.batch === 1 || g.bBatchStride !== 0 || g.transposeA) return g;
  return { ...g, batch: 1, m: g.batch * g.m, aBatchStride: 0 };
}

/**
 * Tile shapes for GPUs, largest first, each taken when the product has at least `minTiles` of
 * them: large tiles reuse more of what they load, but too few of them leave a GPU idle.
 * 128x128 (8x8 per invocation, 16 KiB of workgroup memory) for large products, 64x64 (4x4) and
 * 32x32 (4x4, 64 invocations) for smaller ones.
 */
export const GPU_TILES: readonly { config: TileConfig; minTiles: number }[] = [
  { config: { threadsX: 16, threadsY: 16, rowVecs: 2, colVecs: 2, tileK: 16 }, minTiles: 64 },
  { config: { threadsX: 16, threadsY: 16, rowVecs: 1, colVecs: 1, tileK: 16 }, minTiles: 64 },
  { config: { threadsX: 8, threadsY: 8, rowVecs: 1, colVecs: 1, tileK: 16 }, minTiles: 0 },
];

/**
 * Tile shapes for adapters that run on the CPU (llvmpipe): there every invocation's access to
 * memory becomes a scalar load per SIMD lane, while arithmetic runs 8 lanes at a time, so each
 * invocation keeps a 16x16 block (8 FMAs per value it loads, against 2 for a 4x4 block) and a
 * row of 8 invocations fills one SIMD vector: 64x128 tiles, 2.5-3.5x the GFLOP/s of 4x4 blocks
 * there. Products with at most 32 columns take 16x4 blocks in 64x32 tiles, which waste less.
 * On a GPU, 256 accumulators per invocation would spill out of registers.
 */
export const SOFTWARE_TILES: { readonly wide: TileConfig; readonly narrow: TileConfig } = {
  wide: { threadsX: 8, threadsY: 4, rowVecs: 4, colVecs: 4, tileK: 16 },
  narrow: { threadsX: 8, threadsY: 4, rowVecs: 4, colVecs: 1, tileK: 16 },
};

/**
 * The program for a product: GEMV-like when M or N is tiny, else the register-blocked tiled one
 * with the tile shape that suits the adapter and the product's size.
 */
function chooseProgram(g: MatmulGeometry, epilogue: Epilogue, choice: MatmulChoice): Program {
  const maxInvocations = choice.maxInvocations ?? 256, maxBytes = choice.maxWorkgroupBytes ?? 16384;
  // The 64-invocation GEMV layout also serves devices held to compatibility-mode limits (128).
  const smallGemv = choice.softwareAdapter || maxInvocations < 256;
  if (g.m <= GEMV_MAX_ROWS && g.m <= g.n) return gemvProgram(g, epilogue, 'rows', smallGemv);
  if (g.n <= GEMV_MAX_ROWS) return gemvProgram(g, epilogue, 'columns', smallGemv);
  if (choice.tile) return tiledMatmulProgram(g, epilogue, choice.tile);
  if (choice.softwareAdapter) return tiledMatmulProgram(g, epilogue, g.n <= 32 ? SOFTWARE_TILES.narrow : SOFTWARE_TILES.wide);
  const tileM = (c: TileConfig) => 4 * c.threadsY * c.rowVecs, tileN = (c: TileConfig) => 4 * c.threadsX * c.colVecs;
  const fits = (c: TileConfig) => c.threadsX * c.threadsY <= maxInvocations && 4 * c.tileK * (tileM(c) + tileN(c)) <= maxBytes;
  const tilesOf = (c: TileConfig) => g.batch * Math.ceil(g.m / tileM(c)) * Math.ceil(g.n / tileN(c));
  const usable = GPU_TILES.filter((t) => fits(t.config));
  const { config } = usable.find((t) => tilesOf(t.config) >= t.minTiles) ?? usable[usable.length - 1]!;
  return tiledMatmulProgram(g, epilogue, config);
}

import { expect } from 'chai';
import type { DataId, DType, Engine, HostArray, OutputInfo, Shape, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { CpuEngine } from '@strata/engine-cpu';
import { randomValues } from '@strata/conformance';
import type { WebGpuEngine } from '../src/index.js';
import { sharedEngine } from './shared-engine.js';

// The conformance cases are too small to reach the tiled transpose, multi-dispatch concat, the
// segment-sorted scatterAdd or grids looping past 65535 workgroups: these compare the layout
// kernels with the CPU engine (the executable spec) on shapes that do. Layout kernels only move
// values, and scatterAdd sums in the CPU engine's order, so results must match bit for bit.

interface Operand {
  values: ArrayLike<number>;
  shape: Shape;
  dtype?: DType;
}

const cpu = new CpuEngine();
let gpu: WebGpuEngine;

function upload(engine: Engine, x: Operand): TensorInfo {
  const dtype = x.dtype ?? 'float32';
  const values = dtype === 'float32' ? Float32Array.from(x.values) : dtype === 'int32' ? Int32Array.from(x.values) : Uint8Array.from(x.values);
  return { dataId: engine.upload(values, x.shape, dtype), shape: x.shape, dtype };
}

/** Runs `op` on both engines with the same inputs; results must be identical and nothing may leak. */
async function same(label: string, inputs: Operand[], out: OutputInfo, op: (e: Engine, xs: TensorInfo[]) => DataId): Promise<HostArray> {
  const before = gpu.memory().numBuffers;
  const gi = inputs.map((x) => upload(gpu, x));
  const ci = inputs.map((x) => upload(cpu, x));
  const g = { dataId: op(gpu, gi), ...out };
  const c = { dataId: op(cpu, ci), ...out };
  const got = await gpu.read(g);
  const want = cpu.readSync(c);
  for (const t of [g, ...gi]) gpu.dispose(t.dataId);
  for (const t of [c, ...ci]) cpu.dispose(t.dataId);
  expect(gpu.memory().numBuffers, `${label}: live buffers`).to.equal(before);
  expect(got.length, `${label}: length`).to.equal(sizeOf(out.shape));
  // Object.is: NaN matches NaN (whatever its payload), -0 does not match 0.
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${label}: index ${i} of ${want.length}: got ${show(got[i]!)}, expected ${show(want[i]!)}`);
  }
  return got;
}

function iota(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => i);
}

function ints(n: number, seed: number, lo: number, hi: number): Int32Array {
  return Int32Array.from(randomValues(n, seed), (v) => lo + Math.min(hi - lo, Math.floor(((v + 1) / 2) * (hi - lo + 1))));
}

async function checkTranspose(shape: number[], perm: number[], dtype: DType = 'float32'): Promise<void> {
  const n = sizeOf(shape);
  const values = dtype === 'bool' ? Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0) : dtype === 'int32' ? ints(n, n, -1e9, 1e9) : randomValues(n, n);
  const out = { shape: perm.map((p) => shape[p]!), dtype };
  await same(`transpose ${JSON.stringify(shape)} ${JSON.stringify(perm)} ${dtype}`, [{ values, shape, dtype }], out, (e, [x]) => e.transpose(x!, perm, out));
}

describe('webgpu layout kernels against the CPU engine', function () {
  this.timeout(300_000);

  before(async () => {
    gpu = await sharedEngine();
  });

  it('transposes matrices and batches of them through the tiled path (unaligned edges, every dtype)', async () => {
    await checkTranspose([300, 200], [1, 0]);
    await checkTranspose([33, 65], [1, 0]);
    await checkTranspose([3, 70, 45], [0, 2, 1]);
    // NHWC -> NCHW and back: batched 2-D transposes once adjacent dims merge.
    await checkTranspose([2, 6, 7, 9], [0, 3, 1, 2]);
    await checkTranspose([2, 9, 6, 7], [0, 2, 3, 1]);
    await checkTranspose([40, 50], [1, 0], 'int32');
    await checkTranspose([40, 50], [1, 0], 'bool');
    await checkTranspose([1, 40, 1, 50], [3, 2, 1, 0], 'int32');
  });

  it('transposes narrow matrices and other permutations through the strided read', async () => {
    await checkTranspose([4, 1000], [1, 0]);
    await checkTranspose([1000, 3], [1, 0]);
    await checkTranspose([4, 5, 6], [2, 1, 0]);
    await checkTranspose([3, 4, 5, 6], [3, 1, 2, 0], 'int32');
    await checkTranspose([3, 4, 5, 6, 2], [4, 0, 3, 1, 2]);
    await checkTranspose([5, 6], [0, 1]);
    await checkTranspose([], []);
    await checkTranspose([0, 7], [1, 0]);
  });

  it('loops over tiles when a grid dimension would pass 65535 workgroups', async () => {
    await checkTranspose([65536, 8, 8], [0, 2, 1]);
  });

  it('strided-slices with positive and negative strides', async () => {
    const shape = [20, 30, 40];
    const x = { values: randomValues(sizeOf(shape), 5), shape };
    const cases: [number[], number[], number[]][] = [
      [[19, 2, 39], [-2, 3, -1], [10, 10, 40]],
      [[0, 0, 0], [1, 1, 2], [20, 30, 20]],
      [[5, 29, 0], [1, -1, 1], [3, 30, 40]],
      [[7, 3, 10], [3, 4, -5], [5, 7, 3]],
      [[2, 0, 0], [1, 1, 1], [1, 30, 40]],
    ];
    for (const [begin, strides, outShape] of cases) {
      const out = { shape: outShape, dtype: 'float32' as const };
      await same(`stridedSlice ${JSON.stringify([begin, strides])}`, [x], out, (e, [xi]) => e.stridedSlice(xi!, begin, strides, out));
    }
    const xi = { values: ints(60, 3, -50, 50), shape: [60], dtype: 'int32' as const };
    const out = { shape: [20], dtype: 'int32' as const };
    await same('stridedSlice int32', [xi], out, (e, [t]) => e.stridedSlice(t!, [59], [-3], out));
  });

  it('pads with any value, as stored by each dtype (NaN, ±Infinity, -0, int32 wrapping, bool)', async () => {
    const shape = [30, 50];
    const paddings: [number, number][] = [[3, 4], [0, 7]];
    const outShape = [37, 57];
    for (const value of [0, NaN, Infinity, -Infinity, -0, 0.1]) {
      const out = { shape: outShape, dtype: 'float32' as const };
      await same(`pad ${show(value)}`, [{ values: randomValues(1500, 2), shape }], out, (e, [x]) => e.pad(x!, paddings, value, out));
    }
    for (const value of [7, 2.7, -2.7, -3e9, 2 ** 40 + 5, NaN, Infinity]) {
      const out = { shape: outShape, dtype: 'int32' as const };
      await same(`pad int32 ${value}`, [{ values: ints(1500, 4, -9, 9), shape, dtype: 'int32' }], out, (e, [x]) => e.pad(x!, paddings, value, out));
    }
    for (const value of [0, 5, -1, NaN]) {
      const out = { shape: outShape, dtype: 'bool' as const };
      await same(`pad bool ${value}`, [{ values: ints(1500, 5, 0, 1), shape, dtype: 'bool' }], out, (e, [x]) => e.pad(x!, paddings, value, out));
    }
    const out = { shape: [2, 5, 3], dtype: 'float32' as const };
    await same('pad empty', [{ values: [], shape: [0, 3, 3] }], out, (e, [x]) => e.pad(x!, [[1, 1], [1, 1], [0, 0]], 3, out));
    const deep = { shape: [3, 4, 5, 6, 7], dtype: 'float32' as const };
    await same('pad rank 5', [{ values: randomValues(2 * 3 * 4 * 5 * 6, 6), shape: [2, 3, 4, 5, 6] }], deep,
      (e, [x]) => e.pad(x!, [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]], -1, deep));
  });

  it('concatenates more inputs than one dispatch can bind, along any axis', async () => {
    const widths = [1, 3, 0, 5, 2, 7, 1, 4, 0, 6, 2, 2, 3, 9, 1, 1, 5, 2, 8, 3, 2, 4];
    for (const axis of [0, 1, 2]) {
      const inputs = widths.map((w, k) => {
        const shape = [3, 4, 5];
        shape[axis] = w;
        return { values: randomValues(sizeOf(shape), k + 1), shape };
      });
      const total = widths.reduce((a, b) => a + b, 0);
      const shape = [3, 4, 5];
      shape[axis] = total;
      const out = { shape, dtype: 'float32' as const };
      // Core drops empty inputs before calling the engine; the kernel copes with them anyway.
      await same(`concat axis ${axis}`, inputs, out, (e, xs) => e.concat(xs.filter((x) => sizeOf(x.shape) > 0), axis, out));
      await same(`concat axis ${axis} with empties`, inputs, out, (e, xs) => e.concat(xs, axis, out));
    }
    const parts = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => ({ values: ints(6, k + 1, -5, 5), shape: [2, 3], dtype: 'int32' as const }));
    const out = { shape: [2, 27], dtype: 'int32' as const };
    await same('concat int32 x9', parts, out, (e, xs) => e.concat(xs, 1, out));
    const big = [{ values: randomValues(70000, 1), shape: [70000] }, { values: randomValues(300, 2), shape: [300] }];
    const bigOut = { shape: [70300], dtype: 'float32' as const };
    await same('concat large', big, bigOut, (e, xs) => e.concat(xs, 0, bigOut));
  });

  it('tiles along any dims', async () => {
    const cases: [number[], number[], DType][] = [
      [[3, 4, 5], [2, 1, 3], 'float32'], [[1, 7], [5, 1], 'int32'], [[4, 1, 3], [1, 6, 1], 'bool'], [[6], [40], 'float32'],
      [[2, 3, 4, 5], [1, 1, 2, 1], 'float32'], [[], [], 'float32'], [[3, 2], [1, 1], 'int32'],
    ];
    for (const [shape, reps, dtype] of cases) {
      const n = sizeOf(shape);
      const values = dtype === 'float32' ? randomValues(n, n) : dtype === 'int32' ? ints(n, n, -99, 99) : ints(n, n, 0, 1);
      const out = { shape: shape.map((d, k) => d * reps[k]!), dtype };
      await same(`tile ${JSON.stringify([shape, reps])}`, [{ values, shape, dtype }], out, (e, [x]) => e.tile(x!, reps, out));
    }
  });

  it('gathers along any axis with indices of any shape', async () => {
    const x = { values: randomValues(50 * 64, 7), shape: [50, 64] };
    const idx = { values: ints(200, 8, 0, 49), shape: [200], dtype: 'int32' as const };
    const out = { shape: [200, 64], dtype: 'float32' as const };
    await same('gather axis 0', [x, idx], out, (e, [xi, ii]) => e.gather(xi!, ii!, 0, out));
    const cols = { values: ints(30, 9, 0, 63), shape: [5, 6], dtype: 'int32' as const };
    const colOut = { shape: [50, 5, 6], dtype: 'float32' as const };
    await same('gather axis 1', [x, cols], colOut, (e, [xi, ii]) => e.gather(xi!, ii!, 1, colOut));
    const cube = { values: ints(4 * 5 * 6, 10, -1e6, 1e6), shape: [4, 5, 6], dtype: 'int32' as const };
    const mid = { values: [4, 0, 0, 2], shape: [2, 2], dtype: 'int32' as const };
    const midOut = { shape: [4, 2, 2, 6], dtype: 'int32' as const };
    await same('gather int32 middle axis', [cube, mid], midOut, (e, [xi, ii]) => e.gather(xi!, ii!, 1, midOut));
    const bools = { values: [1, 0, 0, 1, 1], shape: [5], dtype: 'bool' as const };
    const one = { values: [3], shape: [], dtype: 'int32' as const };
    const boolOut = { shape: [], dtype: 'bool' as const };
    await same('gather bool scalar index', [bools, one], boolOut, (e, [xi, ii]) => e.gather(xi!, ii!, 0, boolOut));
  });

  async function checkScatter(label: string, updates: Operand, indices: number[] | Int32Array, indicesShape: Shape, axis: number, shape: Shape): Promise<void> {
    const out = { shape, dtype: updates.dtype ?? 'float32' };
    await same(label, [updates, { values: indices, shape: indicesShape, dtype: 'int32' }], out, (e, [u, i]) => e.scatterAdd(u!, i!, axis, out));
  }

  it('scatter-adds with few indices (every output scans them all)', async () => {
    const idx = [3, 0, 3, 9, 1, 3, 0, 7, 3, 3];
    await checkScatter('direct rows', { values: randomValues(10 * 16, 1), shape: [10, 16] }, idx, [10], 0, [12, 16]);
    await checkScatter('direct int32', { values: ints(10 * 3, 2, -1e9, 1e9), shape: [10, 3], dtype: 'int32' }, idx, [10], 0, [10, 3]);
    await checkScatter('direct axis 1', { values: randomValues(4 * 10 * 3, 3), shape: [4, 2, 5, 3] }, idx, [2, 5], 1, [4, 10, 3]);
  });

  it('scatter-adds with many indices (sorted into segments), in the CPU engine order', async () => {
    const many = ints(5000, 11, 0, 299);
    await checkScatter('segments rows', { values: randomValues(5000 * 16, 4, -10, 10), shape: [5000, 16] }, many, [5000], 0, [300, 16]);
    await checkScatter('segments axis 1', { values: randomValues(3 * 400 * 2, 5), shape: [3, 20, 20, 2] }, ints(400, 12, 0, 49), [20, 20], 1, [3, 50, 2]);
    // Every index the same: one long segment.
    const same1 = new Int32Array(3000).fill(17);
    await checkScatter('segments one row', { values: randomValues(3000 * 4, 6, -1, 1e4), shape: [3000, 4] }, same1, [3000], 0, [20, 4]);
    // Distinct indices into a long axis (a topK gradient).
    const perm = Int32Array.from({ length: 20000 }, (_, i) => (i * 7919) % 100000);
    await checkScatter('segments distinct', { values: randomValues(20000, 7), shape: [20000] }, perm, [20000], 0, [100000]);
    // int32 sums wrap at 32 bits.
    await checkScatter('segments int32 wrap', { values: ints(200 * 2, 8, 2e9, 2.1e9), shape: [200, 2], dtype: 'int32' }, ints(200, 13, 0, 2), [200], 0, [3, 2]);
  });

  it('scatter-adds NaN, ±Infinity and -0 as the CPU engine does', async () => {
    const values = [NaN, 1, -0, Infinity, -Infinity, 2, -0, -0, 3, Infinity, 5, 1e38, 3e38, -1];
    for (const reps of [1, 4]) {
      const n = values.length * reps;
      const idx = Array.from({ length: n }, (_, i) => [0, 1, 2, 3, 1, 4, 5, 5, 6, 7, 6, 8, 8, 9][i % values.length]! + 10 * Math.floor(i / values.length));
      await checkScatter(`special values x${reps}`, { values: Array.from({ length: n }, (_, i) => values[i % values.length]!), shape: [n] }, idx, [n], 0, [10 * reps]);
    }
  });

  it('skips out-of-range scatter indices instead of writing outside the result', async () => {
    for (const m of [8, 80]) {
      const idx = Array.from({ length: m }, (_, i) => (i % 4 === 1 ? [-1, 6, 1000, -7][(i >> 2) % 4]! : i % 6));
      const updates = randomValues(m * 3, m);
      const out = { shape: [6, 3], dtype: 'float32' as const };
      const u = upload(gpu, { values: updates, shape: [m, 3] });
      const i = upload(gpu, { values: idx, shape: [m], dtype: 'int32' });
      const y = { dataId: gpu.scatterAdd(u, i, 0, out), ...out };
      const got = await gpu.read(y);
      for (const t of [u, i, y]) gpu.dispose(t.dataId);
      const want = new Float32Array(18);
      idx.forEach((r, k) => {
        if (r >= 0 && r < 6) for (let j = 0; j < 3; j++) want[r * 3 + j] += updates[k * 3 + j]!;
      });
      expect(Array.from(got), `m = ${m}`).to.deep.equal(Array.from(want));
    }
  });
});

/** A number as the failure message should show it: -0 and NaN visibly. */
function show(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

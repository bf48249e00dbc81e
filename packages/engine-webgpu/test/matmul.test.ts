import { expect } from 'chai';
import type { DType, Engine, FusedActivation, Shape, TensorInfo } from '@strata/engine-api';
import { CpuEngine } from '@strata/engine-cpu';
import type { WebGpuEngine } from '../src/index.js';
import { GPU_TILES, SOFTWARE_TILES, matmulProgram, type MatmulChoice } from '../src/kernels/matmul.js';
import type { TileConfig } from '../src/kernels/matmul-tiled.js';
import { randomValues } from '@strata/conformance';
import { sharedEngine } from './shared-engine.js';

// The conformance cases are too small to reach most tiles, their unaligned edges, the GEMV
// programs or two-dimensional dispatch grids: these compare the WebGPU kernels with the CPU engine
// (the executable spec) on shapes that do. The adapter here is llvmpipe, so the engine picks the
// software tile shapes; one case forces each GPU tile shape through `matmulProgram`.

const ACTIVATIONS: FusedActivation[] = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'elu', 'gelu', 'swish'];
const TRANSPOSES = [[false, false], [true, false], [false, true], [true, true]] as const;

interface Operand {
  values: Float32Array | Int32Array;
  shape: Shape;
  dtype?: DType;
}

interface Problem {
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  bias?: Operand | null;
  activation?: FusedActivation;
  seed?: number;
}

const cpu = new CpuEngine();
let gpu: WebGpuEngine;

function info(engine: Engine, x: Operand): TensorInfo {
  const dtype = x.dtype ?? 'float32';
  return { dataId: engine.upload(x.values, x.shape, dtype), shape: x.shape, dtype };
}

/**
 * Runs one product on an engine: fusedMatmul when there is a bias or an activation, or (WebGPU
 * only) the program of a forced choice, so the GPU programs run on a software adapter too.
 */
function run(engine: Engine, a: Operand, b: Operand, p: Problem, choice?: MatmulChoice): { out: TensorInfo; inputs: TensorInfo[] } {
  const ai = info(engine, a), bi = info(engine, b);
  const biasInfo = p.bias ? info(engine, p.bias) : null;
  const out = { shape: [Math.max(p.batchA, p.batchB), p.m, p.n], dtype: 'float32' as const };
  const activation = p.activation ?? 'linear';
  const inputs = [ai, bi, ...(biasInfo ? [biasInfo] : [])];
  let dataId;
  if (choice && engine === gpu) {
    const program = matmulProgram(ai, bi, biasInfo, activation, p.transposeA, p.transposeB, out, choice);
    dataId = gpu.runtime.run(program, inputs, [out])[0]!;
  } else if (biasInfo !== null || activation !== 'linear') {
    dataId = engine.fusedMatmul!(ai, bi, biasInfo, activation, p.transposeA, p.transposeB, out);
  } else {
    dataId = engine.matmul(ai, bi, p.transposeA, p.transposeB, out);
  }
  return { out: { dataId, ...out }, inputs };
}

function operands(p: Problem): [Operand, Operand] {
  const seed = p.seed ?? p.m * 7 + p.n * 13 + p.k;
  const aShape = p.transposeA ? [p.batchA, p.k, p.m] : [p.batchA, p.m, p.k];
  const bShape = p.transposeB ? [p.batchB, p.n, p.k] : [p.batchB, p.k, p.n];
  return [
    { values: randomValues(p.batchA * p.m * p.k, seed), shape: aShape },
    { values: randomValues(p.batchB * p.k * p.n, seed + 1), shape: bShape },
  ];
}

/** Both engines' results for one product (inputs freed). */
async function compute(p: Problem, a?: Operand, b?: Operand, choice?: MatmulChoice): Promise<{ got: Float32Array; want: Float32Array }> {
  const [ra, rb] = a && b ? [a, b] : operands(p);
  const g = run(gpu, ra, rb, p, choice);
  const c = run(cpu, ra, rb, p);
  const got = (await gpu.read(g.out)) as Float32Array;
  const want = cpu.readSync(c.out) as Float32Array;
  for (const t of [g.out, ...g.inputs]) gpu.dispose(t.dataId);
  for (const t of [c.out, ...c.inputs]) cpu.dispose(t.dataId);
  return { got, want };
}

/** Elementwise closeness relative to max(1, |want|); NaN must match NaN, ±Infinity exactly. */
function expectClose(got: Float32Array, want: Float32Array, label: string, tol = 2e-5): void {
  expect(got.length, `${label}: length`).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!, v = got[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(v) : !Number.isFinite(w) ? v === w : Math.abs(v - w) <= tol * Math.max(1, Math.abs(w));
    if (!ok) expect.fail(`${label}: index ${i} of ${want.length}: got ${v}, expected ${w}`);
  }
}

async function check(p: Problem, tol?: number, choice?: MatmulChoice): Promise<void> {
  const { got, want } = await compute(p, undefined, undefined, choice);
  expectClose(got, want, JSON.stringify({ ...p, bias: p.bias?.shape ?? null, choice }), tol);
}

/** The GPU programs, forced on this software adapter: a tile shape, or the GPU GEMV layouts. */
const onGpu = (tile?: TileConfig): MatmulChoice => ({ softwareAdapter: false, tile });

describe('webgpu matmul against the CPU engine', function () {
  this.timeout(300_000);

  before(async () => {
    gpu = await sharedEngine();
  });

  it('matches on 130x257x67 (tiles cut by every edge) for all four transpose combinations', async () => {
    for (const [transposeA, transposeB] of TRANSPOSES) await check({ batchA: 1, batchB: 1, m: 130, n: 67, k: 257, transposeA, transposeB });
  });

  it('matches on aligned shapes (vec4 reads and writes) for all four transpose combinations', async () => {
    for (const [transposeA, transposeB] of TRANSPOSES) await check({ batchA: 2, batchB: 2, m: 96, n: 132, k: 100, transposeA, transposeB });
  });

  it('matches on products of many tiles, aligned and not', async () => {
    for (const [transposeA, transposeB] of TRANSPOSES) {
      await check({ batchA: 1, batchB: 1, m: 520, n: 516, k: 36, transposeA, transposeB });
      await check({ batchA: 3, batchB: 3, m: 259, n: 263, k: 19, transposeA, transposeB });
    }
  });

  it('matches with every tile shape (the GPU ones forced here) on edges, batches and a fused epilogue', async () => {
    const bias = { values: randomValues(131, 8), shape: [131] };
    for (const tile of [...GPU_TILES.map((t) => t.config), SOFTWARE_TILES.wide, SOFTWARE_TILES.narrow]) {
      for (const [transposeA, transposeB] of TRANSPOSES) await check({ batchA: 1, batchB: 1, m: 130, n: 131, k: 67, transposeA, transposeB }, undefined, onGpu(tile));
      // Aligned: vec4 loads of a along K and b along N (false, false), a along M and b along K (true, true).
      await check({ batchA: 2, batchB: 2, m: 132, n: 136, k: 36, transposeA: false, transposeB: false }, undefined, onGpu(tile));
      await check({ batchA: 2, batchB: 2, m: 132, n: 136, k: 36, transposeA: true, transposeB: true }, undefined, onGpu(tile));
      await check({ batchA: 1, batchB: 2, m: 33, n: 131, k: 18, transposeA: true, transposeB: false, bias, activation: 'elu' }, undefined, onGpu(tile));
      await check({ batchA: 3, batchB: 1, m: 20, n: 131, k: 9, transposeA: false, transposeB: true, bias, activation: 'gelu' }, undefined, onGpu(tile));
    }
  });

  it('keeps to the device limits (compatibility mode: 128 invocations) when choosing a program', async () => {
    const limited: MatmulChoice = { softwareAdapter: false, maxInvocations: 128, maxWorkgroupBytes: 16384 };
    const shape = (m: number, n: number) => ({ shape: [1, m, n], dtype: 'float32' as const, dataId: null as never });
    expect(matmulProgram(shape(600, 600), shape(600, 600), null, 'linear', false, false, { shape: [1, 600, 600], dtype: 'float32' }, limited).key)
      .to.match(/^matmul-tiled\/8x8x/);
    expect(matmulProgram(shape(1, 600), shape(600, 600), null, 'linear', false, false, { shape: [1, 1, 600], dtype: 'float32' }, limited).key)
      .to.match(/^matmul-gemv\/rows\/1\/l1\//);
    for (const [m, n, k] of [[600, 300, 20], [1, 300, 20]]) await check({ batchA: 1, batchB: 1, m: m!, n: n!, k: k!, transposeA: false, transposeB: true }, undefined, limited);
  });

  it('broadcasts a batch of 1 on either side (folded into rows when b is shared and a is not transposed)', async () => {
    for (const [batchA, batchB] of [[4, 1], [1, 4], [4, 4]] as const) {
      for (const [transposeA, transposeB] of TRANSPOSES) await check({ batchA, batchB, m: 21, n: 35, k: 46, transposeA, transposeB });
    }
  });

  it('matches on GEMV shapes (a short side of at most 8 rows or columns), with the software and the GPU layouts', async () => {
    const shapes = [[1, 300, 784], [1, 10, 256], [5, 130, 70], [8, 9, 33], [200, 1, 150], [130, 3, 257], [70, 8, 64], [1, 1, 1000], [1, 1, 3]];
    for (const [m, n, k] of shapes as [number, number, number][]) {
      for (const [transposeA, transposeB] of TRANSPOSES) {
        await check({ batchA: 1, batchB: 1, m, n, k, transposeA, transposeB });
        await check({ batchA: 1, batchB: 1, m, n, k, transposeA, transposeB }, undefined, onGpu());
        await check({ batchA: 3, batchB: 1, m, n, k, transposeA, transposeB, seed: m + n });
        await check({ batchA: 1, batchB: 2, m, n, k, transposeA, transposeB, seed: m + n + 1 });
      }
    }
  });

  it('gives bias + activation(0) when K is 0, and nothing to do when M or N is 0', async () => {
    const bias = { values: randomValues(5, 9), shape: [5] };
    for (const activation of ACTIVATIONS) {
      for (const m of [3, 40]) await check({ batchA: 2, batchB: 2, m, n: 5, k: 0, transposeA: false, transposeB: true, bias, activation });
      await check({ batchA: 1, batchB: 1, m: 12, n: 12, k: 0, transposeA: false, transposeB: false, activation });
    }
    const { got } = await compute({ batchA: 1, batchB: 1, m: 0, n: 4, k: 3, transposeA: false, transposeB: false });
    expect(got.length).to.equal(0);
  });

  it('fuses a [N] bias and every activation, on tiled and GEMV shapes, with the software and the GPU programs', async () => {
    for (const activation of ACTIVATIONS) {
      for (const [m, n, k, transposeA, transposeB] of [[130, 67, 257, false, true], [128, 64, 784, true, false], [1, 67, 100, false, false], [67, 2, 20, true, true]] as const) {
        const bias = { values: randomValues(n, n + 5, -2, 2), shape: [n] };
        await check({ batchA: 2, batchB: 1, m, n, k, transposeA, transposeB, bias, activation }, 5e-5);
        await check({ batchA: 2, batchB: 1, m, n, k, transposeA, transposeB, bias, activation }, 5e-5, onGpu());
      }
    }
  });

  it('broadcasts biases of rank <= 3 as the CPU engine does', async () => {
    const [batch, m, n, k] = [3, 37, 19, 11];
    for (const shape of [[1], [n], [m, 1], [m, n], [batch, 1, n], [batch, m, 1], [batch, m, n], [1, 1, 1]]) {
      const size = shape.reduce((x, y) => x * y, 1);
      const bias = { values: randomValues(size, size), shape };
      for (const [batchA, batchB] of [[batch, 1], [batch, batch]]) {
        await check({ batchA: batchA!, batchB: batchB!, m, n, k, transposeA: false, transposeB: false, bias, activation: 'tanh' });
        await check({ batchA: batchA!, batchB: batchB!, m: 4, n, k, transposeA: false, transposeB: false, bias, activation: 'tanh' });
      }
    }
  });

  it('applies activations with the CPU engine edge cases (NaN, ±Infinity, signed zeros, large and tiny inputs)', async () => {
    // No -0: a GPU sum starting from +0 never gives -0 (the CPU engine's does on some paths), so
    // the activations cannot receive it here.
    const special = [NaN, Infinity, -Infinity, 0, 1e-8, -1e-8, 1e-3, -1e-3, 0.3, -0.3, 0.6, -0.6, 1, -1, 2.5, -2.5,
      4, -4, 5.5, -5.5, 9, -9, 12, -12, 20, -20, 50, -50, 90, -90, 1e30, -1e30, 3e38, -3e38];
    const n = special.length;
    for (const activation of ACTIVATIONS) {
      for (const m of [1, 9]) {
        // a: [m, 1] rows of ones; b: [1, n] the values; K = 1, so each output is exactly 1 · value.
        const a = { values: new Float32Array(m).fill(1), shape: [1, m, 1] };
        const b = { values: Float32Array.from(special), shape: [1, 1, n] };
        const { got, want } = await compute({ batchA: 1, batchB: 1, m, n, k: 1, transposeA: false, transposeB: false, activation }, a, b);
        expectClose(got, want, activation, 1e-6);
        // Small results keep their relative accuracy (expm1 and erfc avoid the cancellation of
        // exp(x) - 1 and 1 + erf(x)); results below the normal f32 range may flush to 0.
        for (let i = 0; i < want.length; i++) {
          const w = want[i]!;
          if (Math.abs(w) > 1e-30 && Math.abs(w) < 1) {
            expect(Math.abs(got[i]! - w), `${activation}(${special[i % n]}) = ${got[i]}, expected ${w}`).to.be.at.most(2e-6 * Math.abs(w));
          }
        }
        for (let i = 0; i < want.length; i++) {
          if (Object.is(want[i], -0)) expect(Object.is(got[i], -0), `${activation}: ${special[i % n]} gives -0`).to.equal(true);
          if (Object.is(want[i], 0)) expect(Object.is(got[i], 0), `${activation}: ${special[i % n]} gives +0`).to.equal(true);
        }
      }
    }
  });

  it('lets NaN and Infinity flow through the sums', async () => {
    const a = { values: Float32Array.from([NaN, 1, 2, 3, Infinity, 0, -Infinity, 1]), shape: [1, 4, 2] };
    const b = { values: Float32Array.from([1, 0, 2, 0, 1, 3]), shape: [1, 2, 3] };
    for (const m of [4]) {
      const { got, want } = await compute({ batchA: 1, batchB: 1, m, n: 3, k: 2, transposeA: false, transposeB: false }, a, b);
      expectClose(got, want, 'nan-inf');
    }
    // A tiled shape (9 rows, 9 columns) with Infinity in one row of a.
    const av = randomValues(9 * 12, 3), bv = randomValues(12 * 9, 4);
    av[12 * 4 + 5] = Infinity;
    bv[9 * 7 + 2] = NaN;
    const { got, want } = await compute({ batchA: 1, batchB: 1, m: 9, n: 9, k: 12, transposeA: false, transposeB: false },
      { values: av, shape: [1, 9, 12] }, { values: bv, shape: [1, 12, 9] });
    expectClose(got, want, 'nan-inf tiled');
  });

  it('reads int32 operands as numbers, as the CPU engine does', async () => {
    const ints = (n: number, seed: number) => Int32Array.from(randomValues(n, seed), (v) => Math.round(v * 10));
    for (const [m, n, k] of [[13, 17, 9], [2, 30, 12], [30, 3, 12], [16, 16, 16]]) {
      const a = { values: ints(m! * k!, 1), shape: [1, m!, k!], dtype: 'int32' as const };
      const b = { values: ints(k! * n!, 2), shape: [1, k!, n!], dtype: 'int32' as const };
      const { got, want } = await compute({ batchA: 1, batchB: 1, m: m!, n: n!, k: k!, transposeA: false, transposeB: false }, a, b);
      expectClose(got, want, `int32 ${m}x${n}x${k}`);
    }
  });

  it('spreads more than 65535 workgroups over two dispatch dimensions', async () => {
    await check({ batchA: 70_000, batchB: 1, m: 1, n: 2, k: 3, transposeA: true, transposeB: false });
    await check({ batchA: 1, batchB: 66_000, m: 9, n: 9, k: 2, transposeA: false, transposeB: false });
  });

  it('returns buffers: live memory is back to where it started', async () => {
    const before = gpu.memory().numBuffers;
    await check({ batchA: 2, batchB: 1, m: 33, n: 65, k: 17, transposeA: false, transposeB: false, bias: { values: randomValues(65, 1), shape: [65] }, activation: 'gelu' });
    expect(gpu.memory().numBuffers).to.equal(before);
  });
});

import { expect } from 'chai';
import type { TensorInfo } from '@strata/engine-api';
import { matmul } from '../src/kernels/matmul.js';
import { gemmParallelStats } from '../src/kernels/gemm-parallel.js';
import { gemmWorkerCount, gemmWorkersReady, shutdownGemmWorkers } from '../src/kernels/gemm-worker-pool.js';
import { randomValues, tensor } from './fast-kernel-helpers.js';

/** Compares against a float64 reference computed on sampled entries (full references are slow here). */
function checkSampled(
  got: Float32Array, av: Float32Array, bv: Float32Array, batchA: number, batchB: number,
  m: number, n: number, k: number, ta: boolean, tb: boolean,
): void {
  const batch = Math.max(batchA, batchB);
  for (let sample = 0; sample < 400; sample++) {
    const t = sample % batch, i = (sample * 7919) % m, j = (sample * 104729) % n;
    const ao = batchA === 1 ? 0 : t * m * k, bo = batchB === 1 ? 0 : t * k * n;
    let s = 0;
    for (let p = 0; p < k; p++) {
      s += av[ao + (ta ? p * m + i : i * k + p)]! * bv[bo + (tb ? j * k + p : p * n + j)]!;
    }
    const v = got[(t * m + i) * n + j]!;
    if (Math.abs(v - s) > 1e-4 * Math.max(1, Math.abs(s))) expect.fail(`(${t}, ${i}, ${j}): got ${v}, expected ${s}`);
  }
}

function run(batchA: number, batchB: number, m: number, n: number, k: number, ta: boolean, tb: boolean, seed: number) {
  const av = randomValues(batchA * m * k, seed), bv = randomValues(batchB * k * n, seed + 1);
  const got = matmul(
    tensor(av, ta ? [batchA, k, m] : [batchA, m, k]), tensor(bv, tb ? [batchB, n, k] : [batchB, k, n]),
    ta, tb, { shape: [Math.max(batchA, batchB), m, n], dtype: 'float32' },
  ).values as Float32Array;
  checkSampled(got, av, bv, batchA, batchB, m, n, k, ta, tb);
}

describe('fast kernels: matmul on the worker pool', () => {
  before(async () => {
    await gemmWorkersReady();
  });

  it('splits large products by rows and by columns, all transposes, and gets them right', () => {
    const before = gemmParallelStats();
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      run(1, 1, 257, 190, 301, ta, tb, 11);
      run(1, 1, 37, 1001, 129, ta, tb, 12);
    }
    run(3, 1, 130, 140, 150, false, true, 13);
    run(1, 3, 130, 140, 150, true, false, 14);
    const after = gemmParallelStats();
    if (gemmWorkerCount() > 0) {
      expect(after.parallelProducts).to.be.greaterThan(before.parallelProducts);
    }
  });

  it('has the workers compute part of the product when the machine has more than one core', function () {
    if (gemmWorkerCount() === 0) {
      console.log('      skipped: no GEMM worker threads here (one core, or Node without process.getBuiltinModule)');
      this.skip();
    }
    const before = gemmParallelStats().workerChunks;
    for (let attempt = 0; attempt < 10 && gemmParallelStats().workerChunks === before; attempt++) {
      run(1, 1, 512, 512, 512, false, false, 20 + attempt);
    }
    expect(gemmParallelStats().workerChunks).to.be.greaterThan(before);
  });

  it('keeps working across a shutdown (the pool restarts on demand)', async () => {
    shutdownGemmWorkers();
    run(1, 1, 200, 200, 200, false, false, 30);
    await gemmWorkersReady();
    run(1, 1, 200, 200, 200, true, true, 31);
  });
});

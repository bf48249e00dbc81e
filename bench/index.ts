/**
 * Kernel bench: Strata's CPU kernels against tfjs-backend-cpu in one process, same inputs.
 * Run with `pnpm bench` at the repository root. A script, not a test: it asserts nothing.
 */
import { loadavg } from 'node:os';
import { gemmParallelStats } from '../packages/engine-cpu/src/kernels/gemm-parallel.js';
import { gemmWorkerCount, gemmWorkersReady } from '../packages/engine-cpu/src/kernels/gemm-worker-pool.js';
import { benchConv, type ConvCase } from './conv-bench.js';
import { benchMatmul } from './matmul-bench.js';
import { benchOtherKernels } from './other-bench.js';
import { renderTable } from './table.js';
import { benchTraining } from './training-bench.js';
import { loadTfjsCpu } from './tfjs.js';

const CONV_CASES: ConvCase[] = [
  { label: 'conv2d 8x28x28x32 3x3 -> 64', batch: 8, size: 28, inC: 32, outC: 64, kernel: 3 },
  { label: 'conv2d 1x56x56x64 3x3 -> 64', batch: 1, size: 56, inC: 64, outC: 64, kernel: 3 },
];

const tf = await loadTfjsCpu();
// Let the GEMM workers finish starting, so every timed call sees the same thread count.
await gemmWorkersReady();
const loadBefore = loadavg()[0]!.toFixed(2);
const started = performance.now();

const rows: string[][] = [];
for (const size of [256, 512, 1024]) {
  const r = benchMatmul(tf, size);
  const flops = 2 * size ** 3;
  rows.push([
    `matmul ${size}x${size}x${size}`, (flops / r.strataGflops / 1e6).toFixed(1), (flops / r.tfjsGflops / 1e6).toFixed(1),
    r.strataGflops.toFixed(2), r.tfjsGflops.toFixed(2), `${(r.strataGflops / r.tfjsGflops).toFixed(1)}x`,
  ]);
}
for (const c of CONV_CASES) {
  const r = benchConv(tf, c);
  rows.push([
    c.label, r.strataMs.toFixed(1), r.tfjsMs.toFixed(1),
    r.strataGflops.toFixed(2), r.tfjsGflops.toFixed(2), `${(r.tfjsMs / r.strataMs).toFixed(1)}x`,
  ]);
}
for (const r of benchOtherKernels(tf)) {
  rows.push([r.label, r.strataMs.toFixed(1), r.tfjsMs.toFixed(1), '-', '-', `${(r.tfjsMs / r.strataMs).toFixed(1)}x`]);
}

console.log(renderTable(['kernel', 'strata ms', 'tfjs ms', 'strata GFLOP/s', 'tfjs GFLOP/s', 'speedup'], rows));

// Training through the layers API (strata vs tfjs-layers on the cpu backend), same weights and data.
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const trainingRows = (await benchTraining(tf)).map((r) => [r.label, r.unit, fmt(r.strata), fmt(r.tfjs), `${r.ratio.toFixed(1)}x`, r.note]);
console.log('');
console.log(renderTable(['training (layers API)', 'unit', 'strata', 'tfjs', 'speedup', 'note'], trainingRows));
const { workerChunks } = gemmParallelStats();
const workers = gemmWorkerCount();
console.log(workers === 0
  ? '\nStrata GEMM ran on one thread (STRATA_CPU_THREADS=1 or no worker threads available).'
  : `\nStrata GEMM ran on ${workers + 1} threads (main + ${workers} worker; ${workerChunks} chunks ran on workers). ` +
    'Set STRATA_CPU_THREADS=1 for one thread.');
console.log(
  `Median of several interleaved runs after warm-up; ${((performance.now() - started) / 1000).toFixed(1)} s in all. ` +
  `Load average before the run: ${loadBefore} (other processes on the machine skew the absolute numbers).`,
);

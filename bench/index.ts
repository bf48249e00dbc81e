/**
 * Kernel bench: Strata's CPU kernels against tfjs-backend-cpu, then Strata's WebGPU engine against
 * tfjs-backend-webgpu on the same adapter, in one process, same inputs. A script, not a test: it
 * asserts nothing. Run at the repository root:
 *
 *   pnpm bench            CPU tables, then the WebGPU tables
 *   pnpm bench cpu        CPU tables only (a few minutes on a 2-core machine)
 *   pnpm bench webgpu     WebGPU tables only
 *
 * STRATA_BENCH_WEBGPU=0 skips the WebGPU part of a plain `pnpm bench`.
 */
import { loadavg } from 'node:os';
import { gemmParallelStats } from '../packages/engine-cpu/src/kernels/gemm-parallel.js';
import { gemmWorkerCount, gemmWorkersReady } from '../packages/engine-cpu/src/kernels/gemm-worker-pool.js';
import { benchConv, type ConvCase } from './conv-bench.js';
import { benchMatmul } from './matmul-bench.js';
import { benchOtherKernels } from './other-bench.js';
import { renderTable } from './table.js';
import { benchTraining, type TrainingRow } from './training-bench.js';
import { loadTfjsCpu } from './tfjs.js';
import { benchWebGpuMatmul, benchWebGpuTraining, startWebGpu } from './webgpu-bench.js';

const CONV_CASES: ConvCase[] = [
  { label: 'conv2d 8x28x28x32 3x3 -> 64', batch: 8, size: 28, inC: 32, outC: 64, kernel: 3 },
  { label: 'conv2d 1x56x56x64 3x3 -> 64', batch: 1, size: 56, inC: 64, outC: 64, kernel: 3 },
];

const part = process.argv[2] ?? 'all';
if (!['all', 'cpu', 'webgpu'].includes(part)) {
  console.error(`pnpm bench: unknown part "${part}"; use \`pnpm bench\`, \`pnpm bench cpu\` or \`pnpm bench webgpu\`.`);
  process.exit(2);
}

const tf = await loadTfjsCpu();
const loadBefore = loadavg()[0]!.toFixed(2);
const started = performance.now();
/** Figures up to 100 keep a decimal or two; NaN (a library that could not run the row) prints as '-'. */
const fmt = (v: number) => (Number.isNaN(v) ? '-' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)}x` : '-');
const trainingRows = (rows: TrainingRow[]) => rows.map((r) => [r.label, r.unit, fmt(r.strata), fmt(r.tfjs), ratio(r.ratio), r.note]);

let measured = false;
if (part !== 'webgpu') measured = await runCpu();
if (part !== 'cpu') measured = (await runWebGpu()) || measured;
if (measured) console.log(
  `Median of several interleaved runs after warm-up; ${((performance.now() - started) / 1000).toFixed(1)} s in all. ` +
  `Load average before the run: ${loadBefore} (other processes on the machine skew the absolute numbers).`,
);

/** The CPU tables; true once printed. */
async function runCpu(): Promise<boolean> {
  // Let the GEMM workers finish starting, so every timed call sees the same thread count.
  await gemmWorkersReady();
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
  console.log('');
  console.log(renderTable(['training (layers API)', 'unit', 'strata', 'tfjs', 'speedup', 'note'], trainingRows(await benchTraining(tf))));
  const { workerChunks } = gemmParallelStats();
  const workers = gemmWorkerCount();
  console.log(workers === 0
    ? '\nStrata GEMM ran on one thread (STRATA_CPU_THREADS=1 or no worker threads available).'
    : `\nStrata GEMM ran on ${workers + 1} threads (main + ${workers} worker; ${workerChunks} chunks ran on workers). ` +
      'Set STRATA_CPU_THREADS=1 for one thread.');
  return true;
}

/** The WebGPU tables; false when the part was skipped (the reason is printed). */
async function runWebGpu(): Promise<boolean> {
  console.log(`\n== WebGPU: Strata's webgpu engine vs @tensorflow/tfjs-backend-webgpu, same adapter ==`);
  const session = await startWebGpu(tf);
  if (typeof session === 'string') {
    console.log(`WebGPU part skipped: ${session}`);
    return false;
  }
  console.log(`Adapter: ${session.adapter}${session.tfjs ? ` (${session.tfjs.featureLevel} feature level), shared by both` : ''}.`);
  if (session.tfjsError) console.log(`tfjs-backend-webgpu: ${session.tfjsError}. Strata's figures only.`);

  // Small shapes: software WebGPU (llvmpipe) does a few GFLOP/s. The last one is the MLP's first layer.
  const shapes: [number, number, number, string?][] = [
    [128, 128, 128], [256, 256, 256], [512, 512, 512], [128, 784, 256, 'matmul 128x784x256 (MLP layer 1)'],
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const [m, k, n, label] of shapes) {
    const r = await benchWebGpuMatmul(session, m, k, n, label);
    const g = (ms: number) => r.flops / ms / 1e6;
    rows.push([r.label, fmt(r.strataMs), fmt(r.tfjsMs), fmt(g(r.strataMs)), fmt(g(r.tfjsMs)), ratio(r.tfjsMs / r.strataMs)]);
    if (r.error) notes.push(`${r.label}: ${r.error}`);
    else if (r.relativeDiff > 1e-4) notes.push(`${r.label}: strata and tfjs products differ (max |diff| ${r.relativeDiff.toExponential(1)} of the largest value)`);
  }
  console.log(renderTable(['kernel (webgpu)', 'strata ms', 'tfjs ms', 'strata GFLOP/s', 'tfjs GFLOP/s', 'speedup'], rows));
  for (const note of notes) console.log(`  ${note}`);

  console.log('');
  console.log(renderTable(['training (layers API, webgpu)', 'unit', 'strata', 'tfjs', 'speedup', 'note'], trainingRows(await benchWebGpuTraining(session))));
  if (session.tfjs) {
    const limits = Object.entries(session.tfjs.requestedLimits).map(([k, v]) => `${k}=${v}`).join(', ');
    const defaults = Object.entries(session.tfjs.defaultedLimits).map(([k, v]) => `${k}=${v}`).join(', ');
    console.log(`\nEach figure: N queued calls plus one read-back at the end. tfjs-backend-webgpu asked for ${limits}` +
      `${session.tfjs.requestedFeatures.length ? ` and features ${session.tfjs.requestedFeatures.join(', ')}` : ''}; left at defaults: ${defaults}.`);
  }
  return true;
}

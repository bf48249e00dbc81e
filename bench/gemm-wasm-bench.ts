/**
 * GEMM throughput of the CPU engine's packed, blocked GEMM (`gemm` in gemm-core.ts) for square
 * sgemm 256/512/1024, WebAssembly SIMD micro-kernel against the pure-TS one. Each variant runs in
 * its own process (the kernel choice is fixed at load time by `STRATA_CPU_WASM`). A script, not a
 * test. At the repository root:
 *
 *   node --conditions=strata-source --import tsx bench/gemm-wasm-bench.ts
 *
 * STRATA_CPU_THREADS=1 measures a single thread.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gemm } from '../packages/engine-cpu/src/kernels/gemm-core.js';
import { gemmWasmAvailable } from '../packages/engine-cpu/src/kernels/gemm-wasm.js';
import { gemmWorkersReady } from '../packages/engine-cpu/src/kernels/gemm-worker-pool.js';

const SIZES = [256, 512, 1024];

if (process.argv[2] === '--child') {
  await gemmWorkersReady();
  const out: number[] = [];
  for (const size of SIZES) {
    const a = { data: new Float32Array(size * size).map(() => Math.random() - 0.5), offset: 0, rowStride: size, colStride: 1 };
    const b = { data: new Float32Array(size * size).map(() => Math.random() - 0.5), offset: 0, rowStride: size, colStride: 1 };
    const c = new Float32Array(size * size);
    const run = () => gemm(size, size, size, a, b, c, 0, size, false);
    for (let i = 0; i < 3; i++) run();
    const times: number[] = [];
    const reps = Math.max(5, Math.round(2e9 / size ** 3));
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      run();
      times.push(performance.now() - t);
    }
    times.sort((x, y) => x - y);
    out.push((2 * size ** 3) / times[Math.floor(times.length / 2)]! / 1e6);
  }
  console.log(JSON.stringify({ wasm: gemmWasmAvailable(), gflops: out }));
} else {
  const self = fileURLToPath(import.meta.url);
  const measure = (wasm: string) => JSON.parse(execFileSync(
    process.execPath, [...process.execArgv, self, '--child'],
    { env: { ...process.env, STRATA_CPU_WASM: wasm }, encoding: 'utf8' },
  ).trim().split('\n').pop()!) as { wasm: boolean; gflops: number[] };
  const ts = measure('0'), wasm = measure('1');
  console.log(`threads: ${process.env['STRATA_CPU_THREADS'] ?? 'auto'}; wasm kernel available: ${wasm.wasm}`);
  console.log('size   TS GFLOP/s   WASM GFLOP/s   speed-up');
  SIZES.forEach((size, i) => {
    const t = ts.gflops[i]!, w = wasm.gflops[i]!;
    console.log(`${String(size).padEnd(6)} ${t.toFixed(2).padStart(11)} ${w.toFixed(2).padStart(14)} ${(w / t).toFixed(1).padStart(9)}x`);
  });
}

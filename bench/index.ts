/**
 * Kernel bench: Strata's CPU kernels against tfjs-backend-cpu in one process, same inputs.
 * Run with `pnpm bench` at the repository root. A script, not a test: it asserts nothing.
 */
import { benchConv, type ConvCase } from './conv-bench.js';
import { benchMatmul } from './matmul-bench.js';
import { renderTable } from './table.js';
import { loadTfjsCpu } from './tfjs.js';

const CONV_CASES: ConvCase[] = [
  { label: 'conv 8x28x28x32 -> 3x3x64', batch: 8, size: 28, inC: 32, outC: 64, kernel: 3 },
  { label: 'conv 1x56x56x64 -> 3x3x64', batch: 1, size: 56, inC: 64, outC: 64, kernel: 3 },
];

const tf = await loadTfjsCpu();
const started = performance.now();

const rows: string[][] = [];
for (const size of [256, 512, 1024]) {
  const r = benchMatmul(tf, size);
  rows.push([
    `matmul ${size}x${size}x${size}`, '-', '-',
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

console.log(renderTable(
  ['kernel', 'strata ms', 'tfjs ms', 'strata GFLOP/s', 'tfjs GFLOP/s', 'speedup'],
  rows,
));
console.log(`\n(median of several runs after warm-up; total ${((performance.now() - started) / 1000).toFixed(1)} s)`);

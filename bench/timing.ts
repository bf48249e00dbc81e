/** What one timed kernel produced: median milliseconds per call over the timed runs. */
export interface Timing {
  medianMs: number;
  runs: number;
}

/**
 * Times two implementations of the same work with their timed calls interleaved (a, b, a, b...),
 * so load from other processes on a shared machine hits both alike and their ratio stays fair.
 *
 * @example
 * const [strata, tfjs] = timePairMedian(runStrata, runTfjs, { warmup: 1, runs: 5 });
 */
export function timePairMedian(
  a: () => void, b: () => void, options: { warmup: number; runs: number },
): [Timing, Timing] {
  for (let i = 0; i < options.warmup; i++) {
    a();
    b();
  }
  const samplesA: number[] = [], samplesB: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    samplesA.push(timeOnce(a));
    samplesB.push(timeOnce(b));
  }
  return [{ medianMs: median(samplesA), runs: options.runs }, { medianMs: median(samplesB), runs: options.runs }];
}

function timeOnce(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Uniform values in [-1, 1) from a fixed seed, so both libraries see identical inputs.
 *
 * @example
 * const xs = seededValues(1024, 7);
 */
export function seededValues(size: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/**
 * GFLOP/s for `flops` floating-point operations done in `ms` milliseconds.
 *
 * @example
 * gflops(2 * 1024 ** 3, 500); // ≈ 4.29
 */
export function gflops(flops: number, ms: number): number {
  return flops / ms / 1e6;
}

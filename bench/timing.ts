/** What one timed kernel produced: median milliseconds per call over the timed runs. */
export interface Timing {
  medianMs: number;
  runs: number;
}

/**
 * Times `fn` after `warmup` untimed calls, `runs` timed calls, and returns the median; the median
 * rather than the mean because the bench machine is shared and single runs can be disturbed.
 *
 * @example
 * const t = timeMedian(() => kernel(), { warmup: 1, runs: 5 });
 */
export function timeMedian(fn: () => void, options: { warmup: number; runs: number }): Timing {
  for (let i = 0; i < options.warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((x, y) => x - y);
  const mid = samples.length >> 1;
  const medianMs = samples.length % 2 === 1 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { medianMs, runs: options.runs };
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

// Two interleaved half-moons with Gaussian noise: a 2-D task a linear model cannot solve (about
// 85% at best) and a small MLP can (over 95%), drawn from a seeded generator so every run and
// every engine sees the same points.
import { normal, rng } from '../shared/random.js';

/** Points `[n, 2]` (row-major) and their labels `[n]` (0: upper moon, 1: lower moon). */
export interface Moons {
  points: Float32Array;
  labels: Float32Array;
}

/**
 * Samples `n` points of the two-moons data set, half from each moon.
 *
 * @example
 * const { points, labels } = twoMoons(256, 0.1, 1);
 * st.tensor(points, [256, 2]);
 */
export function twoMoons(n: number, noise: number, seed: number): Moons {
  const next = rng(seed);
  const gauss = normal(next);
  const points = new Float32Array(n * 2);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const angle = Math.PI * next();
    // The lower moon is the upper one turned over and shifted right, so the two interlock.
    const x = label === 0 ? Math.cos(angle) : 1 - Math.cos(angle);
    const y = label === 0 ? Math.sin(angle) : 0.5 - Math.sin(angle);
    // Centred near 0 so tanh units start in their steep range.
    points[i * 2] = x - 0.5 + noise * gauss();
    points[i * 2 + 1] = y - 0.25 + noise * gauss();
    labels[i] = label;
  }
  return { points, labels };
}

import type {
  AdagradUpdate, AdamUpdate, OptimizerUpdate, RmspropUpdate, SgdUpdate, TensorInfo,
} from '@strata/engine-api';
import { valuesOf } from '../buffer.js';

// In-place optimizer steps: one loop per rule that reads the variable, the gradient and the slots
// once and writes the variable and the slots back into their own arrays. Each slot value is rounded
// to float32 (`fround`) before it feeds the rest of the step, because that rounded value is what the
// slot holds and what core's decomposition (one float32 tensor per step) goes on with; the
// arithmetic keeps the decomposition's order, so the two agree to a float32 rounding or two.

const f32 = Math.fround;

/**
 * Applies one optimizer step to `variable` and its `slots`, writing both in place (core has made
 * every written buffer exclusive and checked shapes and slot counts).
 *
 * @example
 * optimizerUpdate({ kind: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false }, w, g, []);
 * // w's own Float32Array now holds w - 0.1 * g
 */
export function optimizerUpdate(update: OptimizerUpdate, variable: TensorInfo, gradient: TensorInfo, slots: readonly TensorInfo[]): void {
  const w = valuesOf(variable) as Float32Array;
  const g = valuesOf(gradient) as Float32Array;
  const s = slots.map((t) => valuesOf(t) as Float32Array);
  switch (update.kind) {
    case 'sgd':
      return sgd(update, w, g, s);
    case 'adam':
      return adam(update, w, g, s);
    case 'rmsprop':
      return rmsprop(update, w, g, s);
    case 'adagrad':
      return adagrad(update, w, g, s);
  }
}

function sgd({ learningRate: lr, momentum, nesterov }: SgdUpdate, w: Float32Array, g: Float32Array, [m]: Float32Array[]): void {
  const n = w.length;
  if (momentum === 0 || !m) {
    for (let i = 0; i < n; i++) w[i] = w[i]! - g[i]! * lr;
    return;
  }
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = f32(m[i]! * momentum - gi * lr);
    m[i] = mi;
    w[i] = w[i]! + (nesterov ? mi * momentum - gi * lr : mi);
  }
}

function adam({ alpha, beta1, beta2, epsilon, amsgrad }: AdamUpdate, w: Float32Array, g: Float32Array, [m, v, vHat]: Float32Array[]): void {
  const n = w.length;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mPrev = m![i]!;
    const vPrev = v![i]!;
    const mi = f32(mPrev + (gi - mPrev) * c1);
    let vi = f32(vPrev + (f32(gi * gi) - vPrev) * c2);
    m![i] = mi;
    v![i] = vi;
    if (amsgrad) {
      const h = vHat![i]!;
      // NaN wins, as in core's `maximum`.
      if (h > vi || h !== h) vi = h;
      vHat![i] = vi;
    }
    w[i] = w[i]! - (mi * alpha) / (Math.sqrt(vi) + epsilon);
  }
}

function rmsprop({ learningRate: lr, rho, momentum, epsilon, centered }: RmspropUpdate, w: Float32Array, g: Float32Array, s: Float32Array[]): void {
  const n = w.length;
  const v = s[0]!;
  const mom = momentum > 0 ? s[1]! : null;
  const avg = centered ? s[momentum > 0 ? 2 : 1]! : null;
  const c = 1 - rho;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const vi = f32(v[i]! * rho + f32(gi * gi) * c);
    v[i] = vi;
    let denominator: number;
    if (avg) {
      const ai = f32(avg[i]! * rho + gi * c);
      avg[i] = ai;
      denominator = vi - f32(ai * ai) + epsilon;
    } else {
      denominator = vi + epsilon;
    }
    const increment = (gi * lr) / Math.sqrt(denominator);
    if (mom) {
      const mi = f32(mom[i]! * momentum + increment);
      mom[i] = mi;
      w[i] = w[i]! - mi;
    } else {
      w[i] = w[i]! - increment;
    }
  }
}

function adagrad({ learningRate: lr, epsilon }: AdagradUpdate, w: Float32Array, g: Float32Array, [acc]: Float32Array[]): void {
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const ai = f32(acc![i]! + f32(gi * gi));
    acc![i] = ai;
    w[i] = w[i]! - (gi * lr) / Math.sqrt(ai + epsilon);
  }
}

import type { OptimizerUpdate } from '@strata/core';

// Float64 reference loops of the optimizer update rules, written from the formulas (Keras 3's, as
// `OptimizerUpdate` documents them) without any of Strata's ops, so the conformance cases can
// check an engine's kernel and core's decomposition against something independent of both.

/** A variable and its slots as plain float64 arrays, updated in place by `referenceStep`. */
export interface ReferenceState {
  w: number[];
  slots: number[][];
}

/**
 * Applies one update to `state` in float64, elementwise.
 *
 * @example
 * referenceStep({ kind: 'adagrad', learningRate: 0.1, epsilon: 1e-7 }, { w: [1], slots: [[0.1]] }, [0.5]);
 */
export function referenceStep(update: OptimizerUpdate, state: ReferenceState, g: ArrayLike<number>): void {
  const { w, slots } = state;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    switch (update.kind) {
      case 'sgd': {
        if (update.momentum === 0) {
          w[i] = w[i]! - update.learningRate * gi;
          break;
        }
        const m = slots[0]!;
        m[i] = update.momentum * m[i]! - update.learningRate * gi;
        w[i] = w[i]! + (update.nesterov ? update.momentum * m[i]! - update.learningRate * gi : m[i]!);
        break;
      }
      case 'adam': {
        const [m, v, vHat] = slots as [number[], number[], number[] | undefined];
        m[i] = update.beta1 * m[i]! + (1 - update.beta1) * gi;
        v[i] = update.beta2 * v[i]! + (1 - update.beta2) * gi * gi;
        let second = v[i]!;
        if (update.amsgrad) {
          vHat![i] = Math.max(vHat![i]!, v[i]!);
          second = vHat![i]!;
        }
        w[i] = w[i]! - (update.alpha * m[i]!) / (Math.sqrt(second) + update.epsilon);
        break;
      }
      case 'rmsprop': {
        const v = slots[0]!;
        const mom = update.momentum > 0 ? slots[1]! : null;
        const a = update.centered ? slots[update.momentum > 0 ? 2 : 1]! : null;
        v[i] = update.rho * v[i]! + (1 - update.rho) * gi * gi;
        let d = v[i]! + update.epsilon;
        if (a) {
          a[i] = update.rho * a[i]! + (1 - update.rho) * gi;
          d = v[i]! - a[i]! * a[i]! + update.epsilon;
        }
        const inc = (update.learningRate * gi) / Math.sqrt(d);
        if (mom) {
          mom[i] = update.momentum * mom[i]! + inc;
          w[i] = w[i]! - mom[i]!;
        } else {
          w[i] = w[i]! - inc;
        }
        break;
      }
      case 'adagrad': {
        const acc = slots[0]!;
        acc[i] = acc[i]! + gi * gi;
        w[i] = w[i]! - (update.learningRate * gi) / Math.sqrt(acc[i]! + update.epsilon);
        break;
      }
    }
  }
}

/**
 * Keras's bias-corrected Adam rate at step `t` (1 for the first update).
 *
 * @example
 * adamAlpha(1e-3, 0.9, 0.999, 1); // 1e-3 * sqrt(0.001) / 0.1
 */
export function adamAlpha(lr: number, beta1: number, beta2: number, t: number): number {
  return (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
}

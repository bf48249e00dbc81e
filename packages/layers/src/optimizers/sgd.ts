import { optimizerUpdate, type Tensor, type Variable } from '@strata/core';
import { checkBoolean, checkNumber } from './check.js';
import { Optimizer, type OptimizerOptions, type SlotSpec, type Slots } from './optimizer.js';

/** Options of {@link SGD}. */
export interface SGDOptions extends OptimizerOptions {
  /** Default 0.01. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Velocity decay in [0, 1]; 0 is plain gradient descent. Default 0. */
  momentum?: number;
  /** Use Nesterov momentum. Default false. */
  nesterov?: boolean;
}

/**
 * Gradient descent with optional (Nesterov) momentum, as Keras 3's `SGD`. With learning rate `lr`:
 *
 * - `momentum = 0`: `w -= lr * g`
 * - otherwise: `velocity = momentum * velocity - lr * g`, then `w += velocity`, or with `nesterov`,
 *   `w += momentum * velocity - lr * g`.
 *
 * TF.js's `MomentumOptimizer` accumulates `g` and multiplies by the rate afterwards
 * (`acc = momentum * acc + g; w -= lr * acc`); the two agree while the rate is constant and
 * differ once a schedule changes it. We follow Keras.
 *
 * Slot: `momentum` (only when `momentum > 0`).
 *
 * @example
 * const opt = optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer {
  static readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    const o = options ?? {};
    super({ learningRate: 0.01, name: 'SGD' }, o);
    this.momentum = checkNumber(this.className, 'momentum', o.momentum ?? 0, { min: 0, max: 1 }, 0.9);
    this.nesterov = checkBoolean(this.className, 'nesterov', o.nesterov ?? false);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return this.momentum > 0 ? [{ name: 'momentum', initialValue: 0 }] : [];
  }

  /** Core's `sgd` update: one in-place kernel on engines that have it. */
  protected updateStep(variable: Variable, gradient: Tensor, lr: number, slots: Slots): void {
    const update = { kind: 'sgd', learningRate: lr, momentum: this.momentum, nesterov: this.nesterov } as const;
    optimizerUpdate(update, variable, gradient, this.momentum > 0 ? [slots.momentum!] : []);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

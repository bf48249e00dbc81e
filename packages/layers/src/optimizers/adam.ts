import { optimizerUpdate, type Tensor, type Variable } from '@strata/core';
import { checkBoolean, checkNumber } from './check.js';
import { Optimizer, type OptimizerOptions, type SlotSpec, type Slots } from './optimizer.js';

/** Options of {@link Adam}. */
export interface AdamOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first-moment estimate, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Keras's "epsilon hat", added to `sqrt(v)`. Default 1e-7. */
  epsilon?: number;
  /** Use the AMSGrad variant (the running maximum of `v`). Default false. */
  amsgrad?: boolean;
}

/**
 * Adam, as Keras 3's `Adam`. At step `t` (1 for the first update) with learning rate `lr`:
 *
 * ```
 * alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 * m += (g - m) * (1 - beta1)
 * v += (g^2 - v) * (1 - beta2)
 * vHat = max(vHat, v)                 (amsgrad only; vHat replaces v below)
 * w -= alpha * m / (sqrt(v) + epsilon)
 * ```
 *
 * TF.js's `AdamOptimizer` adds epsilon to the bias-corrected `sqrt(v / (1 - beta2^t))` instead, so
 * the two differ by a term of the order of epsilon; we follow Keras. The bias corrections are
 * computed on the host in float64 since they depend only on `t`.
 *
 * Slots: `momentum`, `velocity`, and `velocity_hat` with `amsgrad`.
 *
 * @example
 * const opt = optimizers.adam({ learningRate: 1e-3, amsgrad: true });
 */
export class Adam extends Optimizer {
  static readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(options: AdamOptions = {}) {
    const o = options ?? {};
    super({ learningRate: 0.001, name: 'adam' }, o);
    this.beta1 = checkNumber(this.className, 'beta1', o.beta1 ?? 0.9, { min: 0, max: 1, maxOpen: true }, 0.9);
    this.beta2 = checkNumber(this.className, 'beta2', o.beta2 ?? 0.999, { min: 0, max: 1, maxOpen: true }, 0.999);
    this.epsilon = checkNumber(this.className, 'epsilon', o.epsilon ?? 1e-7, { min: 0 }, 1e-7);
    this.amsgrad = checkBoolean(this.className, 'amsgrad', o.amsgrad ?? false);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    const specs = [
      { name: 'momentum', initialValue: 0 },
      { name: 'velocity', initialValue: 0 },
    ];
    return this.amsgrad ? [...specs, { name: 'velocity_hat', initialValue: 0 }] : specs;
  }

  /** Core's `adam` update (one in-place kernel on engines that have it); AdamW's too. */
  protected updateStep(variable: Variable, gradient: Tensor, lr: number, slots: Slots, step: number): void {
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    const update = { kind: 'adam', alpha, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad } as const;
    const moments = [slots.momentum!, slots.velocity!];
    optimizerUpdate(update, variable, gradient, this.amsgrad ? [...moments, slots.velocity_hat!] : moments);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

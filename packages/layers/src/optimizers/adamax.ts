import { abs, add, div, maximum, mul, sub, type Tensor, type Variable } from '@strata/core';
import { checkNumber } from './check.js';
import { Optimizer, type OptimizerOptions, type SlotSpec, type Slots } from './optimizer.js';

/** Options of {@link Adamax}. */
export interface AdamaxOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first-moment estimate, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the norm. Default 1e-7. */
  epsilon?: number;
}

/**
 * Adamax (Adam with the infinity norm), as Keras 3's `Adamax`. At step `t` with learning rate `lr`:
 *
 * ```
 * m += (g - m) * (1 - beta1)
 * u = max(beta2 * u, |g|)
 * w -= lr * m / ((1 - beta1^t) * (u + epsilon))
 * ```
 *
 * This is also TF.js's `AdamaxOptimizer` update (without its legacy `decay`).
 *
 * Slots: `momentum`, `norm`.
 *
 * @example
 * const opt = optimizers.adamax({ learningRate: 2e-3 });
 */
export class Adamax extends Optimizer {
  static readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    const o = options ?? {};
    super({ learningRate: 0.001, name: 'adamax' }, o);
    this.beta1 = checkNumber(this.className, 'beta1', o.beta1 ?? 0.9, { min: 0, max: 1, maxOpen: true }, 0.9);
    this.beta2 = checkNumber(this.className, 'beta2', o.beta2 ?? 0.999, { min: 0, max: 1, maxOpen: true }, 0.999);
    this.epsilon = checkNumber(this.className, 'epsilon', o.epsilon ?? 1e-7, { min: 0 }, 1e-7);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [
      { name: 'momentum', initialValue: 0 },
      { name: 'norm', initialValue: 0 },
    ];
  }

  protected updateStep(variable: Variable, gradient: Tensor, lr: number, slots: Slots, step: number): void {
    const m = slots.momentum!;
    const u = slots.norm!;
    m.assign(add(m, mul(sub(gradient, m), 1 - this.beta1)));
    u.assign(maximum(mul(u, this.beta2), abs(gradient)));
    variable.assign(sub(variable, div(mul(m, lr), mul(add(u, this.epsilon), 1 - this.beta1 ** step))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

import { optimizerUpdate, type Tensor, type Variable } from '@strata/core';
import { checkBoolean, checkNumber } from './check.js';
import { Optimizer, type OptimizerOptions, type SlotSpec, type Slots } from './optimizer.js';

/** Options of {@link RMSprop}. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the mean square, in [0, 1]. Default 0.9. */
  rho?: number;
  /** Momentum in [0, 1]; 0 disables it. Default 0. */
  momentum?: number;
  /** Added under the square root. Default 1e-7. */
  epsilon?: number;
  /** Divide by the estimated variance (`v - mean(g)^2`) instead of the mean square. Default false. */
  centered?: boolean;
}

/**
 * RMSprop, as Keras 3's `RMSprop` (plain momentum, not Nesterov). With learning rate `lr`:
 *
 * ```
 * v = rho * v + (1 - rho) * g^2
 * centered:  a = rho * a + (1 - rho) * g;  d = v - a^2 + epsilon
 * otherwise: d = v + epsilon
 * inc = lr * g / sqrt(d)
 * momentum > 0: mom = momentum * mom + inc;  w -= mom
 * otherwise:    w -= inc
 * ```
 *
 * This is also TF.js's `RMSPropOptimizer` update (where `rho` is called `decay`).
 *
 * Slots: `velocity`, then `momentum` (when `momentum > 0`), then `average_gradient` (when centered).
 *
 * @example
 * const opt = optimizers.rmsprop({ learningRate: 1e-3, momentum: 0.9, centered: true });
 */
export class RMSprop extends Optimizer {
  static readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    const o = options ?? {};
    super({ learningRate: 0.001, name: 'rmsprop' }, o);
    this.rho = checkNumber(this.className, 'rho', o.rho ?? 0.9, { min: 0, max: 1 }, 0.9);
    this.momentum = checkNumber(this.className, 'momentum', o.momentum ?? 0, { min: 0, max: 1 }, 0.9);
    this.epsilon = checkNumber(this.className, 'epsilon', o.epsilon ?? 1e-7, { min: 0 }, 1e-7);
    this.centered = checkBoolean(this.className, 'centered', o.centered ?? false);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    const specs: SlotSpec[] = [{ name: 'velocity', initialValue: 0 }];
    if (this.momentum > 0) specs.push({ name: 'momentum', initialValue: 0 });
    if (this.centered) specs.push({ name: 'average_gradient', initialValue: 0 });
    return specs;
  }

  /** Core's `rmsprop` update: one in-place kernel on engines that have it. */
  protected updateStep(variable: Variable, gradient: Tensor, lr: number, slots: Slots): void {
    const update = { kind: 'rmsprop', learningRate: lr, rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered } as const;
    // The slot order is `slotSpecs`': velocity, momentum, average_gradient.
    optimizerUpdate(update, variable, gradient, this.slotSpecs().map((spec) => slots[spec.name]!));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

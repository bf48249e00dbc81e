import { add, div, mul, neg, sqrt, square, type Tensor, type Variable } from '@strata/core';
import { checkNumber } from './check.js';
import { Optimizer, type OptimizerOptions, type SlotSpec, type Slots } from './optimizer.js';

/** Options of {@link Adadelta}. */
export interface AdadeltaOptions extends OptimizerOptions {
  /** Default 0.001 (the original paper's form is 1.0). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of both running averages, in [0, 1]. Default 0.95. */
  rho?: number;
  /** Added under both square roots. Default 1e-7. */
  epsilon?: number;
}

/**
 * Adadelta (Zeiler 2012), as Keras 3's `Adadelta`. With `rms(x) = sqrt(x + epsilon)` and learning
 * rate `lr`:
 *
 * ```
 * accGrad = rho * accGrad + (1 - rho) * g^2
 * delta = -rms(accDelta) * g / rms(accGrad)
 * accDelta = rho * accDelta + (1 - rho) * delta^2
 * w += lr * delta
 * ```
 *
 * This is also TF.js's `AdadeltaOptimizer` update.
 *
 * Slots: `accumulated_grad`, `accumulated_delta_var`.
 *
 * @example
 * const opt = optimizers.adadelta({ learningRate: 1.0 });
 */
export class Adadelta extends Optimizer {
  static readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    const o = options ?? {};
    super({ learningRate: 0.001, name: 'adadelta' }, o);
    this.rho = checkNumber(this.className, 'rho', o.rho ?? 0.95, { min: 0, max: 1 }, 0.95);
    this.epsilon = checkNumber(this.className, 'epsilon', o.epsilon ?? 1e-7, { min: 0 }, 1e-7);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [
      { name: 'accumulated_grad', initialValue: 0 },
      { name: 'accumulated_delta_var', initialValue: 0 },
    ];
  }

  protected updateStep(variable: Variable, gradient: Tensor, lr: number, slots: Slots): void {
    const accGrad = slots.accumulated_grad!;
    const accDelta = slots.accumulated_delta_var!;
    accGrad.assign(add(mul(accGrad, this.rho), mul(square(gradient), 1 - this.rho)));
    const delta = neg(div(mul(sqrt(add(accDelta, this.epsilon)), gradient), sqrt(add(accGrad, this.epsilon))));
    accDelta.assign(add(mul(accDelta, this.rho), mul(square(delta), 1 - this.rho)));
    variable.assign(add(variable, mul(delta, lr)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}

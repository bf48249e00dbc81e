import { add, div, mul, sqrt, square, sub, type Tensor, type Variable } from '@strata/core';
import { checkNumber } from './check.js';
import { Optimizer, type OptimizerOptions, type SlotSpec, type Slots } from './optimizer.js';

/** Options of {@link Nadam}. */
export interface NadamOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first-moment estimate, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to `sqrt(vHat)`. Default 1e-7. */
  epsilon?: number;
}

/**
 * Nadam (Adam with Nesterov momentum, Dozat 2015), in Keras 3's momentum-cache formulation. With
 * `mu(k) = beta1 * (1 - 0.5 * 0.96^k)` and `prod(t) = mu(1) * ... * mu(t)`, at step `t`:
 *
 * ```
 * m += (g - m) * (1 - beta1)
 * v += (g^2 - v) * (1 - beta2)
 * mHat = mu(t+1) * m / (1 - prod(t) * mu(t+1)) + (1 - mu(t)) * g / (1 - prod(t))
 * vHat = v / (1 - beta2^t)
 * w -= lr * mHat / (sqrt(vHat) + epsilon)
 * ```
 *
 * Keras keeps `prod(t)` in a variable (`_u_product`); it depends only on `t`, so here it is
 * computed on the host from `iterations` and restored exactly by `setWeights`. TF.js has no Nadam.
 *
 * Slots: `momentum`, `velocity`.
 *
 * @example
 * const opt = optimizers.nadam({ learningRate: 2e-3 });
 */
export class Nadam extends Optimizer {
  static readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** `prod(step)` for the last step computed, so that consecutive steps cost one multiply. */
  private productCache = { step: 0, value: 1 };

  constructor(options: NadamOptions = {}) {
    const o = options ?? {};
    super({ learningRate: 0.001, name: 'nadam' }, o);
    this.beta1 = checkNumber(this.className, 'beta1', o.beta1 ?? 0.9, { min: 0, max: 1, maxOpen: true }, 0.9);
    this.beta2 = checkNumber(this.className, 'beta2', o.beta2 ?? 0.999, { min: 0, max: 1, maxOpen: true }, 0.999);
    this.epsilon = checkNumber(this.className, 'epsilon', o.epsilon ?? 1e-7, { min: 0 }, 1e-7);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [
      { name: 'momentum', initialValue: 0 },
      { name: 'velocity', initialValue: 0 },
    ];
  }

  protected updateStep(variable: Variable, gradient: Tensor, lr: number, slots: Slots, step: number): void {
    const muT = this.mu(step);
    const muNext = this.mu(step + 1);
    const productT = this.product(step);
    const productNext = productT * muNext;
    const m = slots.momentum!;
    const v = slots.velocity!;
    m.assign(add(m, mul(sub(gradient, m), 1 - this.beta1)));
    v.assign(add(v, mul(sub(square(gradient), v), 1 - this.beta2)));
    const mHat = add(mul(m, muNext / (1 - productNext)), mul(gradient, (1 - muT) / (1 - productT)));
    const vHat = mul(v, 1 / (1 - this.beta2 ** step));
    variable.assign(sub(variable, div(mul(mHat, lr), add(sqrt(vHat), this.epsilon))));
  }

  private mu(k: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** k);
  }

  private product(step: number): number {
    let { step: k, value } = this.productCache;
    if (k > step) ({ step: k, value } = { step: 0, value: 1 });
    while (k < step) value *= this.mu(++k);
    this.productCache = { step: k, value };
    return value;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

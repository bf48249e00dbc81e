import { optimizerUpdate, type Tensor, type Variable } from '@strata/core';
import { checkNumber } from './check.js';
import { Optimizer, type OptimizerOptions, type SlotSpec, type Slots } from './optimizer.js';

/** Options of {@link Adagrad}. */
export interface AdagradOptions extends OptimizerOptions {
  /** Default 0.001 (the original paper's form is 1.0). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Starting value of the accumulators, >= 0. Default 0.1. */
  initialAccumulatorValue?: number;
  /** Added under the square root. Default 1e-7. */
  epsilon?: number;
}

/**
 * Adagrad, as Keras 3's `Adagrad`. With learning rate `lr`:
 *
 * ```
 * acc += g^2
 * w -= lr * g / sqrt(acc + epsilon)
 * ```
 *
 * This is also TF.js's `AdagradOptimizer` update.
 *
 * Slot: `accumulator` (starting at `initialAccumulatorValue`).
 *
 * @example
 * const opt = optimizers.adagrad({ learningRate: 0.1 });
 */
export class Adagrad extends Optimizer {
  static readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    const o = options ?? {};
    super({ learningRate: 0.001, name: 'adagrad' }, o);
    this.initialAccumulatorValue = checkNumber(this.className, 'initialAccumulatorValue', o.initialAccumulatorValue ?? 0.1, { min: 0 }, 0.1);
    this.epsilon = checkNumber(this.className, 'epsilon', o.epsilon ?? 1e-7, { min: 0 }, 1e-7);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [{ name: 'accumulator', initialValue: this.initialAccumulatorValue }];
  }

  /** Core's `adagrad` update: one in-place kernel on engines that have it. */
  protected updateStep(variable: Variable, gradient: Tensor, lr: number, slots: Slots): void {
    optimizerUpdate({ kind: 'adagrad', learningRate: lr, epsilon: this.epsilon }, variable, gradient, [slots.accumulator!]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

import { mul, reshape, slice, type Tensor } from '@strata/core';
import { booleanOption } from '../basic/layer-options.js';
import { activationConfig, resolveActivation, type ActivationIdentifier } from '../resolve.js';
import { BaseRNN, implementationOption, type RecurrentArgs } from './base-rnn.js';
import { gruStep } from './cell-steps.js';
import type { RnnStep } from './rnn-loop.js';

/** Options of `layers.gru`. */
export interface GRUArgs extends RecurrentArgs {
  /**
   * Activation of the gates. Default `'sigmoid'`, as Keras 3 (TF.js defaults to `'hard_sigmoid'`;
   * models saved by TF.js carry their activation in the config, so they load unchanged).
   */
  recurrentActivation?: ActivationIdentifier | null;
  /** Accepted for Keras/TF.js configs (1 or 2); both give the same numbers here. Default 2. */
  implementation?: number;
  /**
   * Apply the reset gate after the recurrent product (Keras 3's default and cuDNN's variant, with
   * a `[2, 3·units]` bias: input row, recurrent row) rather than before it (a `[3·units]` bias).
   * Default true, as Keras 3; TF.js only has `false`, and its saved GRU configs may omit the key.
   */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit (Cho et al. 2014), Keras's gate order z, r, h in the column blocks:
 * `kernel` `[features, 3·units]`, `recurrent_kernel` `[units, 3·units]`, `bias` `[2, 3·units]`
 * with `resetAfter` (else `[3·units]`). With recurrent dropout, the dropped state feeds the
 * recurrent products and the undropped one the final mix `h = z ⊙ h_prev + (1 - z) ⊙ hh`.
 *
 * @example
 * const gru = new GRU({ units: 16, resetAfter: false }); // TF.js-compatible weights
 * const y = gru.apply(input({ shape: [12, 4] }));          // [null, 16]
 */
export class GRU extends BaseRNN {
  static override readonly className = 'GRU';
  readonly recurrentActivation: (x: Tensor) => Tensor;
  readonly implementation: number;
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    super(args);
    this.recurrentActivation = resolveActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation);
    this.implementation = implementationOption(this, args.implementation);
    this.resetAfter = booleanOption(this, 'resetAfter', args.resetAfter, true);
  }

  protected override stateNames(): string[] {
    return ['h'];
  }

  protected override gateCount(): number {
    return 3;
  }

  protected override buildWeights(inputDim: number): void {
    const units = this.units;
    this.kernel = this.addCellWeight('kernel', [inputDim, 3 * units]);
    this.recurrentKernel = this.addCellWeight('recurrent_kernel', [units, 3 * units]);
    if (this.useBias) this.bias = this.addCellWeight('bias', this.resetAfter ? [2, 3 * units] : [3 * units]);
  }

  protected override inputBias(): Tensor | null {
    if (!this.bias || !this.resetAfter) return this.bias;
    return reshape(slice(this.bias, [0, 0], [1, -1]), [3 * this.units]);
  }

  protected override makeStep(recurrentMask: Tensor | null): RnnStep {
    const units = this.units;
    const kernel = this.recurrentKernel!;
    // Slice the weights once per call, not once per step.
    const weights = this.resetAfter
      ? { recurrentKernel: kernel, recurrentBias: this.bias ? reshape(slice(this.bias, [1, 0], [1, -1]), [3 * units]) : null }
      : { recurrentKernel: slice(kernel, [0, 0], [-1, 2 * units]), candidateKernel: slice(kernel, [0, 2 * units], [-1, units]) };
    return (xw, [h]) => {
      const next = gruStep(xw, h!, recurrentMask ? mul(h!, recurrentMask) : h!, weights, this.resetAfter, this.activation, this.recurrentActivation);
      return { output: next, states: [next] };
    };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: activationConfig(this.recurrentActivation),
      implementation: this.implementation,
      resetAfter: this.resetAfter,
    };
  }
}

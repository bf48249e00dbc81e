import { concat, mul, ones, tidy, type Tensor } from '@strata/core';
import type { InitializerLike } from '../../engine/layer.js';
import { booleanOption } from '../basic/layer-options.js';
import { activationConfig, resolveActivation, type ActivationIdentifier } from '../resolve.js';
import { BaseRNN, implementationOption, type RecurrentArgs } from './base-rnn.js';
import { lstmStep } from './cell-steps.js';
import type { RnnStep } from './rnn-loop.js';

/** Options of `layers.lstm`. */
export interface LSTMArgs extends RecurrentArgs {
  /**
   * Activation of the gates. Default `'sigmoid'`, as Keras 3 (TF.js defaults to `'hard_sigmoid'`;
   * models saved by TF.js carry their activation in the config, so they load unchanged).
   */
  recurrentActivation?: ActivationIdentifier | null;
  /** Start the forget gate's bias at 1 (the rest of the bias from `biasInitializer`). Default true. */
  unitForgetBias?: boolean;
  /** Accepted for Keras/TF.js configs (1 or 2); both give the same numbers here. Default 2. */
  implementation?: number;
}

/**
 * Long short-term memory (Hochreiter 1997). Weights as Keras lays them out, with the gate order
 * i, f, c, o in the column blocks: `kernel` `[features, 4·units]`, `recurrent_kernel`
 * `[units, 4·units]`, `bias` `[4·units]`. States: `h` (also the output) and `c`.
 *
 * @example
 * const lstm = new LSTM({ units: 32, returnState: true });
 * const [out, h, c] = lstm.apply(input({ shape: [20, 8] })) as SymbolicTensor[];
 */
export class LSTM extends BaseRNN {
  static override readonly className = 'LSTM';
  readonly recurrentActivation: (x: Tensor) => Tensor;
  readonly unitForgetBias: boolean;
  readonly implementation: number;

  constructor(args: LSTMArgs) {
    super(args);
    this.recurrentActivation = resolveActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation);
    this.unitForgetBias = booleanOption(this, 'unitForgetBias', args.unitForgetBias, true);
    this.implementation = implementationOption(this, args.implementation);
  }

  protected override stateNames(): string[] {
    return ['h', 'c'];
  }

  protected override gateCount(): number {
    return 4;
  }

  protected override buildWeights(inputDim: number): void {
    const units = this.units;
    this.kernel = this.addCellWeight('kernel', [inputDim, 4 * units]);
    this.recurrentKernel = this.addCellWeight('recurrent_kernel', [units, 4 * units]);
    if (this.useBias) {
      const base = this.biasInitializer;
      // Keras builds this bias from three draws of the initializer around a block of ones.
      const forgetOnes: InitializerLike = {
        apply: (_shape, dtype) => tidy(() => concat([base.apply([units], dtype), ones([units]), base.apply([2 * units], dtype)], 0)),
      };
      this.bias = this.addCellWeight('bias', [4 * units], this.unitForgetBias ? forgetOnes : base);
    }
  }

  protected override makeStep(recurrentMask: Tensor | null): RnnStep {
    const recurrentKernel = this.recurrentKernel!;
    return (xw, [h, c]) => {
      const next = lstmStep(xw, recurrentMask ? mul(h!, recurrentMask) : h!, c!, recurrentKernel, this.activation, this.recurrentActivation);
      return { output: next.h, states: [next.h, next.c] };
    };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: activationConfig(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
      implementation: this.implementation,
    };
  }
}

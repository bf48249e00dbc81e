import { mul, type Tensor } from '@strata/core';
import { BaseRNN, type RecurrentArgs } from './base-rnn.js';
import { simpleRnnStep } from './cell-steps.js';
import type { RnnStep } from './rnn-loop.js';

/** Options of `layers.simpleRNN` (all shared by the recurrent layers). */
export type SimpleRNNArgs = RecurrentArgs;

/**
 * A fully connected recurrent layer: `h_t = activation(x_t · kernel + bias + h_{t-1} · recurrent_kernel)`,
 * the output being `h`. Weights as Keras names them: `kernel` `[features, units]`,
 * `recurrent_kernel` `[units, units]`, `bias` `[units]`. Input `[batch, time, features]`.
 *
 * @example
 * const rnn = new SimpleRNN({ units: 16, returnSequences: true });
 * const y = rnn.apply(input({ shape: [10, 8] })); // [null, 10, 16]
 */
export class SimpleRNN extends BaseRNN {
  static override readonly className = 'SimpleRNN';

  constructor(args: SimpleRNNArgs) {
    super(args);
  }

  protected override stateNames(): string[] {
    return ['h'];
  }

  protected override gateCount(): number {
    return 1;
  }

  protected override buildWeights(inputDim: number): void {
    this.kernel = this.addCellWeight('kernel', [inputDim, this.units]);
    this.recurrentKernel = this.addCellWeight('recurrent_kernel', [this.units, this.units]);
    if (this.useBias) this.bias = this.addCellWeight('bias', [this.units]);
  }

  protected override makeStep(recurrentMask: Tensor | null): RnnStep {
    const recurrentKernel = this.recurrentKernel!;
    return (xw, [h]) => {
      const next = simpleRnnStep(xw, recurrentMask ? mul(h!, recurrentMask) : h!, recurrentKernel, this.activation);
      return { output: next, states: [next] };
    };
  }
}

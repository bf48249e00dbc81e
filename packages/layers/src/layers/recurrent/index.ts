import { registerLayer } from '../layer-registry.js';
import { GRU, type GRUArgs } from './gru.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import { SimpleRNN, type SimpleRNNArgs } from './simple-rnn.js';

export { BaseRNN, type RecurrentArgs } from './base-rnn.js';
export { rnnLoop, type RnnStep, type RnnLoopOptions, type RnnLoopResult } from './rnn-loop.js';
export { simpleRnnStep, lstmStep, gruStep, type GruStepWeights, type StepActivation } from './cell-steps.js';
export { SimpleRNN, type SimpleRNNArgs, LSTM, type LSTMArgs, GRU, type GRUArgs };

registerLayer(SimpleRNN);
registerLayer(LSTM);
registerLayer(GRU);

/**
 * A fully connected recurrent layer (`h_t = tanh(x_t W + h_{t-1} U + b)`).
 *
 * @example
 * layers.simpleRNN({ units: 16, returnSequences: true });
 */
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN {
  return new SimpleRNN(args);
}

/**
 * A long short-term memory layer (gates i, f, c, o; states h and c).
 *
 * @example
 * layers.lstm({ units: 32, inputShape: [20, 8] });
 */
export function lstm(args: LSTMArgs): LSTM {
  return new LSTM(args);
}

/**
 * A gated recurrent unit layer (gates z, r, h).
 *
 * @example
 * layers.gru({ units: 16, resetAfter: false });
 */
export function gru(args: GRUArgs): GRU {
  return new GRU(args);
}

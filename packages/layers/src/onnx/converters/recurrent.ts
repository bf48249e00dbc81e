import type { Tensor } from '@strata/core';
import type { BaseRNN } from '../../layers/recurrent/base-rnn.js';
import { GRU } from '../../layers/recurrent/gru.js';
import { LSTM } from '../../layers/recurrent/lstm.js';
import type { Bidirectional } from '../../layers/wrappers/bidirectional.js';
import type { ConvertContext, LayerConverter } from '../context.js';
import { attr } from '../graph-builder.js';
import type { OnnxAttribute } from '../onnx-proto.js';
import { concatHost, filledHost, reorderBlocks, reshapeHost, rowsHost, transposeHost, type HostTensor } from '../host-tensors.js';
import { activationNameOf } from './activations.js';
import { INT64_MIN } from './int64.js';

// SimpleRNN, LSTM and GRU as ONNX RNN / LSTM / GRU operators (time-major, so the sequence is
// transposed in and out). Keras lays the gates out as i, f, c, o (LSTM) and z, r, h (GRU) in the
// columns of `[features, gates · units]` kernels; ONNX wants `[1, gates · units, features]` with
// LSTM's gates as i, o, f, c, and the bias split into an input part Wb and a recurrent part Rb.

/** The activations ONNX's recurrent operators accept, with the parameters Strata's functions use. */
const RNN_ACTIVATIONS: Record<string, { name: string; alpha?: number; beta?: number }> = {
  tanh: { name: 'Tanh' },
  sigmoid: { name: 'Sigmoid' },
  relu: { name: 'Relu' },
  hard_sigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  elu: { name: 'Elu', alpha: 1 },
  leaky_relu: { name: 'LeakyRelu', alpha: 0.2 },
};

/** The `activations` attribute and its alphas and betas, consumed in order by the functions that take them. */
function activationAttributes(ctx: ConvertContext, fns: readonly { fn: (x: Tensor) => Tensor; option: string }[], layerOf: { name: string; className: string }): OnnxAttribute[] {
  const names: string[] = [];
  const alphas: number[] = [];
  const betas: number[] = [];
  for (const { fn, option } of fns) {
    const name = activationNameOf(ctx, fn, option);
    const spec = RNN_ACTIVATIONS[name];
    if (!spec) {
      ctx.fail(`${layerOf.name !== ctx.layer.name ? `its ${layerOf.className} ${layerOf.name}'s ` : 'its '}${option} '${name}' is not one ONNX recurrent operators accept; use one of ${Object.keys(RNN_ACTIVATIONS).join(', ')}`);
    }
    names.push(spec.name);
    if (spec.alpha !== undefined) alphas.push(spec.alpha);
    if (spec.beta !== undefined) betas.push(spec.beta);
  }
  const out = [attr.strings('activations', names)];
  if (alphas.length > 0) out.push(attr.floats('activation_alpha', alphas));
  if (betas.length > 0) out.push(attr.floats('activation_beta', betas));
  return out;
}

/** Reverses the time axis (axis 0 of a time-major tensor). */
function reverseTime(ctx: ConvertContext, x: string): string {
  const b = ctx.b;
  return b.op('Slice', [x, b.int64Const([-1]), b.int64Const([INT64_MIN]), b.int64Const([0]), b.int64Const([-1])]);
}

/** What one recurrent layer produced: the sequence `[batch, time, units]` (when kept), the last output and the final states, each `[batch, units]`. */
interface RecurrentResult {
  sequence: string | null;
  last: string;
  states: string[];
}

/**
 * Emits one recurrent layer on the time-major input `xTime` (`[time, batch, features]`).
 * `reverseSequence` asks for the returned sequence reversed in time (Bidirectional reverses its
 * backward layer's outputs so step t of both directions lines up).
 */
function emitRecurrent(ctx: ConvertContext, layer: BaseRNN, xTime: string, initial: readonly string[], reverseSequence: boolean): RecurrentResult {
  const b = ctx.b;
  if (layer.stateful) {
    ctx.fail(`${layer.name !== ctx.layer.name ? `its layer ${layer.name} ` : ''}is stateful: ONNX graphs keep no state between runs. Export a copy built with stateful: false (and the same weights)`);
  }
  const units = layer.units;
  const lstm = layer instanceof LSTM;
  const gru = layer instanceof GRU;
  const op = lstm ? 'LSTM' : gru ? 'GRU' : 'RNN';
  const gates = lstm ? 4 : gru ? 3 : 1;
  // Output block i of ONNX's layout is Keras block order[i].
  const order = lstm ? [0, 3, 1, 2] : Array.from({ length: gates }, (_, i) => i);
  const toOnnx = (h: HostTensor): HostTensor => {
    const t = transposeHost(reorderBlocks(h, order), [1, 0]);
    return reshapeHost(t, [1, ...t.shape]);
  };
  // Initializer names: W, R, B, under the wrapped layer's name inside a Bidirectional.
  const prefix = layer === ctx.layer ? '' : `${layer.name}/`;
  const w = ctx.init(layer.kernel!, `${op}_W`, toOnnx, `${prefix}W`);
  const r = ctx.init(layer.recurrentKernel!, `${op}_R`, toOnnx, `${prefix}R`);
  let bias = '';
  if (layer.bias) {
    const resetAfter = gru && (layer as GRU).resetAfter;
    bias = ctx.init(layer.bias, `${op}_B`, (h) => {
      const inputBias = resetAfter ? reshapeHost(rowsHost(h, 0, 1), [gates * units]) : reorderBlocks(h, order);
      const recurrentBias = resetAfter ? reshapeHost(rowsHost(h, 1, 1), [gates * units]) : filledHost([gates * units], 0);
      return reshapeHost(concatHost([inputBias, recurrentBias]), [1, 2 * gates * units]);
    }, `${prefix}B`);
  }
  const fns = layer instanceof LSTM
    ? [{ fn: layer.recurrentActivation, option: 'recurrentActivation' }, { fn: layer.activation, option: 'activation' }, { fn: layer.activation, option: 'activation' }]
    : layer instanceof GRU
      ? [{ fn: layer.recurrentActivation, option: 'recurrentActivation' }, { fn: layer.activation, option: 'activation' }]
      : [{ fn: layer.activation, option: 'activation' }];
  const attributes = [
    attr.int('hidden_size', units),
    attr.string('direction', layer.goBackwards ? 'reverse' : 'forward'),
    ...activationAttributes(ctx, fns, layer),
  ];
  if (gru) attributes.push(attr.int('linear_before_reset', (layer as GRU).resetAfter ? 1 : 0));
  const states = initial.map((s) => b.op('Unsqueeze', [s, b.int64Const([0])]));
  const inputs = [xTime, w, r, bias, '', states[0] ?? '', ...(lstm ? [states[1] ?? ''] : [])];
  while (inputs[inputs.length - 1] === '') inputs.pop();
  const [y, yh, yc] = b.ops(op, inputs, attributes, lstm ? 3 : 2);
  let sequence: string | null = null;
  if (layer.returnSequences) {
    // ONNX puts the outputs of a reverse pass at their input positions; Keras returns them in the
    // order the layer ran (so reversed), unless reverseSequence turns them back.
    let timeMajor = b.op('Squeeze', [y!, b.int64Const([1])]);
    if (layer.goBackwards !== reverseSequence) timeMajor = reverseTime(ctx, timeMajor);
    sequence = b.op('Transpose', [timeMajor], [attr.ints('perm', [1, 0, 2])]);
  }
  const last = b.op('Squeeze', [yh!, b.int64Const([0])]);
  return { sequence, last, states: lstm ? [last, b.op('Squeeze', [yc!, b.int64Const([0])])] : [last] };
}

/** The sequence input, time-major, refusing what a graph cannot carry (masks, tensor-valued call options). */
function timeMajorInput(ctx: ConvertContext): string {
  const seq = ctx.inputs[0]!;
  if (seq.masked) {
    ctx.fail('its input carries a mask (from Embedding maskZero or Masking), and skipping masked steps has no ONNX export; build the model without masking (maskZero: false, no Masking layer) to export it');
  }
  if (ctx.kwargs.initialState !== undefined && ctx.kwargs.initialState !== null) {
    ctx.fail('was called with initialState given as tensors; ONNX needs the initial states as model inputs: pass symbolic tensors from input() as initialState');
  }
  return ctx.b.op('Transpose', [ctx.b.native(seq)], [attr.ints('perm', [1, 0, 2])]);
}

/**
 * SimpleRNN, LSTM and GRU, with `returnSequences`, `returnState`, `goBackwards` and initial states
 * given as model inputs.
 *
 * @example
 * CONVERTERS.set(LSTM, convertRecurrent);
 */
export const convertRecurrent: LayerConverter = (ctx) => {
  const layer = ctx.layer as BaseRNN;
  const x = timeMajorInput(ctx);
  const result = emitRecurrent(ctx, layer, x, ctx.inputs.slice(1).map((v) => ctx.b.native(v)), false);
  const output = layer.returnSequences ? result.sequence! : result.last;
  const names = layer.returnState ? [output, ...result.states] : [output];
  return names.map((n, i) => ctx.out(i, n, 'native'));
};

/**
 * Bidirectional: the forward and backward layers as two ONNX recurrent nodes on the same input,
 * the backward sequence reversed back, then merged (`concat`, `sum`, `mul`, `ave`, or both
 * outputs with `mergeMode: null`), followed by the forward then backward final states.
 *
 * @example
 * CONVERTERS.set(Bidirectional, convertBidirectional);
 */
export const convertBidirectional: LayerConverter = (ctx) => {
  const layer = ctx.layer as Bidirectional;
  const b = ctx.b;
  const x = timeMajorInput(ctx);
  const states = ctx.inputs.slice(1).map((v) => b.native(v));
  const half = states.length / 2;
  const forward = emitRecurrent(ctx, layer.forwardLayer, x, states.slice(0, half), false);
  const backward = emitRecurrent(ctx, layer.backwardLayer, x, states.slice(half), true);
  const yf = layer.returnSequences ? forward.sequence! : forward.last;
  const yb = layer.returnSequences ? backward.sequence! : backward.last;
  const rank = layer.returnSequences ? 3 : 2;
  let merged: string[];
  switch (layer.mergeMode) {
    case 'concat': merged = [b.op('Concat', [yf, yb], [attr.int('axis', rank - 1)])]; break;
    case 'sum': merged = [b.op('Add', [yf, yb])]; break;
    case 'mul': merged = [b.op('Mul', [yf, yb])]; break;
    case 'ave': merged = [b.op('Mul', [b.op('Add', [yf, yb]), b.floatConst([0.5], [])])]; break;
    default: merged = [yf, yb];
  }
  const names = layer.returnState ? [...merged, ...forward.states, ...backward.states] : merged;
  return names.map((n, i) => ctx.out(i, n, 'native'));
};

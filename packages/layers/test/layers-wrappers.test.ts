import { expect } from 'chai';
import { memory, ones, tensor, zeros, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { Dense } from '../src/layers/core/dense.js';
import '../src/layers/core/index.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import { GRU, LSTM, SimpleRNN, lstm } from '../src/layers/recurrent/index.js';
import { Bidirectional, TimeDistributed, bidirectional, timeDistributed, type BidirectionalMergeMode } from '../src/layers/wrappers/index.js';
import { checkLayerGradients } from './layer-harness.js';
import {
  det, flat, gruCell, lstmCell, refRun, simpleRnnCell, to3d, type RefRunOptions,
} from './layers-recurrent-reference.js';

const B = 2;
const T = 4;
const F = 3;
const U = 2;

async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Sets deterministic weights on a built wrapper; returns the values in weight order. */
function setDet(layer: { weights: { size: number; shape: readonly number[] }[]; setWeights(v: Tensor[]): void }, seed: number): number[][] {
  const values = layer.weights.map((w, i) => det(w.size, seed + i, 0.6));
  const tensors = layer.weights.map((w, i) => tensor(values[i]!, [...w.shape]));
  layer.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return values;
}

/** Reverses the time axis of [batch][time][units]. */
function reverseTime(a: number[][][]): number[][][] {
  return a.map((seq) => [...seq].reverse());
}

function merge(mode: BidirectionalMergeMode, a: number[], b: number[], units: number): number[][] {
  const rows = a.length / units;
  switch (mode) {
    case 'concat': return [Array.from({ length: rows }, (_, r) => [...a.slice(r * units, (r + 1) * units), ...b.slice(r * units, (r + 1) * units)]).flat()];
    case 'sum': return [a.map((v, i) => v + b[i]!)];
    case 'mul': return [a.map((v, i) => v * b[i]!)];
    case 'ave': return [a.map((v, i) => (v + b[i]!) / 2)];
    default: return [a, b];
  }
}

describe('Bidirectional: values against float64 loops', () => {
  beforeEach(() => resetLayerNames());

  const modes: BidirectionalMergeMode[] = ['concat', 'sum', 'mul', 'ave', null];
  for (const mode of modes) {
    for (const returnSequences of [true, false]) {
      it(`LSTM, mergeMode ${JSON.stringify(mode)}, returnSequences ${returnSequences}`, async () => {
        const bi = new Bidirectional({ layer: new LSTM({ units: U, returnSequences }), mergeMode: mode });
        bi.build([null, T, F]);
        const w = setDet(bi, 3);
        const fwd = lstmCell({ kernel: w[0]!, recurrent: w[1]!, bias: w[2]!, units: U });
        const bwd = lstmCell({ kernel: w[3]!, recurrent: w[4]!, bias: w[5]!, units: U });
        const xs = det(B * T * F, 8, 1.3);
        const x = tensor(xs, [B, T, F]);
        const out = bi.apply(x);
        const outs = Array.isArray(out) ? out : [out];
        const f = refRun(to3d(xs, B, T, F), fwd, 2, U, { returnSequences }).output;
        let b = refRun(to3d(xs, B, T, F), bwd, 2, U, { returnSequences, goBackwards: true }).output;
        if (returnSequences) b = reverseTime(b as number[][][]);
        const expected = merge(mode, flat(f), flat(b), U);
        expect(outs.length).to.equal(expected.length);
        const width = mode === 'concat' ? 2 * U : U;
        for (let i = 0; i < outs.length; i++) {
          expect(outs[i]!.shape).to.deep.equal(returnSequences ? [B, T, width] : [B, width]);
          expectClose(await read(outs[i]!), expected[i]!, { atol: 1e-5, rtol: 1e-4 });
        }
        [x, ...outs].forEach((t) => t.dispose());
        bi.dispose();
      });
    }
  }

  it('returnState gives the output, then the forward states, then the backward states', async () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: U, returnState: true }), mergeMode: 'sum' });
    bi.build([null, T, F]);
    const w = setDet(bi, 1);
    const xs = det(B * T * F, 2);
    const x = tensor(xs, [B, T, F]);
    const outs = bi.apply(x) as Tensor[];
    const f = refRun(to3d(xs, B, T, F), lstmCell({ kernel: w[0]!, recurrent: w[1]!, bias: w[2]!, units: U }), 2, U);
    const b = refRun(to3d(xs, B, T, F), lstmCell({ kernel: w[3]!, recurrent: w[4]!, bias: w[5]!, units: U }), 2, U, { goBackwards: true });
    expect(outs.length).to.equal(5);
    expectClose(await read(outs[0]!), merge('sum', flat(f.output), flat(b.output), U)[0]!, { atol: 1e-5 });
    const states = [f.states[0], f.states[1], b.states[0], b.states[1]];
    for (let i = 0; i < 4; i++) expectClose(await read(outs[1 + i]!), flat(states[i]), { atol: 1e-5 }, `state ${i}`);
    [x, ...outs].forEach((t) => t.dispose());
    bi.dispose();
  });

  it('zeroes masked steps in returned sequences (Keras), and carries the last valid output otherwise', async () => {
    const mask = [[true, true, true, false], [false, true, true, true]];
    for (const returnSequences of [true, false]) {
      const bi = new Bidirectional({ layer: new GRU({ units: U, returnSequences, resetAfter: false }) });
      bi.build([null, T, F]);
      const w = setDet(bi, 4);
      const xs = det(B * T * F, 6);
      const x = tensor(xs, [B, T, F]);
      const m = tensor(mask, [B, T]);
      const out = bi.apply(x, { mask: m }) as Tensor;
      const opts: RefRunOptions = { returnSequences, mask, zeroOutputForMask: returnSequences };
      const f = refRun(to3d(xs, B, T, F), gruCell({ kernel: w[0]!, recurrent: w[1]!, bias: w[2]!, units: U, resetAfter: false }), 1, U, opts).output;
      let b = refRun(to3d(xs, B, T, F), gruCell({ kernel: w[3]!, recurrent: w[4]!, bias: w[5]!, units: U, resetAfter: false }), 1, U, { ...opts, goBackwards: true }).output;
      if (returnSequences) b = reverseTime(b as number[][][]);
      expectClose(await read(out), merge('concat', flat(f), flat(b), U)[0]!, { atol: 1e-5, rtol: 1e-4 }, `returnSequences ${returnSequences}`);
      if (returnSequences) expectClose((await read(out)).slice(3 * 2 * U, 4 * 2 * U), [0, 0, 0, 0], {}, 'masked step of sample 0');
      expect(bi.computeMask(x, m)).to.equal(returnSequences ? m : null);
      [x, m, out].forEach((t) => t.dispose());
      bi.dispose();
    }
  });

  it('splits an initialState list: forward states, then backward states', async () => {
    const bi = new Bidirectional({ layer: new SimpleRNN({ units: U, returnSequences: true }) });
    bi.build([null, T, F]);
    const w = setDet(bi, 9);
    const xs = det(B * T * F, 1);
    const hf = det(B * U, 2);
    const hb = det(B * U, 3);
    const [x, tf, tb] = [tensor(xs, [B, T, F]), tensor(hf, [B, U]), tensor(hb, [B, U])];
    const out = bi.apply(x, { initialState: [tf, tb] }) as Tensor;
    const split = (v: number[]): number[][] => [v.slice(0, U), v.slice(U)];
    const f = refRun(to3d(xs, B, T, F), simpleRnnCell({ kernel: w[0]!, recurrent: w[1]!, bias: w[2]!, units: U }), 1, U, { returnSequences: true, initialStates: [split(hf)] }).output;
    const b = refRun(to3d(xs, B, T, F), simpleRnnCell({ kernel: w[3]!, recurrent: w[4]!, bias: w[5]!, units: U }), 1, U, { returnSequences: true, goBackwards: true, initialStates: [split(hb)] }).output;
    expectClose(await read(out), merge('concat', flat(f), flat(reverseTime(b as number[][][])), U)[0]!, { atol: 1e-5 });
    expect(() => bi.apply(x, { initialState: [tf] })).to.throw(LayerError, "initialState must list the forward layer's states then the backward layer's (an even count); received 1 tensor(s)");
    [x, tf, tb, out].forEach((t) => t.dispose());
    bi.dispose();
  });

  it('uses a given backwardLayer as it is', async () => {
    const backward = new SimpleRNN({ units: U, activation: 'relu', goBackwards: true, name: 'back' });
    const bi = new Bidirectional({ layer: new SimpleRNN({ units: U }), backwardLayer: backward, mergeMode: 'ave' });
    expect(bi.backwardLayer).to.equal(backward);
    bi.build([null, T, F]);
    const w = setDet(bi, 2);
    const xs = det(B * T * F, 5);
    const x = tensor(xs, [B, T, F]);
    const out = bi.apply(x) as Tensor;
    const f = refRun(to3d(xs, B, T, F), simpleRnnCell({ kernel: w[0]!, recurrent: w[1]!, bias: w[2]!, units: U }), 1, U).output;
    const b = refRun(to3d(xs, B, T, F), simpleRnnCell({ kernel: w[3]!, recurrent: w[4]!, bias: w[5]!, units: U, activation: (v) => Math.max(0, v) }), 1, U, { goBackwards: true }).output;
    expectClose(await read(out), merge('ave', flat(f), flat(b), U)[0]!, { atol: 1e-5 });
    expect(bi.getConfig().backwardLayer).to.deep.include({ className: 'SimpleRNN' });
    [x, out].forEach((t) => t.dispose());
    bi.dispose();
  });
});

describe('Bidirectional: models, weights, config, errors', () => {
  beforeEach(() => resetLayerNames());

  it('infers shapes for each merge mode and returnState at definition time', () => {
    const x = input({ shape: [7, 3] });
    const shape = (mode: BidirectionalMergeMode, args = {}): unknown => {
      const y = new Bidirectional({ layer: new LSTM({ units: 4, ...args }), mergeMode: mode }).apply(x);
      return Array.isArray(y) ? y.map((t) => t.shape) : y.shape;
    };
    expect(shape('concat', { returnSequences: true })).to.deep.equal([null, 7, 8]);
    expect(shape('sum')).to.deep.equal([null, 4]);
    expect(shape(null, { returnSequences: true })).to.deep.equal([[null, 7, 4], [null, 7, 4]]);
    expect(shape('concat', { returnState: true })).to.deep.equal([[null, 8], [null, 4], [null, 4], [null, 4], [null, 4]]);
    expect(shape(null, { returnState: true })).to.deep.equal([[null, 4], [null, 4], [null, 4], [null, 4], [null, 4], [null, 4]]);
  });

  it('starts a Sequential model from the wrapped layer\'s inputShape', () => {
    const m = new Sequential({ layers: [bidirectional({ layer: lstm({ units: 3, returnSequences: true, inputShape: [5, 2] }) }), bidirectional({ layer: lstm({ units: 2 }), mergeMode: 'sum' })] });
    expect(m.outputs[0]!.shape).to.deep.equal([null, 2]);
    expect(m.countParams()).to.equal(2 * 4 * 3 * (2 + 3 + 1) + 2 * 4 * 2 * (6 + 2 + 1));
    m.dispose();
  });

  it('feeds symbolic initial states through a functional model', async () => {
    const x = input({ shape: [T, F] });
    const hf = input({ shape: [U] });
    const hb = input({ shape: [U] });
    const bi = new Bidirectional({ layer: new GRU({ units: U }) });
    const y = bi.apply(x, { initialState: [hf, hb] }) as SymbolicTensor;
    const m = new LayersModel({ inputs: [x, hf, hb], outputs: y });
    const w = setDet(bi, 6);
    const xs = det(B * T * F, 1);
    const f0 = det(B * U, 2);
    const b0 = det(B * U, 3);
    const args = [tensor(xs, [B, T, F]), tensor(f0, [B, U]), tensor(b0, [B, U])];
    const out = m.call(args) as Tensor;
    const split = (v: number[]): number[][] => [v.slice(0, U), v.slice(U)];
    const f = refRun(to3d(xs, B, T, F), gruCell({ kernel: w[0]!, recurrent: w[1]!, bias: w[2]!, units: U, resetAfter: true }), 1, U, { initialStates: [split(f0)] }).output;
    const b = refRun(to3d(xs, B, T, F), gruCell({ kernel: w[3]!, recurrent: w[4]!, bias: w[5]!, units: U, resetAfter: true }), 1, U, { goBackwards: true, initialStates: [split(b0)] }).output;
    expectClose(await read(out), merge('concat', flat(f), flat(b), U)[0]!, { atol: 1e-5 });
    [out, ...args].forEach((t) => t.dispose());
    m.dispose();
  });

  it('names its weights under its own name, forward then backward, and freezes them with trainable', () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 2 }) });
    expect([bi.forwardLayer.name, bi.backwardLayer.name]).to.deep.equal(['forward_lstm', 'backward_lstm']);
    expect(bi.backwardLayer.goBackwards).to.equal(true);
    bi.build([null, 3, 5]);
    expect(bi.weightEntries.map((w) => w.name)).to.deep.equal([
      'bidirectional/forward_lstm/kernel', 'bidirectional/forward_lstm/recurrent_kernel', 'bidirectional/forward_lstm/bias',
      'bidirectional/backward_lstm/kernel', 'bidirectional/backward_lstm/recurrent_kernel', 'bidirectional/backward_lstm/bias',
    ]);
    expect(bi.trainableWeights.length).to.equal(6);
    expect(bi.countParams()).to.equal(2 * (5 * 8 + 2 * 8 + 8));
    bi.trainable = false;
    expect(bi.trainableWeights.length).to.equal(0);
    expect(bi.nonTrainableWeights.length).to.equal(6);
    const wrong = zeros([1]);
    expect(() => bi.setWeights([wrong])).to.throw(LayerError, 'bidirectional (Bidirectional): setWeights expected 6 weight(s) (bidirectional/forward_lstm/kernel, ');
    wrong.dispose();
    bi.dispose();
  });

  it('getConfig rebuilds an equivalent layer through the registry, in JSON', async () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: U, returnSequences: true, goBackwards: false }), mergeMode: 'mul' });
    bi.build([null, T, F]);
    setDet(bi, 2);
    const config = JSON.parse(JSON.stringify(bi.getConfig())) as Record<string, unknown>;
    expect(config).to.deep.include({ mergeMode: 'mul', name: 'bidirectional' });
    expect(config.layer).to.deep.include({ className: 'LSTM' });
    expect((config.layer as { config: { name: string } }).config.name).to.equal('forward_lstm');
    expect(config).to.not.have.property('backwardLayer');
    const again = layerRegistry.get({ className: 'Bidirectional', config: { ...config, name: 'bi_copy' } }) as Bidirectional;
    expect([again.forwardLayer.name, again.backwardLayer.name]).to.deep.equal(['forward_lstm', 'backward_lstm']);
    again.build([null, T, F]);
    const w = bi.getWeights();
    again.setWeights(w);
    w.forEach((t) => t.dispose());
    const x = tensor(det(B * T * F, 3), [B, T, F]);
    const [a, b] = [bi.apply(x) as Tensor, again.apply(x) as Tensor];
    expectClose(await read(b), await read(a));
    [x, a, b].forEach((t) => t.dispose());
    bi.dispose();
    again.dispose();
  });

  it('refuses bad options, naming them', () => {
    expect(() => new Bidirectional({ layer: new LSTM({ units: 2 }), mergeMode: 'max' as never })).to.throw(LayerError,
      "bidirectional (Bidirectional): option 'mergeMode' must be one of 'concat', 'sum', 'mul', 'ave' or null; received string \"max\"");
    expect(() => new Bidirectional({ layer: new Dense({ units: 2, name: 'd' }) })).to.throw(LayerError,
      "option 'layer' must be a recurrent layer (SimpleRNN, LSTM or GRU); received d (Dense)");
    expect(() => new Bidirectional({ layer: 3 as never })).to.throw(LayerError, "option 'layer' must be a layer or its { className, config }; received number 3");
    expect(() => new Bidirectional({ layer: new LSTM({ units: 2 }), backwardLayer: new LSTM({ units: 2 }) })).to.throw(LayerError,
      'the forward and backward layers must differ in goBackwards; both have goBackwards: false (give backwardLayer goBackwards: true)');
    expect(() => new Bidirectional({ layer: new LSTM({ units: 2, name: 'f' }), backwardLayer: new LSTM({ units: 2, goBackwards: true, returnSequences: true, name: 'b' }) })).to.throw(LayerError,
      'the forward and backward layers must have the same returnSequences; received false (forward forward_f) and true (backward b)');
    expect(() => new Bidirectional({ layer: new LSTM({ units: 2 }) }).resetStates()).to.throw(LayerError, 'resetStates() needs a stateful layer; wrap a recurrent layer created with stateful: true');
  });

  it('keeps and resets the states of both directions when stateful', async () => {
    const bi = new Bidirectional({ layer: new SimpleRNN({ units: U, stateful: true }) });
    const x = ones([3, T, F]);
    const y = bi.apply(x) as Tensor;
    expect(bi.states!.length).to.equal(2);
    expect((await read(bi.states![1]!)).some((v) => v !== 0)).to.equal(true);
    bi.resetStates();
    expectClose(await read(bi.states![0]!), new Array<number>(3 * U).fill(0));
    expectClose(await read(bi.states![1]!), new Array<number>(3 * U).fill(0));
    [x, y].forEach((t) => t.dispose());
    bi.dispose();
  });

  it('gradients of the input and all weights (finite differences)', async () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }) });
    bi.build([null, 3, 2]);
    setDet(bi, 4);
    const x = tensor(det(12, 1), [2, 3, 2]);
    await checkLayerGradients(bi, x);
    x.dispose();
    bi.dispose();
  });

  it('leaves no tensors behind', () => {
    const baseline = memory().numTensors;
    const bi = new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true, returnState: true, dropout: 0.2 }), mergeMode: null });
    const x = ones([2, 4, 2]);
    const mask = tensor([[true, true, true, false], [true, true, true, true]]);
    bi.build([null, 4, 2]);
    const built = memory().numTensors;
    for (const training of [false, true]) {
      (bi.apply(x, { mask, training }) as Tensor[]).forEach((t) => t.dispose());
      expect(memory().numTensors).to.equal(built);
    }
    bi.dispose();
    [x, mask].forEach((t) => t.dispose());
    expect(memory().numTensors).to.equal(baseline);
  });
});

describe('TimeDistributed', () => {
  beforeEach(() => resetLayerNames());

  it('equals Dense applied to each time step (weights shared)', async () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 5, activation: 'tanh' }) });
    td.build([null, T, F]);
    const [kernel, bias] = setDet(td, 2);
    const xs = det(B * T * F, 3, 1.5);
    const x = tensor(xs, [B, T, F]);
    const y = td.apply(x) as Tensor;
    expect(y.shape).to.deep.equal([B, T, 5]);
    const expected: number[] = [];
    for (let r = 0; r < B * T; r++) {
      for (let j = 0; j < 5; j++) {
        let s = bias![j]!;
        for (let k = 0; k < F; k++) s += xs[r * F + k]! * kernel![k * 5 + j]!;
        expected.push(Math.tanh(s));
      }
    }
    expectClose(await read(y), expected, { atol: 1e-6, rtol: 1e-5 });
    [x, y].forEach((t) => t.dispose());
    td.dispose();
  });

  it('infers shapes at definition time, also for higher-rank steps', () => {
    expect((new TimeDistributed({ layer: new Dense({ units: 8 }) }).apply(input({ shape: [10, 16] })) as SymbolicTensor).shape).to.deep.equal([null, 10, 8]);
    expect((timeDistributed({ layer: new Dense({ units: 2 }) }).apply(input({ shape: [null, 3, 4] })) as SymbolicTensor).shape).to.deep.equal([null, null, 3, 2]);
    const m = new Sequential({ layers: [timeDistributed({ layer: new Dense({ units: 3, inputShape: [4] }), inputShape: [6, 4] })] });
    expect(m.outputs[0]!.shape).to.deep.equal([null, 6, 3]);
    m.dispose();
  });

  it('names the weights under its own name and keeps one copy of them', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 3 }) });
    td.build([null, 7, 2]);
    expect(td.weightEntries.map((w) => w.name)).to.deep.equal(['time_distributed/kernel', 'time_distributed/bias']);
    expect(td.countParams()).to.equal(9);
    td.dispose();
  });

  it('reports a wrong rank, and a step the wrapped layer refuses, with the real input shape', () => {
    expect(() => new TimeDistributed({ layer: new Dense({ units: 3 }), name: 'td' }).apply(input({ shape: [8] }))).to.throw(LayerError,
      'td (TimeDistributed): expected input of rank at least 3 ([batch, time, ...]), received shape [null, 8] (rank 2)');
    const inner = new Dense({ units: 3, name: 'dense_in' });
    inner.build([null, 4]);
    expect(() => new TimeDistributed({ layer: inner, name: 'td2' }).apply(input({ shape: [5, 6] }))).to.throw(LayerError,
      'td2 (TimeDistributed): the wrapped layer dense_in (Dense) expects each time step with last dimension 4, received input shape [null, 5, 6] (steps of shape [null, 6])');
    expect(() => new TimeDistributed({ layer: 'dense' as never })).to.throw(LayerError, "option 'layer' must be a layer or its { className, config }; received string \"dense\"");
    inner.dispose();
  });

  it('getConfig rebuilds it through the registry', async () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }) });
    td.build([null, 3, 2]);
    setDet(td, 7);
    const config = JSON.parse(JSON.stringify(td.getConfig())) as Record<string, unknown>;
    expect(config.layer).to.deep.include({ className: 'Dense' });
    const again = layerRegistry.get({ className: 'TimeDistributed', config: { ...config, name: 'td_copy' } }) as TimeDistributed;
    again.build([null, 3, 2]);
    const w = td.getWeights();
    again.setWeights(w);
    w.forEach((t) => t.dispose());
    const x = tensor(det(12, 1), [2, 3, 2]);
    const [a, b] = [td.apply(x) as Tensor, again.apply(x) as Tensor];
    expectClose(await read(b), await read(a));
    [x, a, b].forEach((t) => t.dispose());
    td.dispose();
    again.dispose();
  });

  it('passes the time mask on, and collects the wrapped layer\'s activity penalties', async () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2, activityRegularizer: { className: 'L2', config: { l2: 1 } } }) });
    const x = tensor(det(12, 1), [2, 3, 2]);
    const mask = tensor([[true, true, false], [true, false, false]]);
    expect(td.computeMask(x, mask)).to.equal(mask);
    const y = td.apply(x, { mask }) as Tensor;
    const losses = td.takeCallLosses();
    expect(losses.length).to.equal(1);
    expect((await read(losses[0]!))[0]).to.be.closeTo((await read(y)).reduce((s, v) => s + v * v, 0), 1e-4);
    [x, mask, y, ...losses].forEach((t) => t.dispose());
    td.dispose();
  });

  it('gradients of the input and weights (finite differences), and no leaks', async () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 3, activation: 'sigmoid' }) });
    td.build([null, 3, 2]);
    setDet(td, 1);
    const x = tensor(det(12, 2), [2, 3, 2]);
    const before = memory().numTensors;
    await checkLayerGradients(td, x);
    (td.apply(x, { training: true }) as Tensor).dispose();
    expect(memory().numTensors).to.equal(before);
    x.dispose();
    td.dispose();
  });
});

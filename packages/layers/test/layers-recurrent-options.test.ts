import { expect } from 'chai';
import { any, clone, memory, notEqual, ones, tensor, tidy, zeros, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import { Layer } from '../src/engine/layer.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import { GRU, LSTM, SimpleRNN, gru, lstm, simpleRNN, type BaseRNN } from '../src/layers/recurrent/index.js';
import { det, flat, lstmCell, refRun, to3d } from './layers-recurrent-reference.js';

async function read(t: Tensor | Tensor[]): Promise<number[]> {
  return Array.from(await (Array.isArray(t) ? t[0]! : t).data());
}

function setDet(layer: Layer, seed: number): number[][] {
  const values = layer.weights.map((w, i) => det(w.size, seed + i, 0.6));
  const tensors = layer.weights.map((w, i) => tensor(values[i]!, [...w.shape]));
  layer.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return values;
}

/** A test layer that masks the time steps whose features are all zero (as Keras's Masking). */
class ZeroMask extends Layer {
  static override readonly className = 'ZeroMask';
  override call(inputs: Tensor | Tensor[]): Tensor {
    return clone(Array.isArray(inputs) ? inputs[0]! : inputs);
  }
  override computeOutputShape(s: readonly (number | null)[] | (readonly (number | null)[])[]): readonly (number | null)[] {
    return s as readonly (number | null)[];
  }
  override computeMask(inputs: Tensor | Tensor[]): Tensor {
    return any(notEqual(Array.isArray(inputs) ? inputs[0]! : inputs, 0), -1);
  }
}

describe('recurrent layers: shapes in models', () => {
  beforeEach(() => resetLayerNames());

  it('infers output shapes for returnSequences/returnState at definition time', () => {
    const x = input({ shape: [5, 3] });
    expect((new SimpleRNN({ units: 4 }).apply(x) as SymbolicTensor).shape).to.deep.equal([null, 4]);
    expect((new GRU({ units: 4, returnSequences: true }).apply(x) as SymbolicTensor).shape).to.deep.equal([null, 5, 4]);
    const outs = new LSTM({ units: 4, returnSequences: true, returnState: true }).apply(x) as SymbolicTensor[];
    expect(outs.map((t) => t.shape)).to.deep.equal([[null, 5, 4], [null, 4], [null, 4]]);
    const free = input({ shape: [null, 3] });
    expect((new LSTM({ units: 2, returnSequences: true }).apply(free) as SymbolicTensor).shape).to.deep.equal([null, null, 2]);
  });

  it('stacks in a Sequential model from inputShape and runs variable-length batches', async () => {
    const m = new Sequential({ layers: [lstm({ units: 4, returnSequences: true, inputShape: [null, 3] }), gru({ units: 2 })] });
    expect(m.outputs[0]!.shape).to.deep.equal([null, 2]);
    const before = memory().numTensors;
    for (const t of [2, 6]) {
      const y = tidy(() => m.call(ones([3, t, 3])) as Tensor);
      expect(y.shape).to.deep.equal([3, 2]);
      y.dispose();
    }
    expect(memory().numTensors).to.equal(before);
    m.dispose();
  });

  it('reports a wrong rank or feature size at definition time, naming the layer', () => {
    expect(() => new LSTM({ units: 2, name: 'enc' }).apply(input({ shape: [28] })))
      .to.throw(LayerError, 'enc (LSTM): expected input of rank 3 ([batch, time, features]), received shape [null, 28] (rank 2)');
    const built = new GRU({ units: 2, name: 'g' });
    built.apply(input({ shape: [5, 3] }));
    expect(() => built.apply(input({ shape: [5, 4] }))).to.throw(LayerError, 'g (GRU): expected input with last dimension 3, received shape [null, 5, 4]');
    expect(() => new SimpleRNN({ units: 2, name: 's' }).apply(input({ shape: [5, null] })))
      .to.throw(LayerError, 's (SimpleRNN): the feature dimension (last) of the input must be known to build the kernel; received shape [null, 5, null]');
    built.dispose();
  });

  it('feeds symbolic initial states as inputs of the layer call', async () => {
    const x = input({ shape: [4, 3] });
    const h0 = input({ shape: [2] });
    const c0 = input({ shape: [2] });
    const layer = new LSTM({ units: 2 });
    const y = layer.apply(x, { initialState: [h0, c0] }) as SymbolicTensor;
    expect(y.shape).to.deep.equal([null, 2]);
    expect(layer.inboundNodes[0]!.inputs.length).to.equal(3);
    const m = new LayersModel({ inputs: [x, h0, c0], outputs: y });
    const [kernel, recurrent, bias] = setDet(layer, 4);
    const xs = det(2 * 4 * 3, 1);
    const hs = det(4, 2);
    const cs = det(4, 3);
    const args = [tensor(xs, [2, 4, 3]), tensor(hs, [2, 2]), tensor(cs, [2, 2])];
    const out = m.call(args) as Tensor;
    const split = (v: number[]): number[][] => [v.slice(0, 2), v.slice(2)];
    const ref = refRun(to3d(xs, 2, 4, 3), lstmCell({ kernel: kernel!, recurrent: recurrent!, bias: bias!, units: 2 }), 2, 2, { initialStates: [split(hs), split(cs)] });
    expectClose(await read(out), flat(ref.output), { atol: 1e-5, rtol: 1e-4 });
    [out, ...args].forEach((t) => t.dispose());
    m.dispose();
  });

  it('takes the mask a previous layer computes, and passes it on only with returnSequences', async () => {
    const x = input({ shape: [4, 3] });
    const masked = new ZeroMask({}).apply(x) as SymbolicTensor;
    const seq = new LSTM({ units: 2, returnSequences: true, name: 'seq' });
    const last = new LSTM({ units: 2, name: 'last' });
    const y = last.apply(seq.apply(masked) as SymbolicTensor) as SymbolicTensor;
    const m = new LayersModel({ inputs: x, outputs: y });
    const w1 = setDet(seq, 1);
    const w2 = setDet(last, 9);
    // Sample 0 right-padded after 2 steps, sample 1 full.
    const xs = det(2 * 4 * 3, 5).map((v, i) => (i >= 6 && i < 12 ? 0 : v));
    const mask = [[true, true, false, false], [true, true, true, true]];
    const xt = tensor(xs, [2, 4, 3]);
    const out = m.call(xt) as Tensor;
    const cell1 = lstmCell({ kernel: w1[0]!, recurrent: w1[1]!, bias: w1[2]!, units: 2 });
    const cell2 = lstmCell({ kernel: w2[0]!, recurrent: w2[1]!, bias: w2[2]!, units: 2 });
    const mid = refRun(to3d(xs, 2, 4, 3), cell1, 2, 2, { returnSequences: true, mask }).output as number[][][];
    const ref = refRun(mid, cell2, 2, 2, { mask });
    expectClose(await read(out), flat(ref.output), { atol: 1e-5, rtol: 1e-4 });
    // Without the mask the padded steps would change the result.
    const unmasked = refRun(refRun(to3d(xs, 2, 4, 3), cell1, 2, 2, { returnSequences: true }).output as number[][][], cell2, 2, 2);
    expect(Math.abs(flat(unmasked.output)[0]! - (await read(out))[0]!)).to.be.greaterThan(1e-4);
    const maskT = tensor(mask, [2, 4]);
    expect(seq.computeMask(xt, maskT)).to.equal(maskT);
    expect(last.computeMask(xt, maskT)).to.equal(null);
    const withState = new GRU({ units: 2, returnSequences: true, returnState: true });
    expect(withState.computeMask(xt, maskT)).to.deep.equal([maskT, null]);
    [out, xt, maskT].forEach((t) => t.dispose());
    m.dispose();
    withState.dispose();
  });
});

describe('recurrent layers: option and call errors', () => {
  beforeEach(() => resetLayerNames());

  it('validates constructor options, naming the option and the received value', () => {
    expect(() => new LSTM({ units: 0 })).to.throw(LayerError, "lstm (LSTM): option 'units' must be an integer >= 1; received number 0");
    expect(() => new GRU({ units: 2.5 })).to.throw(LayerError, "option 'units' must be an integer >= 1; received number 2.5");
    expect(() => new SimpleRNN({ units: 2, dropout: 1 })).to.throw(LayerError, "option 'dropout' must be a number in [0, 1); received number 1");
    expect(() => new SimpleRNN({ units: 2, recurrentDropout: -0.1 })).to.throw(LayerError, "option 'recurrentDropout' must be a number in [0, 1); received number -0.1");
    expect(() => new LSTM({ units: 2, implementation: 3 })).to.throw(LayerError, "option 'implementation' must be 1 or 2; received number 3");
    expect(() => new GRU({ units: 2, resetAfter: 'yes' as never })).to.throw(LayerError, "option 'resetAfter' must be true or false; received string \"yes\"");
    expect(() => new LSTM({ units: 2, returnSequences: 1 as never })).to.throw(LayerError, "option 'returnSequences' must be true or false; received number 1");
    expect(() => new LSTM({ units: 2, activation: 'nope' })).to.throw('Unknown activation "nope"');
  });

  it('needs a fixed batch size when stateful, saying how to give one', () => {
    expect(() => new LSTM({ units: 2, stateful: true, name: 's' }).apply(input({ shape: [5, 3] }))).to.throw(LayerError,
      's (LSTM): stateful: true needs a fixed batch size, received input shape [null, 5, 3]; give the first layer batchInputShape (e.g. [32, 5, 3]) or batchSize with inputShape, or input({ batchShape: [...] })');
    const ok = new LSTM({ units: 2, stateful: true, name: 'ok' });
    const y = ok.apply(input({ batchShape: [4, 5, 3] })) as SymbolicTensor;
    expect(y.shape).to.deep.equal([4, 2]);
    expect(ok.states!.map((s) => s.shape)).to.deep.equal([[4, 2], [4, 2]]);
    const x = zeros([3, 5, 3]);
    expect(() => ok.apply(x)).to.throw(LayerError, 'ok (LSTM): is stateful with batch size 4, received a batch of 3; feed batches of exactly 4 samples (fit with batchSize: 4 and shuffle: false), or give initialState');
    x.dispose();
    ok.dispose();
  });

  it('checks initial states, masks and time steps at call time', () => {
    const layer = new LSTM({ units: 2, name: 'l' });
    const x = zeros([2, 3, 4]);
    const h = zeros([2, 2]);
    const wrong = zeros([2, 3]);
    expect(() => layer.apply(x, { initialState: [h] })).to.throw(LayerError,
      'l (LSTM): initialState must be 2 tensor(s) (h, c) of shape [2, 2] ([batch, units]); received 1 with shape(s) [2, 2]');
    expect(() => layer.apply(x, { initialState: [h, wrong] })).to.throw(LayerError, 'received 2 with shape(s) [2, 2], [2, 3]');
    const mask = tensor([[true, false]]);
    expect(() => layer.apply(x, { mask })).to.throw(LayerError, 'l (LSTM): mask must have shape [batch, time] = [2, 3], received shape [1, 2]');
    const empty = zeros([2, 0, 4]);
    expect(() => layer.apply(empty)).to.throw(LayerError, 'l (LSTM): expected at least one time step, received input shape [2, 0, 4]');
    [x, h, wrong, mask, empty].forEach((t) => t.dispose());
    layer.dispose();
  });

  it('refuses resetStates on a layer that is not stateful, and wrong state values', () => {
    const plain = new GRU({ units: 2, name: 'g' });
    expect(() => plain.resetStates()).to.throw(LayerError, 'g (GRU): resetStates() needs a stateful layer; create it with stateful: true');
    const s = new GRU({ units: 2, stateful: true, name: 'sg' });
    s.resetStates(); // nothing to reset before it is built
    const h = zeros([2, 2]);
    expect(() => s.resetStates(h)).to.throw(LayerError, 'sg (GRU): resetStates(states) was called before the layer was built; call the layer on data first (its batch size fixes the state shapes)');
    s.build([3, 4, 1]);
    expect(() => s.resetStates(h)).to.throw(LayerError, 'sg (GRU): resetStates expected 1 tensor(s) (h) of shape [3, 2]; received 1 with shape(s) [2, 2]');
    h.dispose();
    s.dispose();
  });
});

describe('recurrent layers: config, training behaviour, memory', () => {
  beforeEach(() => resetLayerNames());

  const makers: [string, () => BaseRNN][] = [
    ['SimpleRNN', () => simpleRNN({ units: 3, activation: 'relu', returnSequences: true, goBackwards: true, kernelRegularizer: { className: 'L2', config: { l2: 0.01 } } })],
    ['LSTM', () => lstm({ units: 3, recurrentActivation: 'hard_sigmoid', unitForgetBias: false, returnState: true, dropout: 0.1, seed: 3 })],
    ['GRU', () => gru({ units: 3, resetAfter: false, recurrentDropout: 0.2, useBias: false, stateful: false })],
  ];

  for (const [label, make] of makers) {
    it(`${label}: getConfig rebuilds an equivalent layer (also through the registry)`, async () => {
      const layer = make();
      layer.build([null, 4, 2]);
      setDet(layer, 2);
      const config = layer.getConfig();
      expect(config).to.include({ units: 3, returnSequences: layer.returnSequences, goBackwards: layer.goBackwards, stateful: false, unroll: false });
      expect(JSON.parse(JSON.stringify(config))).to.deep.equal(config);
      const again = layerRegistry.get({ className: label, config: { ...config, name: `${layer.name}_copy` } }) as BaseRNN;
      expect(again).to.be.instanceOf(layer.constructor as typeof Layer);
      again.build([null, 4, 2]);
      const w = layer.getWeights();
      again.setWeights(w);
      w.forEach((t) => t.dispose());
      expect({ ...again.getConfig(), name: layer.name }).to.deep.equal(config);
      const x = tensor(det(2 * 4 * 2, 6), [2, 4, 2]);
      const a = layer.apply(x);
      const b = again.apply(x);
      expectClose(await read(b), await read(a));
      [x, ...[a, b].flat()].forEach((t) => t.dispose());
      layer.dispose();
      again.dispose();
    });
  }

  it('writes Keras 3 defaults: tanh, sigmoid gates, glorot/orthogonal/zeros, GRU resetAfter true', () => {
    const l = new LSTM({ units: 2 }).getConfig();
    expect(l).to.include({ activation: 'tanh', recurrentActivation: 'sigmoid', unitForgetBias: true, useBias: true, dropout: 0, recurrentDropout: 0, implementation: 2 });
    expect((l.kernelInitializer as { className: string }).className).to.equal('GlorotUniform');
    expect((l.recurrentInitializer as { className: string }).className).to.equal('Orthogonal');
    expect((l.biasInitializer as { className: string }).className).to.equal('Zeros');
    expect(new GRU({ units: 2 }).getConfig()).to.include({ resetAfter: true, recurrentActivation: 'sigmoid' });
    expect(new SimpleRNN({ units: 2, activation: null }).getConfig()).to.include({ activation: 'linear' });
  });

  it('applies dropout only while training, with one input mask for all time steps', async () => {
    // Linear cell with identity kernel and no recurrence: h_t = x_t ⊙ mask, so with x_t = 1 every
    // step shows the mask itself.
    const layer = new SimpleRNN({ units: 6, activation: 'linear', useBias: false, dropout: 0.5, returnSequences: true, seed: 11 });
    layer.build([null, 5, 6]);
    const eye = tensor(Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 1 : 0)), [6, 6]);
    const zero = zeros([6, 6]);
    layer.setWeights([eye, zero]);
    const x = ones([3, 5, 6]);
    const inference = await read(layer.apply(x, { training: false }) as Tensor);
    expectClose(inference, new Array<number>(90).fill(1));
    const y = layer.apply(x, { training: true }) as Tensor;
    const v = await read(y);
    for (let b = 0; b < 3; b++) {
      for (let t = 1; t < 5; t++) {
        for (let j = 0; j < 6; j++) expect(v[(b * 5 + t) * 6 + j]).to.equal(v[b * 30 + j]);
      }
    }
    expect(v.every((e) => e === 0 || Math.abs(e - 2) < 1e-6)).to.equal(true);
    expect(v.some((e) => e === 0) && v.some((e) => e !== 0)).to.equal(true);
    [eye, zero, x, y].forEach((t) => t.dispose());
    layer.dispose();
  });

  it('uses one recurrent dropout mask for all time steps', async () => {
    // No input path, identity recurrence, linear: h_t = mask ⊙ h_{t-1}, so h_t = mask^t ⊙ h_0.
    const layer = new SimpleRNN({ units: 8, activation: 'linear', useBias: false, recurrentDropout: 0.5, returnSequences: true, seed: 5 });
    layer.build([null, 3, 1]);
    const k = zeros([1, 8]);
    const eye = tensor(Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 1 : 0)), [8, 8]);
    layer.setWeights([k, eye]);
    const x = zeros([2, 3, 1]);
    const h0 = ones([2, 8]);
    const y = layer.apply(x, { training: true, initialState: h0 }) as Tensor;
    const v = await read(y);
    for (let b = 0; b < 2; b++) {
      for (let j = 0; j < 8; j++) {
        const m = v[b * 24 + j]!;
        expect(m === 0 || Math.abs(m - 2) < 1e-6).to.equal(true);
        expect(v[b * 24 + 8 + j]).to.be.closeTo(m * m, 1e-5);
        expect(v[b * 24 + 16 + j]).to.be.closeTo(m * m * m, 1e-4);
      }
    }
    [k, eye, x, h0, y].forEach((t) => t.dispose());
    layer.dispose();
  });

  it('repeats the dropout masks for the same seed, and changes them from call to call', async () => {
    const run = async (): Promise<number[][]> => {
      const layer = new GRU({ units: 4, dropout: 0.3, recurrentDropout: 0.3, seed: 42, kernelInitializer: { className: 'GlorotUniform', config: { seed: 1 } }, recurrentInitializer: { className: 'Orthogonal', config: { seed: 2 } } });
      const x = tensor(det(2 * 3 * 5, 1), [2, 3, 5]);
      const a = layer.apply(x, { training: true }) as Tensor;
      const b = layer.apply(x, { training: true }) as Tensor;
      const out = [await read(a), await read(b)];
      [x, a, b].forEach((t) => t.dispose());
      layer.dispose();
      return out;
    };
    const [a1, b1] = await run();
    const [a2, b2] = await run();
    expect(a2).to.deep.equal(a1);
    expect(b2).to.deep.equal(b1);
    expect(b1).to.not.deep.equal(a1);
  });

  it('adds the activity penalty on the output', async () => {
    const layer = new SimpleRNN({ units: 2, activityRegularizer: { className: 'L2', config: { l2: 0.5 } } });
    const x = tensor(det(2 * 3 * 2, 1), [2, 3, 2]);
    const y = layer.apply(x) as Tensor;
    const losses = layer.takeCallLosses();
    expect(losses.length).to.equal(1);
    const out = await read(y);
    expect((await read(losses[0]!))[0]).to.be.closeTo(0.5 * out.reduce((s, v) => s + v * v, 0), 1e-5);
    [x, y, ...losses].forEach((t) => t.dispose());
    layer.dispose();
  });

  it('leaves no tensors behind: calls, training calls, stateful updates and dispose', () => {
    const baseline = memory().numTensors;
    const layers = [new SimpleRNN({ units: 3, dropout: 0.2 }), new LSTM({ units: 3, stateful: true, recurrentDropout: 0.3, returnState: true }), new GRU({ units: 3, resetAfter: false, returnSequences: true })];
    const x = ones([2, 4, 2]);
    const mask = tensor([[true, true, false, false], [true, true, true, true]]);
    for (const layer of layers) {
      layer.build([2, 4, 2]);
      const afterBuild = memory().numTensors;
      for (const training of [false, true]) {
        const out = layer.apply(x, { training, mask });
        (Array.isArray(out) ? out : [out]).forEach((t) => t.dispose());
        expect(memory().numTensors, `${layer.name} training=${training}`).to.equal(afterBuild);
      }
      layer.dispose();
    }
    x.dispose();
    mask.dispose();
    expect(memory().numTensors).to.equal(baseline);
  });
});

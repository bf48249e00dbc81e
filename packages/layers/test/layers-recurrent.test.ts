import { expect } from 'chai';
import { clone, memory, mul, sum, tensor, variableGrads, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { resetLayerNames } from '../src/engine/naming.js';
import { GRU, LSTM, SimpleRNN, type BaseRNN, type RecurrentArgs } from '../src/layers/recurrent/index.js';
import {
  det, flat, gruCell, lstmCell, refRun, simpleRnnCell, to3d, type RefCell, type RefRunOptions,
} from './layers-recurrent-reference.js';

const B = 2;
const T = 4;
const F = 3;
const U = 2;

interface Kind {
  label: string;
  make: (args: Omit<RecurrentArgs, 'units'>) => BaseRNN;
  states: number;
  /** Sets deterministic weights on a built layer and returns the reference cell using them. */
  cell: (layer: BaseRNN, seed: number) => RefCell;
}

function setDet(layer: BaseRNN, seed: number): number[][] {
  const values = layer.weights.map((w, i) => det(w.size, seed + i, 0.6));
  const tensors = layer.weights.map((w, i) => tensor(values[i]!, [...w.shape]));
  layer.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return values;
}

const KINDS: Kind[] = [
  {
    label: 'SimpleRNN',
    make: (args) => new SimpleRNN({ units: U, ...args }),
    states: 1,
    cell: (layer, seed) => {
      const [kernel, recurrent, bias] = setDet(layer, seed);
      return simpleRnnCell({ kernel: kernel!, recurrent: recurrent!, bias: layer.useBias ? bias! : null, units: U });
    },
  },
  {
    label: 'LSTM',
    make: (args) => new LSTM({ units: U, ...args }),
    states: 2,
    cell: (layer, seed) => {
      const [kernel, recurrent, bias] = setDet(layer, seed);
      return lstmCell({ kernel: kernel!, recurrent: recurrent!, bias: layer.useBias ? bias! : null, units: U });
    },
  },
  {
    label: 'GRU (resetAfter: true)',
    make: (args) => new GRU({ units: U, ...args }),
    states: 1,
    cell: (layer, seed) => {
      const [kernel, recurrent, bias] = setDet(layer, seed);
      return gruCell({ kernel: kernel!, recurrent: recurrent!, bias: layer.useBias ? bias! : null, units: U, resetAfter: true });
    },
  },
  {
    label: 'GRU (resetAfter: false)',
    make: (args) => new GRU({ units: U, resetAfter: false, ...args }),
    states: 1,
    cell: (layer, seed) => {
      const [kernel, recurrent, bias] = setDet(layer, seed);
      return gruCell({ kernel: kernel!, recurrent: recurrent!, bias: layer.useBias ? bias! : null, units: U, resetAfter: false });
    },
  },
];

interface Case {
  label: string;
  args: Omit<RecurrentArgs, 'units'>;
  mask?: boolean[][];
  initialState?: boolean;
}

// Right-padded and left-padded samples.
const PADDED: boolean[][] = [[true, true, true, false], [false, false, true, true]];
const HOLES: boolean[][] = [[true, false, true, true], [true, true, false, false]];

const CASES: Case[] = [
  { label: 'last output', args: {} },
  { label: 'returnSequences', args: { returnSequences: true } },
  { label: 'returnState', args: { returnState: true } },
  { label: 'returnSequences + returnState', args: { returnSequences: true, returnState: true } },
  { label: 'goBackwards', args: { goBackwards: true } },
  { label: 'goBackwards + returnSequences + returnState', args: { goBackwards: true, returnSequences: true, returnState: true } },
  { label: 'padded mask, last output', args: {}, mask: PADDED },
  { label: 'padded mask + returnSequences + returnState', args: { returnSequences: true, returnState: true }, mask: PADDED },
  { label: 'mask with holes + goBackwards + returnSequences', args: { goBackwards: true, returnSequences: true }, mask: HOLES },
  { label: 'initialState', args: { returnSequences: true, returnState: true }, initialState: true },
  { label: 'initialState + padded mask', args: { returnSequences: true }, initialState: true, mask: PADDED },
  { label: 'useBias: false', args: { useBias: false, returnSequences: true } },
];

async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('recurrent layers: values against float64 Keras loops', () => {
  beforeEach(() => resetLayerNames());

  for (const kind of KINDS) {
    for (const c of CASES) {
      it(`${kind.label}: ${c.label}`, async () => {
        const layer = kind.make(c.args);
        layer.build([null, T, F]);
        const cell = kind.cell(layer, 3);
        const xs = det(B * T * F, 11, 1.5);
        const x = tensor(xs, [B, T, F]);
        const initial = c.initialState ? Array.from({ length: kind.states }, (_, s) => det(B * U, 20 + s, 0.8)) : null;
        const initialTensors = initial?.map((v) => tensor(v, [B, U]));
        const mask = c.mask ? tensor(c.mask, [B, T]) : null;
        const before = memory().numTensors;
        const out = layer.apply(x, { ...(mask ? { mask } : {}), ...(initialTensors ? { initialState: initialTensors } : {}) });
        const outs = Array.isArray(out) ? out : [out];
        const opts: RefRunOptions = {
          returnSequences: c.args.returnSequences, goBackwards: c.args.goBackwards, mask: c.mask,
          initialStates: initial?.map((v) => Array.from({ length: B }, (_, b) => v.slice(b * U, (b + 1) * U))),
        };
        const ref = refRun(to3d(xs, B, T, F), cell, kind.states, U, opts);
        expect(outs.length).to.equal(c.args.returnState ? 1 + kind.states : 1);
        expect(outs[0]!.shape).to.deep.equal(c.args.returnSequences ? [B, T, U] : [B, U]);
        expectClose(await read(outs[0]!), flat(ref.output), { atol: 1e-5, rtol: 1e-4 }, 'output');
        for (let s = 0; s < (c.args.returnState ? kind.states : 0); s++) {
          expect(outs[1 + s]!.shape).to.deep.equal([B, U]);
          expectClose(await read(outs[1 + s]!), flat(ref.states[s]), { atol: 1e-5, rtol: 1e-4 }, `state ${s}`);
        }
        outs.forEach((t) => t.dispose());
        expect(memory().numTensors, 'tensors left by the call').to.equal(before);
        x.dispose();
        mask?.dispose();
        initialTensors?.forEach((t) => t.dispose());
        layer.dispose();
      });
    }
  }

  it('takes the initial states from the input list ([x, h0, c0]) as a model passes them', async () => {
    const layer = new LSTM({ units: U, returnState: true });
    layer.build([null, T, F]);
    const cell = KINDS[1]!.cell(layer, 5);
    const xs = det(B * T * F, 4);
    const h0 = det(B * U, 8);
    const c0 = det(B * U, 9);
    const [x, h, c] = [tensor(xs, [B, T, F]), tensor(h0, [B, U]), tensor(c0, [B, U])];
    const out = layer.apply([x, h, c]) as Tensor[];
    const split = (v: number[]): number[][] => [v.slice(0, U), v.slice(U)];
    const ref = refRun(to3d(xs, B, T, F), cell, 2, U, { initialStates: [split(h0), split(c0)] });
    expectClose(await read(out[0]!), flat(ref.output), { atol: 1e-5, rtol: 1e-4 });
    expectClose(await read(out[2]!), flat(ref.states[1]), { atol: 1e-5, rtol: 1e-4 });
    [...out, x, h, c].forEach((t) => t.dispose());
    layer.dispose();
  });

  it('uses Keras\'s LSTM bias layout: unitForgetBias puts ones in the forget block only', async () => {
    const layer = new LSTM({ units: 3 });
    layer.build([null, 2, 2]);
    expectClose(await read(layer.bias!), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const plain = new LSTM({ units: 3, unitForgetBias: false, biasInitializer: 'ones' });
    plain.build([null, 2, 2]);
    expectClose(await read(plain.bias!), new Array<number>(12).fill(1));
    layer.dispose();
    plain.dispose();
  });

  it('names and shapes the weights as Keras does', () => {
    const cases: [BaseRNN, number[][]][] = [
      [new SimpleRNN({ units: 4, name: 'rnn' }), [[3, 4], [4, 4], [4]]],
      [new LSTM({ units: 4, name: 'lstm' }), [[3, 16], [4, 16], [16]]],
      [new GRU({ units: 4, name: 'gru' }), [[3, 12], [4, 12], [2, 12]]],
      [new GRU({ units: 4, name: 'gru_v1', resetAfter: false }), [[3, 12], [4, 12], [12]]],
    ];
    for (const [layer, shapes] of cases) {
      layer.build([null, 5, 3]);
      expect(layer.weightEntries.map((w) => w.name)).to.deep.equal(['kernel', 'recurrent_kernel', 'bias'].map((n) => `${layer.name}/${n}`));
      expect(layer.weights.map((w) => w.shape)).to.deep.equal(shapes);
      layer.dispose();
    }
  });

  it('orthogonal recurrent kernel by default (UᵀU = I for a square SimpleRNN kernel)', async () => {
    const layer = new SimpleRNN({ units: 3 });
    layer.build([null, 2, 2]);
    const u = await read(layer.recurrentKernel!);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += u[k * 3 + i]! * u[k * 3 + j]!;
        expect(s).to.be.closeTo(i === j ? 1 : 0, 1e-5);
      }
    }
    layer.dispose();
  });
});

describe('recurrent layers: stateful', () => {
  beforeEach(() => resetLayerNames());

  for (const kind of KINDS) {
    it(`${kind.label}: carries the final states into the next call, and resetStates clears them`, async () => {
      const layer = kind.make({ stateful: true, returnSequences: true });
      layer.build([B, T, F]);
      const cell = kind.cell(layer, 7);
      const xs1 = det(B * T * F, 31);
      const xs2 = det(B * T * F, 32);
      const [x1, x2] = [tensor(xs1, [B, T, F]), tensor(xs2, [B, T, F])];
      const first = refRun(to3d(xs1, B, T, F), cell, kind.states, U, { returnSequences: true });
      const second = refRun(to3d(xs2, B, T, F), cell, kind.states, U, { returnSequences: true, initialStates: first.states });
      const fresh = refRun(to3d(xs2, B, T, F), cell, kind.states, U, { returnSequences: true });

      const y1 = layer.apply(x1) as Tensor;
      expectClose(await read(y1), flat(first.output), { atol: 1e-5, rtol: 1e-4 }, 'first call');
      expect(layer.states!.length).to.equal(kind.states);
      expectClose(await read(layer.states![0]!), flat(first.states[0]), { atol: 1e-5, rtol: 1e-4 }, 'stored state');
      const y2 = layer.apply(x2) as Tensor;
      expectClose(await read(y2), flat(second.output), { atol: 1e-5, rtol: 1e-4 }, 'second call continues');
      layer.resetStates();
      expectClose(await read(layer.states![0]!), new Array<number>(B * U).fill(0), {}, 'after reset');
      const y3 = layer.apply(x2) as Tensor;
      expectClose(await read(y3), flat(fresh.output), { atol: 1e-5, rtol: 1e-4 }, 'after resetStates');
      [y1, y2, y3, x1, x2].forEach((t) => t.dispose());
      layer.dispose();
    });
  }

  it('resetStates(values) sets the stored states', async () => {
    const layer = new LSTM({ units: U, stateful: true });
    layer.build([B, T, F]);
    const cell = KINDS[1]!.cell(layer, 2);
    const h = det(B * U, 40);
    const c = det(B * U, 41);
    const [ht, ct] = [tensor(h, [B, U]), tensor(c, [B, U])];
    layer.resetStates([ht, ct]);
    ht.dispose();
    ct.dispose();
    const xs = det(B * T * F, 42);
    const x = tensor(xs, [B, T, F]);
    const y = layer.apply(x) as Tensor;
    const split = (v: number[]): number[][] => [v.slice(0, U), v.slice(U)];
    const ref = refRun(to3d(xs, B, T, F), cell, 2, U, { initialStates: [split(h), split(c)] });
    expectClose(await read(y), flat(ref.output), { atol: 1e-5, rtol: 1e-4 });
    [x, y].forEach((t) => t.dispose());
    layer.dispose();
  });

  it('differentiates a stateful call like a plain call fed the stored state (the update does not disturb the gradient)', async () => {
    const layer = new LSTM({ units: U, stateful: true });
    layer.build([B, T, F]);
    setDet(layer, 1);
    const x = tensor(det(B * T * F, 3), [B, T, F]);
    (layer.apply(x) as Tensor).dispose(); // a non-zero stored state
    const stored = layer.states!.map((v) => clone(v));
    const twin = new LSTM({ units: U });
    twin.build([null, T, F]);
    const copies = layer.getWeights();
    twin.setWeights(copies);
    copies.forEach((t) => t.dispose());
    const objective = (l: LSTM, args: Record<string, unknown>) => () => sum(mul(l.apply(x, args) as Tensor, tensor(det(B * U, 9), [B, U])));
    const a = variableGrads(objective(layer, {}), layer.trainableWeights);
    const b = variableGrads(objective(twin, { initialState: stored }), twin.trainableWeights);
    expectClose(await read(a.value), await read(b.value), { atol: 1e-6 });
    for (let i = 0; i < 3; i++) {
      expectClose(await read(a.grads[layer.trainableWeights[i]!.name]!), await read(b.grads[twin.trainableWeights[i]!.name]!), { atol: 1e-6 }, `weight ${i}`);
    }
    [a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads), x, ...stored].forEach((t) => t.dispose());
    layer.dispose();
    twin.dispose();
  });
});

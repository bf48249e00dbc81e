import { expect } from 'chai';
import { setSeed } from '@strata/core';
import { input, layers, model, sequential } from '../../src/index.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import type { BaseRNN, RecurrentArgs } from '../../src/layers/recurrent/base-rnn.js';
import { countOps, expectOnnxMatches, tempDir } from './onnx-helpers.js';

// SimpleRNN, LSTM, GRU and Bidirectional as ONNX RNN / LSTM / GRU: gate orders, kernel layouts,
// biases, directions, sequences and states must all line up for the numbers to agree.

type Make = (args: RecurrentArgs & Record<string, unknown>) => BaseRNN;

const KINDS: { label: string; make: Make; op: string }[] = [
  { label: 'SimpleRNN', make: (a) => layers.simpleRNN(a), op: 'RNN' },
  { label: 'LSTM', make: (a) => layers.lstm(a), op: 'LSTM' },
  { label: 'GRU (resetAfter)', make: (a) => layers.gru({ resetAfter: true, ...a }), op: 'GRU' },
  { label: 'GRU (resetAfter false)', make: (a) => layers.gru({ resetAfter: false, ...a }), op: 'GRU' },
];

describe('exportOnnx: recurrent layers', () => {
  const tmp = tempDir();
  before(() => setSeed(5));
  after(() => tmp.cleanup());

  for (const kind of KINDS) {
    it(`exports ${kind.label}: last output, sequences, goBackwards, stacked`, async () => {
      const m = sequential({
        layers: [
          kind.make({ units: 4, returnSequences: true, inputShape: [6, 3] }),
          kind.make({ units: 3, returnSequences: true, goBackwards: true }),
          kind.make({ units: 2, goBackwards: true, useBias: false }),
        ],
      });
      const graph = await expectOnnxMatches(m, tmp.dir);
      expect(countOps(graph, kind.op)).to.equal(3);
    });

    it(`exports ${kind.label} with returnState and initial states given as model inputs`, async () => {
      const x = input({ shape: [5, 3], name: 'sequence' });
      const stateCount = kind.op === 'LSTM' ? 2 : 1;
      const states = Array.from({ length: stateCount }, (_, i) => input({ shape: [4], name: `state_${i}` }));
      const outputs = kind.make({ units: 4, returnSequences: true, returnState: true }).apply(x, { initialState: states }) as SymbolicTensor[];
      expect(outputs).to.have.length(1 + stateCount);
      await expectOnnxMatches(model({ inputs: [x, ...states], outputs }), tmp.dir);
    });
  }

  it('exports TF.js-style gates (hard_sigmoid) and other activations the ONNX operators take', async () => {
    const m = sequential({
      layers: [
        layers.lstm({ units: 3, recurrentActivation: 'hard_sigmoid', returnSequences: true, inputShape: [5, 2] }),
        layers.gru({ units: 3, activation: 'leaky_relu', resetAfter: false, returnSequences: true }),
        layers.gru({ units: 3, recurrentActivation: 'hard_sigmoid', activation: 'linear', returnSequences: true }),
        layers.simpleRNN({ units: 2, activation: 'relu' }),
      ],
    });
    await expectOnnxMatches(m, tmp.dir, { fills: [{ scale: 2 }] });
  });

  for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
    it(`exports Bidirectional with mergeMode ${String(mergeMode)}`, async () => {
      const x = input({ shape: [6, 3] });
      const seq = layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }), mergeMode }).apply(x) as SymbolicTensor | SymbolicTensor[];
      const last = layers.bidirectional({ layer: layers.gru({ units: 2 }), mergeMode }).apply(x) as SymbolicTensor | SymbolicTensor[];
      const outputs = [...(Array.isArray(seq) ? seq : [seq]), ...(Array.isArray(last) ? last : [last])];
      await expectOnnxMatches(model({ inputs: x, outputs }), tmp.dir);
    });
  }

  it('exports Bidirectional with returnState, initial states and a custom backward layer', async () => {
    const x = input({ shape: [4, 2] });
    const states = [0, 1, 2, 3].map((i) => input({ shape: [3], name: `s${i}` }));
    const bi = layers.bidirectional({
      layer: layers.lstm({ units: 3, returnSequences: true, returnState: true }),
      backwardLayer: layers.lstm({ units: 3, returnSequences: true, returnState: true, goBackwards: true, recurrentActivation: 'hard_sigmoid' }),
    });
    const outputs = bi.apply(x, { initialState: states }) as SymbolicTensor[];
    const simple = layers.bidirectional({ layer: layers.simpleRNN({ units: 2, returnSequences: true }), mergeMode: 'ave' }).apply(outputs[0]!) as SymbolicTensor;
    await expectOnnxMatches(model({ inputs: [x, ...states], outputs: [...outputs, simple] }), tmp.dir);
  });
});

import { expect } from 'chai';
import { memory, ones, tensor, tidy, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { input } from '../src/engine/input-layer.js';
import { LayerError } from '../src/engine/errors.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames, snakeCase } from '../src/engine/naming.js';
import { Dense } from '../src/layers/core/dense.js';

/** A Dense layer with known weights: kernel all `k`, bias all `b`. */
function fixedDense(units: number, inputDim: number, k: number, b: number, name?: string): Dense {
  const d = new Dense({ units, name, kernelInitializer: { className: 'Constant', config: { value: k } }, biasInitializer: { className: 'Constant', config: { value: b } } });
  d.build([null, inputDim]);
  return d;
}

async function values(t: Tensor | Tensor[]): Promise<number[]> {
  const one = Array.isArray(t) ? t[0]! : t;
  return Array.from(await one.data());
}

describe('layer naming', () => {
  it('gives Keras default names', () => {
    expect(snakeCase('Conv2D')).to.equal('conv2d');
    expect(snakeCase('BatchNormalization')).to.equal('batch_normalization');
    expect(snakeCase('LSTM')).to.equal('lstm');
    expect(snakeCase('GlobalAveragePooling2D')).to.equal('global_average_pooling2d');
    resetLayerNames();
    expect([new Dense({ units: 1 }).name, new Dense({ units: 1 }).name, new Dense({ units: 1 }).name]).to.deep.equal(['dense', 'dense_1', 'dense_2']);
  });
});

describe('functional models', () => {
  beforeEach(() => resetLayerNames());

  it('infers shapes when defined and computes when run', async () => {
    const x = input({ shape: [3] });
    const h = fixedDense(4, 3, 0.5, 1).apply(x);
    const y = fixedDense(2, 4, 1, 0).apply(h as never);
    expect((h as { shape: unknown }).shape).to.deep.equal([null, 4]);
    const m = new LayersModel({ inputs: x, outputs: y as never });
    const out = tidy(() => m.call(tensor([[1, 2, 3]])) as Tensor);
    // h = 0.5 * 6 + 1 = 4 per unit; y = 4 * 4 = 16 per unit
    expectClose(await values(out), [16, 16]);
    out.dispose();
    m.dispose();
  });

  it('names the layer, class and shapes in a shape error at definition time', () => {
    const x = input({ shape: [32] });
    const d = new Dense({ units: 3, name: 'dense_2' });
    d.build([null, 64]);
    expect(() => d.apply(x)).to.throw(LayerError, 'dense_2 (Dense): expected input with last dimension 64, received shape [null, 32]');
    d.dispose();
  });

  it('runs several inputs, several outputs and a shared layer', async () => {
    const a = input({ shape: [2], name: 'a' });
    const b = input({ shape: [2], name: 'b' });
    const shared = fixedDense(1, 2, 1, 0, 'shared');
    const ya = shared.apply(a);
    const yb = shared.apply(b);
    const m = new LayersModel({ inputs: [a, b], outputs: [ya as never, yb as never] });
    expect(m.inputNames).to.deep.equal(['a', 'b']);
    expect(shared.inboundNodes).to.have.length(2);
    expect(m.countParams()).to.equal(3);
    const outs = m.call([tensor([[1, 2]]), tensor([[10, 20]])]) as Tensor[];
    expect(await values(outs[0]!)).to.deep.equal([3]);
    expect(await values(outs[1]!)).to.deep.equal([30]);
    outs.forEach((t) => t.dispose());
    m.dispose();
  });

  it('uses a model as a layer inside another model', async () => {
    const x = input({ shape: [2] });
    const inner = new LayersModel({ inputs: x, outputs: fixedDense(2, 2, 1, 0).apply(x) as never, name: 'inner' });
    const z = input({ shape: [2] });
    const outer = new LayersModel({ inputs: z, outputs: fixedDense(1, 2, 1, 1).apply(inner.apply(z) as never) as never });
    const y = outer.call(tensor([[1, 1]])) as Tensor;
    expect(await values(y)).to.deep.equal([5]); // inner: [2, 2]; outer: 2 + 2 + 1
    expect(outer.countParams()).to.equal(4 + 2 + 3);
    y.dispose();
    outer.dispose();
  });

  it('reports a disconnected graph naming the missing input', () => {
    const a = input({ shape: [2], name: 'a' });
    const b = input({ shape: [2], name: 'b' });
    const d = fixedDense(1, 2, 1, 0);
    const y = d.apply(b);
    expect(() => new LayersModel({ inputs: a, outputs: y as never })).to.throw(/graph disconnected.*'b'/);
    d.dispose();
  });

  it('checks real inputs against the model input shape', () => {
    const x = input({ shape: [3], name: 'features' });
    const d = fixedDense(1, 3, 1, 0);
    const m = new LayersModel({ inputs: x, outputs: d.apply(x) as never });
    expect(() => m.call(ones([2, 4]))).to.throw(/input 'features' expects shape \[null, 3\], received \[2, 4\]/);
    m.dispose();
  });
});

describe('sequential models', () => {
  beforeEach(() => resetLayerNames());

  it('builds as layers are added when the input shape is known, with errors naming the layer', () => {
    const m = new Sequential({ layers: [new Dense({ units: 4, inputShape: [3] })] });
    m.add(new Dense({ units: 2 }));
    expect(m.outputs[0]!.shape).to.deep.equal([null, 2]);
    expect(m.countParams()).to.equal(3 * 4 + 4 + 4 * 2 + 2);
    const wrong = new Dense({ units: 2, name: 'wrong' });
    wrong.build([null, 7]);
    expect(() => m.add(wrong)).to.throw('wrong (Dense): expected input with last dimension 7, received shape [null, 2]');
    m.dispose();
    wrong.dispose();
  });

  it('builds from the first data when no input shape was given', async () => {
    const m = new Sequential();
    m.add(fixedDense(2, 3, 1, 0));
    const y = m.call(tensor([[1, 2, 3]])) as Tensor;
    expect(await values(y)).to.deep.equal([6, 6]);
    expect(m.inputs[0]!.shape).to.deep.equal([null, 3]);
    y.dispose();
    m.dispose();
  });

  it('prints a Keras summary table and returns it', () => {
    const m = new Sequential({ layers: [new Dense({ units: 4, inputShape: [3] }), new Dense({ units: 2 })], name: 'mlp' });
    const lines: string[] = [];
    const text = m.summary({ printFn: (l) => lines.push(l) });
    expect(lines.join('\n')).to.equal(text);
    expect(text).to.contain('Model: "mlp"');
    expect(text).to.match(/dense \(Dense\)\s+\[null,4\]\s+16/);
    expect(text).to.match(/dense_1 \(Dense\)\s+\[null,2\]\s+10/);
    expect(text).to.contain('Total params: 26').and.contain('Trainable params: 26').and.contain('Non-trainable params: 0');
    m.dispose();
  });

  it('shows connections in a Functional summary', () => {
    const a = input({ shape: [2], name: 'a' });
    const d = new Dense({ units: 1, name: 'out' });
    const m = new LayersModel({ inputs: a, outputs: d.apply(a) as never, name: 'f' });
    const text = m.summary({ printFn: () => {} });
    expect(text).to.match(/out \(Dense\)\s+\[null,1\]\s+3\s+a\[0\]\[0\]/);
    m.dispose();
  });

  it('leaves no tensors behind when a model runs', () => {
    const m = new Sequential({ layers: [new Dense({ units: 8, inputShape: [4], activation: 'relu' }), new Dense({ units: 2 })] });
    const x = ones([5, 4]);
    const before = memory().numTensors;
    tidy(() => {
      m.call(x);
    });
    expect(memory().numTensors).to.equal(before);
    x.dispose();
    m.dispose();
  });
});

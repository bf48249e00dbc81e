import { expect } from 'chai';
import { clone, keep, memory, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import { Layer, type CallArgs } from '../src/engine/layer.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { Dropout, Flatten } from '../src/layers/basic/index.js';
import { Dense } from '../src/layers/core/dense.js';
import { Embedding, embedding } from '../src/layers/embedding/index.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import { checkLayerGradients } from './layer-harness.js';

async function values(t: Tensor | Tensor[]): Promise<number[]> {
  return Array.from(await (Array.isArray(t) ? t[0]! : t).data());
}

/** A layer that records (a copy of) the mask it receives and passes its input on. */
class MaskRecorder extends Layer {
  static override readonly className = 'MaskRecorder';
  received: Tensor | null = null;

  constructor() {
    super({});
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    this.received?.dispose();
    const m = Array.isArray(args.mask) ? args.mask[0] : args.mask;
    this.received = m ? keep(clone(m)) : null;
    return clone(inputs as Tensor);
  }
}

beforeEach(() => resetLayerNames());

/** A 5 x 3 table whose row i is [i, 10 i, -i] + 0.5. */
const table = Array.from({ length: 5 }, (_, i) => [i + 0.5, 10 * i + 0.5, -i + 0.5]);

function fixedEmbedding(args: Partial<ConstructorParameters<typeof Embedding>[0]> = {}): Embedding {
  const e = new Embedding({ inputDim: 5, outputDim: 3, ...args });
  e.build([null, null]);
  const t = tensor(table);
  e.setWeights([t]);
  t.dispose();
  return e;
}

describe('Embedding', () => {
  it('maps ids to float32 vectors and infers shapes', async () => {
    const e = embedding({ inputDim: 100, outputDim: 8 });
    const out = e.apply(input({ shape: [7], dtype: 'int32' })) as SymbolicTensor;
    expect([...out.shape]).to.deep.equal([null, 7, 8]);
    expect(out.dtype).to.equal('float32');
    expect(e.weightEntries.map((w) => w.name)).to.deep.equal(['embedding/embeddings']);
    expect([...e.weights[0]!.shape]).to.deep.equal([100, 8]);
    const init = await values(e.weights[0]!);
    expect(Math.min(...init)).to.be.at.least(-0.05);
    expect(Math.max(...init)).to.be.below(0.05);
    expect([...(new Embedding({ inputDim: 4, outputDim: 2 }).apply(input({ shape: [2, 3] })) as SymbolicTensor).shape]).to.deep.equal([null, 2, 3, 2]);
  });

  it('looks up rows of the table (int32 ids, or float ids truncated)', async () => {
    const e = fixedEmbedding();
    const ids = [[0, 3, 3], [4, 1, 2]];
    const before = memory().numTensors;
    const x = tensor(ids, undefined, 'int32');
    const y = e.apply(x) as Tensor;
    expect([...y.shape]).to.deep.equal([2, 3, 3]);
    expect(y.dtype).to.equal('float32');
    expectClose(await values(y), ids.flat().flatMap((i) => table[i]!));
    const xf = tensor([[0.0, 3.0, 3.7], [4.2, 1.0, 2.0]]);
    const yf = e.apply(xf) as Tensor;
    expectClose(await values(yf), ids.flat().flatMap((i) => table[i]!));
    [x, y, xf, yf].forEach((t) => t.dispose());
    expect(memory().numTensors).to.equal(before);
  });

  it('accumulates the gradient of repeated ids into the table rows', async () => {
    const e = fixedEmbedding();
    const x = tensor([[1, 1, 4], [0, 1, 4]], undefined, 'int32');
    await checkLayerGradients(e, x, { skipInput: true });
    x.dispose();
  });

  it('emits the mask ids != 0 with maskZero, which reaches downstream layers', async () => {
    const x = input({ shape: [4], dtype: 'int32' });
    const recorder = new MaskRecorder();
    const h = new Dropout({ rate: 0.5 }).apply(new Embedding({ inputDim: 5, outputDim: 2, maskZero: true }).apply(x) as SymbolicTensor) as SymbolicTensor;
    const model = new LayersModel({ inputs: x, outputs: recorder.apply(h) as SymbolicTensor });
    const ids = tensor([[3, 1, 0, 0], [2, 0, 4, 0]], undefined, 'int32');
    const before = memory().numTensors;
    (model.apply(ids, { training: true }) as Tensor).dispose();
    expect(recorder.received, 'the consumer received a mask').to.not.equal(null);
    expect(recorder.received!.dtype).to.equal('bool');
    expect(await values(recorder.received!)).to.deep.equal([1, 1, 0, 0, 1, 0, 1, 0]);
    recorder.received!.dispose();
    recorder.received = null;
    expect(memory().numTensors, 'no leaks from the masked run').to.equal(before);
    ids.dispose();
  });

  it('emits no mask without maskZero', async () => {
    const x = input({ shape: [3], dtype: 'int32' });
    const recorder = new MaskRecorder();
    const model = new LayersModel({ inputs: x, outputs: recorder.apply(new Embedding({ inputDim: 5, outputDim: 2 }).apply(x) as SymbolicTensor) as SymbolicTensor });
    const ids = tensor([[3, 0, 0]], undefined, 'int32');
    (model.apply(ids) as Tensor).dispose();
    expect(recorder.received).to.equal(null);
    ids.dispose();
  });

  it('uses inputLength for unknown sequence dims and checks it', () => {
    const e = new Embedding({ inputDim: 10, outputDim: 4, inputLength: 6, name: 'emb' });
    expect([...(e.apply(input({ shape: [null] })) as SymbolicTensor).shape]).to.deep.equal([null, 6, 4]);
    expect(() => new Embedding({ inputDim: 10, outputDim: 4, inputLength: 6, name: 'emb2' }).apply(input({ shape: [5] }))).to.throw(
      LayerError, 'emb2 (Embedding): inputLength [6] does not match the input shape [null, 5]; make them agree or drop inputLength',
    );
  });

  it('reports out-of-range ids naming the layer, the id and inputDim (engines that can check)', () => {
    const e = fixedEmbedding({ name: 'words' });
    const x = tensor([[1, 7]], undefined, 'int32');
    expect(() => e.apply(x)).to.throw(LayerError, /^words \(Embedding\): ids must lie in \[0, 4\] \(inputDim is 5\); gather: argument 'indices' must hold indices in \[0, 4\] .*index 7 at flat position 1.*Raise inputDim to cover the vocabulary/);
    x.dispose();
  });

  it('checks its options', () => {
    expect(() => new Embedding({ inputDim: 0, outputDim: 3, name: 'e' })).to.throw(LayerError, "e (Embedding): option 'inputDim' must be an integer >= 1; received number 0");
    expect(() => new Embedding({ inputDim: 3 } as never)).to.throw(LayerError, "option 'outputDim' must be given (an integer >= 1); received undefined");
    expect(() => new Embedding({ inputDim: 3, outputDim: 2, maskZero: 'yes' as never })).to.throw(LayerError, "option 'maskZero' must be true or false; received string \"yes\"");
  });

  it('round-trips its config (a seeded initializer rebuilds the same table)', async () => {
    const e = new Embedding({ inputDim: 6, outputDim: 2, maskZero: true, embeddingsInitializer: { className: 'RandomUniform', config: { seed: 3 } } });
    const copy = layerRegistry.get({ className: 'Embedding', config: e.getConfig() }) as Embedding;
    expect(copy.getConfig()).to.deep.include({ inputDim: 6, outputDim: 2, maskZero: true, inputLength: null });
    const x = tensor([[5, 0, 2]], undefined, 'int32');
    expectClose(await values(copy.apply(x) as Tensor), await values(e.apply(x) as Tensor));
    x.dispose();
  });

  it('trains inside a model', async () => {
    const model = new Sequential({ layers: [new Embedding({ inputDim: 4, outputDim: 2, inputShape: [2] }), new Flatten(), new Dense({ units: 1 })] });
    model.compile({ optimizer: { className: 'SGD', config: { learningRate: 0.5 } }, loss: 'mse' });
    const x = tensor([[0, 1], [2, 3], [1, 2], [3, 0]], undefined, 'int32');
    const y = tensor([[1], [-1], [0.5], [0]]);
    const before = memory().numTensors;
    const history = await model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0 });
    expect(memory().numTensors).to.equal(before);
    const losses = history.history.loss!;
    expect(losses[losses.length - 1]!).to.be.below(losses[0]! * 0.5);
    [x, y].forEach((t) => t.dispose());
  });
});

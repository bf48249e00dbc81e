import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import * as ort from 'onnxruntime-node';
import { StrataError, add, mul, relu, setSeed, type Tensor } from '@strata/core';
import { Dense, Layer, exportOnnx, input, layers, model, modelToOnnx, onnxSupportedLayers, OnnxExportError, registerActivation, sequential } from '../../src/index.js';
import type { LayersModel } from '../../src/engine/model.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { tempDir, withoutLeaks } from './onnx-helpers.js';

// What cannot be exported fails before anything is written, naming the layer, its class, what is
// wrong and what to do; the file is written atomically; an export reads weights without leaking.

async function exportError(m: LayersModel, file: string): Promise<OnnxExportError> {
  try {
    await exportOnnx(m, file);
  } catch (e) {
    expect(e).to.be.instanceOf(OnnxExportError);
    return e as OnnxExportError;
  }
  return expect.fail('exportOnnx should have thrown');
}

class Doubler extends Layer {
  static override readonly className = 'Doubler';
  override call(x: Tensor | Tensor[]): Tensor {
    const t = Array.isArray(x) ? x[0]! : x;
    return add(t, t);
  }
}

/** A Dense subclass that keeps Dense's class name but computes something else. */
class NegatedDense extends Dense {
  override call(x: Tensor | Tensor[]): Tensor {
    return mul(super.call(x), -1);
  }
}

describe('exportOnnx: errors and files', () => {
  const tmp = tempDir();
  before(() => setSeed(9));
  after(() => tmp.cleanup());

  it('names an unsupported layer and its class, and lists the supported ones', async () => {
    const x = input({ shape: [4, 3] });
    const a = layers.dense({ units: 3 }).apply(x) as SymbolicTensor;
    const dot = layers.dot({ axes: -1, name: 'similarity' }).apply([a, x]) as SymbolicTensor;
    const e = await exportError(model({ inputs: x, outputs: dot }), join(tmp.dir, 'dot.onnx'));
    expect(e.message).to.match(/^exportOnnx: layer 'similarity' \(Dot\): has no ONNX converter\. Supported layer classes: Activation, Add, .*Dense.*LSTM.*\. Replace the layer/);
    expect(e.layerName).to.equal('similarity');
    expect(e.layerClass).to.equal('Dot');
    expect(readdirSync(tmp.dir)).to.not.include('dot.onnx');
    expect(onnxSupportedLayers()).to.include.members(['Dense', 'Conv2D', 'LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'BatchNormalization', 'Concatenate']);
  });

  it('refuses custom layers (even with a built-in parent) rather than guessing', async () => {
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] }), new Doubler({ name: 'twice' })] });
    expect((await exportError(m, join(tmp.dir, 'custom.onnx'))).message).to.contain("layer 'twice' (Doubler): has no ONNX converter");
    const sub = sequential({ layers: [new NegatedDense({ units: 2, inputShape: [3], name: 'neg' })] });
    expect((await exportError(sub, join(tmp.dir, 'sub.onnx'))).message).to.contain(
      "layer 'neg' (Dense): is an instance of NegatedDense, a subclass of Dense that may compute something else, so it has no ONNX converter; export a model built with Dense itself",
    );
  });

  it('refuses activations with no ONNX form, naming the option and the supported names', async () => {
    const square = (x: Tensor): Tensor => mul(x, x);
    registerActivation('onnx_test_square', square);
    const named = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], activation: 'onnx_test_square', name: 'sq' })] });
    expect((await exportError(named, join(tmp.dir, 'a.onnx'))).message).to.match(/layer 'sq' \(Dense\): its activation 'onnx_test_square' has no ONNX export; supported activations: linear, relu, .*Use one of them/);
    const anonymous = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], activation: (x: Tensor) => relu(x), name: 'anon' })] });
    expect((await exportError(anonymous, join(tmp.dir, 'b.onnx'))).message).to.contain("layer 'anon' (Dense): its activation is an unregistered custom function");
    const rnn = sequential({ layers: [layers.simpleRNN({ units: 2, activation: 'gelu', inputShape: [3, 2], name: 'rnn' })] });
    expect((await exportError(rnn, join(tmp.dir, 'c.onnx'))).message).to.match(/layer 'rnn' \(SimpleRNN\): its activation 'gelu' is not one ONNX recurrent operators accept; use one of tanh, sigmoid/);
  });

  it('refuses stateful recurrent layers and masked sequences', async () => {
    const stateful = sequential({ layers: [layers.lstm({ units: 2, stateful: true, batchInputShape: [2, 3, 4], name: 'memory' })] });
    expect((await exportError(stateful, join(tmp.dir, 's.onnx'))).message).to.contain("layer 'memory' (LSTM): is stateful: ONNX graphs keep no state between runs");
    const masked = sequential({
      layers: [layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] }), layers.dense({ units: 3 }), layers.gru({ units: 2, name: 'reader' })],
    });
    expect((await exportError(masked, join(tmp.dir, 'm.onnx'))).message).to.contain(
      "layer 'reader' (GRU): its input carries a mask (from Embedding maskZero or Masking), and skipping masked steps has no ONNX export; build the model without masking",
    );
    const padded = sequential({ layers: [layers.masking({ inputShape: [4, 2] }), layers.timeDistributed({ layer: layers.dense({ units: 3 }) }), layers.lstm({ units: 2, name: 'steps' })] });
    expect((await exportError(padded, join(tmp.dir, 'pad.onnx'))).message).to.contain("layer 'steps' (LSTM): its input carries a mask");
    const pooled = sequential({ layers: [layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] }), layers.globalAveragePooling1d({ name: 'avg' })] });
    expect((await exportError(pooled, join(tmp.dir, 'p.onnx'))).message).to.contain("layer 'avg' (GlobalAveragePooling1D): its input carries a mask");
  });

  it('refuses a Sequential model that is not built yet, and arguments that are not models or paths', async () => {
    const unbuilt = sequential({ layers: [layers.dense({ units: 2 })], name: 'lazy' });
    expect((await exportError(unbuilt, join(tmp.dir, 'u.onnx'))).message).to.contain("model 'lazy' has no inputs yet, so its graph is unknown; give its first layer inputShape");
    const notModel = await exportOnnx({ layers: [] } as never, join(tmp.dir, 'x.onnx')).then(() => null, (e: Error) => e);
    expect(notModel).to.be.instanceOf(OnnxExportError);
    expect(notModel!.message).to.contain('exportOnnx: expected a model (sequential() or model()); received Object');
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
    const noPath = await exportOnnx(m, '' as string).then(() => null, (e: Error) => e);
    expect(noPath!.message).to.contain("filePath must be a non-empty string such as 'model.onnx'; received an empty string");
  });

  it('writes atomically: a failed export leaves the previous file as it was, and no temporary file', async () => {
    const dir = join(tmp.dir, 'atomic');
    const file = join(dir, 'model.onnx');
    const good = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
    await exportOnnx(good, file);
    const before = readFileSync(file);
    const bad = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] }), new Doubler()] });
    await exportError(bad, file);
    expect(readFileSync(file).equals(before)).to.equal(true);
    // A write that fails after the temporary file is complete (renaming over a directory).
    const blocked = join(dir, 'taken');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'keep.txt'), 'kept');
    const e = await exportOnnx(good, blocked).then(() => null, (err: Error) => err);
    expect(e).to.be.instanceOf(StrataError);
    expect(e!.message).to.match(/^exportOnnx: cannot write '.*taken' \(E[A-Z]+\); give a file path whose directory can be created and written, not an existing directory\. Nothing was written\.$/);
    expect(readFileSync(join(blocked, 'keep.txt'), 'utf8')).to.equal('kept');
    // A directory that cannot be created (a file is in the way).
    const under = await exportOnnx(good, join(file, 'inner.onnx')).then(() => null, (err: Error) => err);
    expect(under!.message).to.match(/cannot write '.*model\.onnx\/inner\.onnx' \(E[A-Z]+\)/);
    expect(readdirSync(dir).sort()).to.deep.equal(['model.onnx', 'taken']);
    expect(readFileSync(file).equals(before)).to.equal(true);
  });

  it('exports without leaking tensors, and modelToOnnx gives the same bytes without a file', async () => {
    const m = sequential({ layers: [layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 1] }), layers.flatten(), layers.dense({ units: 2 })] });
    const file = join(tmp.dir, 'leak.onnx');
    await withoutLeaks(() => exportOnnx(m, file, { docString: 'test model', graphName: 'g' }));
    const bytes = await withoutLeaks(() => modelToOnnx(m, { docString: 'test model', graphName: 'g' }));
    expect(Buffer.from(bytes).equals(readFileSync(file))).to.equal(true);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).to.deep.equal(m.inputNames);
    await session.release();
  });
});

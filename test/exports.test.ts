import { expect } from 'chai';
import * as st from 'strata';

// What the README and the issue promise users find on `import * as st from 'strata'`.
const PROMISED = [
  'ready', 'getEngine', 'tensor', 'zeros', 'ones', 'fill', 'range', 'eye', 'uniform', 'normal', 'truncatedNormal',
  'add', 'sub', 'mul', 'div', 'pow', 'neg', 'abs', 'exp', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'sin', 'cos',
  'tanh', 'sigmoid', 'softplus', 'erf', 'maximum', 'minimum', 'floor', 'ceil', 'round', 'sign', 'clip',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalNot', 'logicalXor',
  'where', 'cast', 'sum', 'mean', 'max', 'min', 'prod', 'argMax', 'argMin', 'logSumExp', 'moments', 'cumsum', 'topK',
  'matmul', 'dot', 'reshape', 'transpose', 'expandDims', 'squeeze', 'slice', 'stridedSlice', 'concat', 'stack', 'split',
  'pad', 'tile', 'gather', 'oneHot', 'scatterAdd', 'softmax', 'logSoftmax', 'relu', 'relu6', 'elu', 'selu', 'gelu',
  'leakyRelu', 'hardSigmoid', 'swish', 'mish', 'softsign', 'conv1d', 'conv2d', 'depthwiseConv2d', 'conv2dTranspose',
  'maxPool', 'avgPool', 'maxPool1d', 'avgPool1d', 'grad', 'grads', 'valueAndGrad', 'valueAndGrads', 'variableGrads',
  'variable', 'customGrad', 'stopGradient', 'tidy', 'keep', 'dispose', 'memory', 'setSeed',
] as const;

describe("import * as st from 'strata'", () => {
  it('exposes every promised function', () => {
    const missing = PROMISED.filter((name) => typeof (st as Record<string, unknown>)[name] !== 'function');
    expect(missing, 'missing exports').to.deep.equal([]);
  });
  it('exposes the layers API: models, layer factories, optimizers, losses, metrics and callbacks', () => {
    for (const name of ['sequential', 'model', 'input'] as const) expect(st[name], name).to.be.a('function');
    for (const f of ['dense', 'conv2d', 'lstm', 'gru', 'simpleRNN', 'bidirectional', 'multiHeadAttention', 'batchNormalization', 'embedding', 'dropout', 'flatten', 'maxPooling2d', 'concatenate']) {
      expect((st.layers as Record<string, unknown>)[f], `layers.${f}`).to.be.a('function');
    }
    expect(st.optimizers.adam).to.be.a('function');
    expect(st.losses.categoricalCrossentropy).to.be.a('function');
    expect(st.metrics).to.be.an('object');
    expect(st.callbacks.earlyStopping).to.be.a('function');
    expect(st.Dense).to.be.a('function');
    expect(new st.Dense({ units: 2 })).to.be.instanceOf(st.Layer);
  });

  it('exposes saving, loading and ONNX export', () => {
    for (const name of ['loadModel', 'exportOnnx', 'registerLayer', 'SavedModelError', 'OnnxExportError'] as const) {
      expect((st as Record<string, unknown>)[name], name).to.be.a('function');
    }
    for (const method of ['save', 'saveWeights', 'loadWeights'] as const) expect(st.LayersModel.prototype[method], method).to.be.a('function');
  });

  it('exposes the Tensor and Variable classes and the error classes', () => {
    for (const name of ['Tensor', 'Variable', 'StrataError', 'OpError', 'ConfigError', 'EngineLoadError'] as const) {
      expect((st as Record<string, unknown>)[name], name).to.be.a('function');
    }
  });
});

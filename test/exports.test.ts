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
  it('exposes the Tensor and Variable classes and the error classes', () => {
    for (const name of ['Tensor', 'Variable', 'StrataError', 'OpError', 'ConfigError', 'EngineLoadError'] as const) {
      expect((st as Record<string, unknown>)[name], name).to.be.a('function');
    }
  });
});

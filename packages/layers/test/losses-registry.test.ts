import { expect } from 'chai';
import { abs, mean, memory, sub, tensor, type Tensor } from '@strata/core';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  Huber,
  KLDivergence,
  Loss,
  LossFunctionWrapper,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
  getLoss,
  lossRegistry,
  losses,
} from '../src/losses/index.js';
import { expectClose, take } from './losses-helpers.js';

const CLASS_NAMES = [
  'BinaryCrossentropy',
  'BinaryFocalCrossentropy',
  'CategoricalCrossentropy',
  'CategoricalHinge',
  'CosineSimilarity',
  'Huber',
  'KLDivergence',
  'LogCosh',
  'MeanAbsoluteError',
  'MeanAbsolutePercentageError',
  'MeanSquaredError',
  'MeanSquaredLogarithmicError',
  'Poisson',
  'SparseCategoricalCrossentropy',
  'SquaredHinge',
  'Hinge',
].sort();

const ALIASES: Record<string, string> = {
  mse: 'MeanSquaredError',
  MSE: 'MeanSquaredError',
  mean_squared_error: 'MeanSquaredError',
  meanSquaredError: 'MeanSquaredError',
  mae: 'MeanAbsoluteError',
  MAE: 'MeanAbsoluteError',
  mean_absolute_error: 'MeanAbsoluteError',
  mape: 'MeanAbsolutePercentageError',
  MAPE: 'MeanAbsolutePercentageError',
  mean_absolute_percentage_error: 'MeanAbsolutePercentageError',
  msle: 'MeanSquaredLogarithmicError',
  MSLE: 'MeanSquaredLogarithmicError',
  mean_squared_logarithmic_error: 'MeanSquaredLogarithmicError',
  huber: 'Huber',
  huber_loss: 'Huber',
  log_cosh: 'LogCosh',
  logcosh: 'LogCosh',
  logCosh: 'LogCosh',
  binary_crossentropy: 'BinaryCrossentropy',
  binaryCrossentropy: 'BinaryCrossentropy',
  categorical_crossentropy: 'CategoricalCrossentropy',
  categoricalCrossentropy: 'CategoricalCrossentropy',
  sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy',
  sparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
  binary_focal_crossentropy: 'BinaryFocalCrossentropy',
  kld: 'KLDivergence',
  KLD: 'KLDivergence',
  kl_divergence: 'KLDivergence',
  kullback_leibler_divergence: 'KLDivergence',
  kullbackLeiblerDivergence: 'KLDivergence',
  poisson: 'Poisson',
  hinge: 'Hinge',
  squared_hinge: 'SquaredHinge',
  squaredHinge: 'SquaredHinge',
  categorical_hinge: 'CategoricalHinge',
  cosine_similarity: 'CosineSimilarity',
  cosineProximity: 'CosineSimilarity',
  cosine: 'CosineSimilarity',
};

describe('losses: registry and getLoss', () => {
  it('registers every Keras 3 loss class', () => {
    expect(lossRegistry.names()).to.deep.equal(CLASS_NAMES);
    for (const name of CLASS_NAMES) expect(lossRegistry.get(name).className).to.equal(name);
  });

  for (const [alias, className] of Object.entries(ALIASES)) {
    it(`'${alias}' resolves to ${className}`, () => {
      expect(getLoss(alias).className).to.equal(className);
    });
  }

  it('builds from { className, config }, with camelCase or Keras snake_case keys', () => {
    const a = getLoss({ className: 'CategoricalCrossentropy', config: { fromLogits: true, labelSmoothing: 0.1 } }) as CategoricalCrossentropy;
    expect(a).to.be.instanceOf(CategoricalCrossentropy);
    expect([a.fromLogits, a.labelSmoothing]).to.deep.equal([true, 0.1]);
    const b = getLoss({ className: 'SparseCategoricalCrossentropy', config: { from_logits: true, ignore_class: 255, name: 'scce', reduction: 'sum' } }) as SparseCategoricalCrossentropy;
    expect([b.fromLogits, b.ignoreClass, b.name, b.reduction]).to.deep.equal([true, 255, 'scce', 'sum']);
  });

  it('every class round-trips through getConfig and the registry', () => {
    const configs: Record<string, Record<string, unknown>> = {
      BinaryCrossentropy: { fromLogits: true, labelSmoothing: 0.2, axis: 0 },
      BinaryFocalCrossentropy: { gamma: 3, alpha: 0.6, applyClassBalancing: true, fromLogits: true, labelSmoothing: 0.1 },
      CategoricalCrossentropy: { fromLogits: true, labelSmoothing: 0.3 },
      SparseCategoricalCrossentropy: { fromLogits: true, ignoreClass: -1 },
      Huber: { delta: 2.5 },
      CosineSimilarity: { axis: 0 },
    };
    for (const name of CLASS_NAMES) {
      const original = lossRegistry.get({ className: name, config: { ...(configs[name] ?? {}), name: `my_${name}`, reduction: 'sum' } });
      const config = original.getConfig();
      expect(config).to.include({ name: `my_${name}`, reduction: 'sum', ...(configs[name] ?? {}) });
      const rebuilt = lossRegistry.get({ className: original.className, config });
      expect(rebuilt.getConfig(), name).to.deep.equal(config);
    }
  });

  it('default names and configs are Keras 3\'s', () => {
    expect(new MeanSquaredError().getConfig()).to.deep.equal({ name: 'mean_squared_error', reduction: 'sum_over_batch_size' });
    expect(new Huber().getConfig()).to.deep.equal({ name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 1 });
    expect(new KLDivergence().name).to.equal('kl_divergence');
    expect(new BinaryCrossentropy().getConfig()).to.deep.equal({ name: 'binary_crossentropy', reduction: 'sum_over_batch_size', fromLogits: false, labelSmoothing: 0, axis: -1 });
    expect(new SparseCategoricalCrossentropy().getConfig()).to.deep.equal({
      name: 'sparse_categorical_crossentropy',
      reduction: 'sum_over_batch_size',
      fromLogits: false,
      ignoreClass: null,
    });
  });

  it('accepts the dtype key Keras 3 configs may carry, when it is float32', () => {
    expect(lossRegistry.get({ className: 'MeanSquaredError', config: { dtype: 'float32' } })).to.be.instanceOf(MeanSquaredError);
    expect(() => lossRegistry.get({ className: 'MeanSquaredError', config: { dtype: 'float16' } })).to.throw(
      'MeanSquaredError: option dtype "float16" is not supported; losses compute in float32',
    );
  });

  it('an unknown name lists the known losses', () => {
    expect(() => getLoss('categorical_cross_entropy_typo')).to.throw(/Unknown loss "categorical_cross_entropy_typo"\. Known losses: BinaryCrossentropy, .*SquaredHinge/);
  });

  it('an unknown option names the class, the key and the fix', () => {
    expect(() => new Huber({ deltaa: 1 } as never)).to.throw('Huber: unknown option "deltaa"; use one of name, reduction, dtype, delta.');
    expect(() => new BinaryCrossentropy({ from_logits: true } as never)).to.throw('BinaryCrossentropy: unknown option "from_logits"; use the camelCase spelling "fromLogits".');
  });

  it('invalid option values name the class, the option and the received value', () => {
    expect(() => new BinaryCrossentropy({ labelSmoothing: 2 })).to.throw('BinaryCrossentropy: option labelSmoothing must be a finite number at least 0 and at most 1; received number 2.');
    expect(() => new CategoricalCrossentropy({ fromLogits: 'yes' as never })).to.throw('CategoricalCrossentropy: option fromLogits must be true or false; received "yes".');
    expect(() => new Huber({ delta: -1 })).to.throw('Huber: option delta must be a finite number greater than 0; received number -1.');
    expect(() => new MeanSquaredError({ reduction: 'avg' as never })).to.throw(
      "MeanSquaredError: unknown reduction \"avg\"; use one of 'sum_over_batch_size', 'sum', 'none', 'mean', 'mean_with_sample_weight'.",
    );
    expect(() => new BinaryCrossentropy({ axis: 1.5 })).to.throw('BinaryCrossentropy: option axis must be a finite integer; received number 1.5.');
    expect(() => lossRegistry.get({ className: 'BinaryFocalCrossentropy', config: { gamma: -1 } })).to.throw('BinaryFocalCrossentropy: option gamma must be a finite number at least 0');
    expect(() => lossRegistry.get({ className: 'BinaryFocalCrossentropy', config: { alpha: 2 } })).to.throw('option alpha must be a finite number at least 0 and at most 1; received number 2.');
    expect(() => new SparseCategoricalCrossentropy({ ignoreClass: 0.5 })).to.throw('SparseCategoricalCrossentropy: option ignoreClass must be a finite integer; received number 0.5.');
    expect(() => new MeanSquaredError({ name: 3 as never })).to.throw('MeanSquaredError: option name must be a string; received number 3.');
    expect(() => losses.huber(tensor([[1]]), tensor([[1]]), 0)).to.throw('huber: option delta must be a finite number greater than 0; received number 0.');
  });

  it('getLoss passes instances through and instantiates loss classes', () => {
    const loss = new Huber({ delta: 3 });
    expect(getLoss(loss)).to.equal(loss);
    const fromClass = getLoss(MeanSquaredError);
    expect(fromClass).to.be.instanceOf(MeanSquaredError);
    expect(() => getLoss(LossFunctionWrapper as never)).to.throw('getLoss: LossFunctionWrapper needs the function it wraps');
  });

  it('getLoss maps the built-in functions to their classes, so they serialize by name', () => {
    expect(getLoss(losses.meanSquaredError)).to.be.instanceOf(MeanSquaredError);
    expect(getLoss(losses.kullbackLeiblerDivergence).className).to.equal('KLDivergence');
    expect(getLoss(losses.sparseCategoricalCrossentropy).className).to.equal('SparseCategoricalCrossentropy');
    expect(getLoss(losses.cosineSimilarity).className).to.equal('CosineSimilarity');
  });

  it('getLoss wraps a user function in a LossFunctionWrapper named after it', async () => {
    function myAbsError(yTrue: Tensor, yPred: Tensor): Tensor {
      return mean(abs(sub(yPred, yTrue)), -1);
    }
    const loss = getLoss(myAbsError);
    expect(loss).to.be.instanceOf(LossFunctionWrapper);
    expect(loss.className).to.equal('LossFunctionWrapper');
    expect(loss.name).to.equal('myAbsError');
    expect(loss.getConfig()).to.deep.equal({ name: 'myAbsError', reduction: 'sum_over_batch_size' });
    // Labels [N] against predictions [N, 1] reach the function rank-aligned, as in Keras.
    expectClose(await take(loss.compute(tensor([1, 2, 3]), tensor([[1], [1], [1]]))), [1], 1e-6);
    expectClose(await take(loss.compute(tensor([1, 2, 3]), tensor([[1], [1], [1]]), [1, 0, 2])), [(0 + 0 + 4) / 3], 1e-6);
    const anonymous = getLoss((() => (t: Tensor, p: Tensor) => sub(p, t))());
    expect(anonymous.name).to.equal('loss');
  });

  it('a user function that returns no tensor is reported by name', () => {
    const before = memory().numTensors;
    const loss = new LossFunctionWrapper(function broken() {
      return 3 as unknown as Tensor;
    });
    const yt = tensor([[1]]);
    const yp = tensor([[1]]);
    expect(() => loss.compute(yt, yp)).to.throw('Loss function "broken" must return a Tensor of per-sample losses; it returned number.');
    yt.dispose();
    yp.dispose();
    expect(memory().numTensors).to.equal(before);
    expect(() => new LossFunctionWrapper('mse' as never)).to.throw('LossFunctionWrapper: expected a function (yTrue, yPred) => Tensor; received "mse".');
  });

  it('anything else is refused with the registry\'s list', () => {
    expect(() => getLoss(42 as never)).to.throw(/Expected a loss: a name \(one of BinaryCrossentropy, .*\), a \{ className, config \} object, or an instance; received number 42\./);
  });

  it('the losses namespace holds every function and class by its documented name', () => {
    const functions = [
      'meanSquaredError',
      'meanAbsoluteError',
      'meanAbsolutePercentageError',
      'meanSquaredLogarithmicError',
      'huber',
      'logCosh',
      'binaryCrossentropy',
      'categoricalCrossentropy',
      'sparseCategoricalCrossentropy',
      'binaryFocalCrossentropy',
      'kld',
      'kullbackLeiblerDivergence',
      'poisson',
      'hinge',
      'squaredHinge',
      'categoricalHinge',
      'cosineSimilarity',
    ];
    for (const name of functions) expect(typeof (losses as Record<string, unknown>)[name], name).to.equal('function');
    for (const name of CLASS_NAMES) expect((losses as Record<string, unknown>)[name], name).to.be.a('function');
    expect(new losses.Huber()).to.be.instanceOf(Loss);
  });
});

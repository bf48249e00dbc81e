import { expect } from 'chai';
import { Tensor, abs, sub } from '@strata/core';
import {
  AUC,
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  F1Score,
  MeanAbsoluteError,
  MeanMetricWrapper,
  MeanSquaredError,
  Metric,
  Precision,
  R2Score,
  Recall,
  RootMeanSquaredError,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  getMetric,
  metricRegistry,
  metrics,
  resolveAccuracy,
} from '../src/metrics/index.js';
import { expectThrow } from './metrics-helpers.js';

describe('metrics: registry', () => {
  const cases: [string, new (...args: never[]) => Metric, string][] = [
    ['accuracy', Accuracy, 'accuracy'],
    ['acc', Accuracy, 'accuracy'],
    ['binary_accuracy', BinaryAccuracy, 'binary_accuracy'],
    ['BinaryAccuracy', BinaryAccuracy, 'binary_accuracy'],
    ['categorical_accuracy', CategoricalAccuracy, 'categorical_accuracy'],
    ['sparse_categorical_accuracy', SparseCategoricalAccuracy, 'sparse_categorical_accuracy'],
    ['top_k_categorical_accuracy', TopKCategoricalAccuracy, 'top_k_categorical_accuracy'],
    ['sparse_top_k_categorical_accuracy', SparseTopKCategoricalAccuracy, 'sparse_top_k_categorical_accuracy'],
    ['mse', MeanSquaredError, 'mean_squared_error'],
    ['mean_squared_error', MeanSquaredError, 'mean_squared_error'],
    ['mae', MeanAbsoluteError, 'mean_absolute_error'],
    ['rmse', RootMeanSquaredError, 'root_mean_squared_error'],
    ['auc', AUC, 'auc'],
    ['AUC', AUC, 'auc'],
    ['precision', Precision, 'precision'],
    ['recall', Recall, 'recall'],
    ['f1_score', F1Score, 'f1_score'],
    ['r2_score', R2Score, 'r2_score'],
  ];
  for (const [id, cls, name] of cases) {
    it(`'${id}' builds ${cls.name} named '${name}'`, () => {
      const m = metricRegistry.get(id);
      expect(m).to.be.instanceOf(cls);
      expect(m.name).to.equal(name);
      m.dispose();
    });
  }

  it('lists every class name', () => {
    expect(metricRegistry.names()).to.deep.equal([
      'AUC', 'Accuracy', 'BinaryAccuracy', 'CategoricalAccuracy', 'F1Score', 'FBetaScore', 'Mean', 'MeanAbsoluteError', 'MeanMetricWrapper',
      'MeanSquaredError', 'Precision', 'R2Score', 'Recall', 'RootMeanSquaredError', 'SparseCategoricalAccuracy', 'SparseTopKCategoricalAccuracy',
      'TopKCategoricalAccuracy',
    ]);
  });

  it('builds from { className, config } and round-trips every getConfig', () => {
    const k = metricRegistry.get({ className: 'TopKCategoricalAccuracy', config: { k: 2, name: 'top2' } }) as TopKCategoricalAccuracy;
    expect([k.k, k.name]).to.deep.equal([2, 'top2']);
    const all = [
      new Accuracy(), new BinaryAccuracy({ threshold: 0.3 }), new CategoricalAccuracy({ name: 'c' }), new SparseCategoricalAccuracy(),
      new TopKCategoricalAccuracy({ k: 3 }), new SparseTopKCategoricalAccuracy({ k: 2, fromSortedIds: true }), new Precision({ thresholds: [0.1, 0.9] }),
      new Recall({ topK: 1 }), new AUC({ curve: 'PR', numThresholds: 50 }), new F1Score({ average: 'micro' }), new MeanSquaredError(), new MeanAbsoluteError(),
      new RootMeanSquaredError(), new R2Score({ classAggregation: null }), metrics.mean({ name: 'm' }), metrics.fBetaScore({ beta: 3 }),
    ];
    for (const m of all) {
      const again = metricRegistry.get({ className: m.className, config: m.getConfig() });
      expect(again.constructor).to.equal(m.constructor);
      expect(again.getConfig()).to.deep.equal(m.getConfig());
      again.dispose();
      m.dispose();
    }
  });

  it('passes instances through and wraps functions', () => {
    const auc = new AUC();
    expect(getMetric(auc)).to.equal(auc);
    auc.dispose();
    const absError = (t: Tensor, p: Tensor): Tensor => abs(sub(t, p));
    const wrapped = getMetric(absError);
    expect(wrapped).to.be.instanceOf(MeanMetricWrapper);
    expect(wrapped.name).to.equal('absError');
    const config = wrapped.getConfig();
    const again = metricRegistry.get({ className: 'MeanMetricWrapper', config });
    expect(again.name).to.equal('absError');
    wrapped.dispose();
    again.dispose();
  });

  it('lists the known metrics for an unknown name, and explains what a wrapper needs', () => {
    expectThrow(() => metricRegistry.get('accuracy_score'), 'Unknown metric "accuracy_score"', 'Known metrics:', 'BinaryAccuracy', 'R2Score');
    expectThrow(() => getMetric(42 as never), 'Expected a metric', 'number 42');
    expectThrow(() => metricRegistry.get('MeanMetricWrapper'), 'MeanMetricWrapper', "'fn'", 'undefined', 'pass the function itself');
  });

  it('exposes lowerCamel factories and the classes in the metrics namespace', () => {
    const built = [
      [metrics.binaryAccuracy({ threshold: 0.2 }), BinaryAccuracy],
      [metrics.categoricalAccuracy(), CategoricalAccuracy],
      [metrics.sparseCategoricalAccuracy(), SparseCategoricalAccuracy],
      [metrics.topKCategoricalAccuracy({ k: 2 }), TopKCategoricalAccuracy],
      [metrics.sparseTopKCategoricalAccuracy(), SparseTopKCategoricalAccuracy],
      [metrics.precision(), Precision],
      [metrics.recall(), Recall],
      [metrics.auc({ curve: 'PR' }), AUC],
      [metrics.f1Score(), F1Score],
      [metrics.meanSquaredError(), MeanSquaredError],
      [metrics.meanAbsoluteError(), MeanAbsoluteError],
      [metrics.rootMeanSquaredError(), RootMeanSquaredError],
      [metrics.r2Score(), R2Score],
      [metrics.meanMetricWrapper((t: Tensor) => t, { name: 'id' }), MeanMetricWrapper],
      [metrics.get('mse'), MeanSquaredError],
    ] as const;
    for (const [m, cls] of built) {
      expect(m).to.be.instanceOf(cls);
      m.dispose();
    }
    expect(metrics.AUC).to.equal(AUC);
  });
});

describe('metrics: resolveAccuracy', () => {
  const cases: [string, string | null, (number | null)[], (number | null)[], new (...args: never[]) => Metric][] = [
    ['accuracy', null, [null, 1], [null, 1], BinaryAccuracy],
    ['acc', 'mse', [null, 1], [null, 1], BinaryAccuracy],
    ['accuracy', 'binary_crossentropy', [null, 4], [null, 4], BinaryAccuracy],
    ['accuracy', 'BinaryCrossentropy', [null, 4], [null, 4], BinaryAccuracy],
    ['accuracy', 'sparse_categorical_crossentropy', [null, 10], [null, 10], SparseCategoricalAccuracy],
    ['accuracy', 'sparseCategoricalCrossentropy', [null], [null, 10], SparseCategoricalAccuracy],
    ['Accuracy', null, [null, 1], [null, 10], SparseCategoricalAccuracy],
    ['accuracy', 'mse', [null], [null, 10], SparseCategoricalAccuracy],
    ['accuracy', 'categorical_crossentropy', [null, 10], [null, 10], CategoricalAccuracy],
    ['ACC', null, [null, null], [null, 10], CategoricalAccuracy],
  ];
  for (const [id, loss, t, p, cls] of cases) {
    it(`'${id}' with loss ${String(loss)}, yTrue ${JSON.stringify(t)}, yPred ${JSON.stringify(p)} -> ${cls.name}`, () => {
      const m = resolveAccuracy(id, loss, t, p);
      expect(m).to.be.instanceOf(cls);
      expect(m.name).to.equal(id);
      m.dispose();
    });
  }

  it('resolves any other identifier as getMetric does, named as written', () => {
    const mse = resolveAccuracy('mse', 'mse', [null, 1], [null, 1]);
    expect(mse).to.be.instanceOf(MeanSquaredError);
    expect(mse.name).to.equal('mse');
    const auc = new AUC({ name: 'my_auc' });
    expect(resolveAccuracy(auc, null, [null], [null])).to.equal(auc);
    expect(auc.name).to.equal('my_auc');
    mse.dispose();
    auc.dispose();
  });

  it('names the argument, the received value and the fix in errors', () => {
    expectThrow(() => resolveAccuracy('accuracy', null, [null], []), 'resolveAccuracy', 'yPredShape []', 'binary_accuracy');
    expectThrow(() => resolveAccuracy('accuracy', null, 'NC' as never, [null, 2]), 'resolveAccuracy', "'yTrueShape'", '"NC"');
    expectThrow(() => resolveAccuracy('accuracy', 3 as never, [null], [null, 2]), 'resolveAccuracy', "'lossName'", 'number 3');
  });
});

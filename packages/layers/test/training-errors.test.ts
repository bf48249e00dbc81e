import { expect } from 'chai';
import { StrataError, memory, tensor, type Tensor } from '@strata/core';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { Dense } from '../src/layers/core/dense.js';
import type { FitArgs } from '../src/training/fit.js';
import { linear, mlp, twoByTwo, weightValues } from './training-helpers.js';

/** Expects `promise` to reject with a StrataError whose message contains every fragment. */
async function rejects(promise: Promise<unknown>, ...fragments: (string | RegExp)[]): Promise<string> {
  let error: unknown = null;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a rejection').to.be.instanceOf(StrataError);
  const message = (error as Error).message;
  for (const f of fragments) {
    if (typeof f === 'string') expect(message).to.contain(f);
    else expect(message).to.match(f);
  }
  return message;
}

describe('training errors', () => {
  let owned: Tensor[] = [];
  const t = (...args: Parameters<typeof tensor>): Tensor => {
    const x = tensor(...args);
    owned.push(x);
    return x;
  };
  let models: LayersModel[] = [];
  const track = <M extends LayersModel>(m: M): M => (models.push(m), m);

  beforeEach(() => {
    resetLayerNames();
    owned = [];
    models = [];
  });
  afterEach(() => {
    owned.forEach((x) => x.dispose());
    models.forEach((m) => m.dispose());
  });

  /** A compiled one-input model whose fit must fail before doing anything. */
  async function failsBeforeWork(args: { x?: unknown; y?: unknown; fit?: FitArgs }, ...fragments: (string | RegExp)[]): Promise<string> {
    const model = track(linear(2));
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const w0 = await weightValues(model);
    let began = false;
    const x = (args.x ?? t([[1, 2], [3, 4], [5, 6]])) as Tensor;
    const y = (args.y ?? t([[1], [2], [3]])) as Tensor;
    const before = memory().numTensors;
    const msg = await rejects(model.fit(x, y, { verbose: 0, ...args.fit, callbacks: [...((args.fit?.callbacks as never[]) ?? []), { onTrainBegin: () => void (began = true) }] }), ...fragments);
    expect(began, 'no callback runs before the error').to.equal(false);
    expect(model.optimizer!.iterations).to.equal(0);
    expect(await weightValues(model)).to.deep.equal(w0);
    expect(memory().numTensors).to.equal(before);
    return msg;
  }

  it('fit, evaluate and the on-batch methods before compile say to compile', async () => {
    const model = track(linear(2));
    const [x, y] = [t([[1, 2]]), t([[1]])];
    await rejects(model.fit(x, y), "fit: model 'sequential", 'is not compiled', 'model.compile({');
    await rejects(model.evaluate(x, y), 'evaluate: model', 'is not compiled');
    await rejects(model.trainOnBatch(x, y), 'trainOnBatch: model', 'is not compiled');
  });

  it('x and y with different sample counts name both counts', async () => {
    await failsBeforeWork({ y: t([[1], [2]]) }, 'fit: x has 3 samples but y has 2', '[3, 2]', '[2, 1]', 'one entry per sample');
    await failsBeforeWork({ fit: { sampleWeight: t([1, 2]) } }, 'x has 3 samples but sampleWeight has 2');
  });

  it('the wrong number of inputs or outputs names the model\'s inputs/outputs', async () => {
    const model = track(twoByTwo());
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [a, b, r, c] = [t([[1, 2, 3]]), t([[1, 2]]), t([[1]]), t([[1, 0, 0]])];
    await rejects(model.fit(a, [r, c], { verbose: 0 }), "the model has 2 inputs ('a', 'b') but x is a single tensor", 'list of 2 tensors');
    await rejects(model.fit([a, b, a], [r, c], { verbose: 0 }), "the model has 2 inputs ('a', 'b') but x is a list of 3 tensor(s)");
    await rejects(model.fit([a, b], [r], { verbose: 0 }), "the model has 2 outputs ('reg', 'cls') but y is a list of 1 tensor(s)");
    await rejects(model.predict([a]), 'predict: the model has 2 inputs');
  });

  it('object keys that do not match the input/output names list the names', async () => {
    const model = track(twoByTwo());
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [a, b, r, c] = [t([[1, 2, 3]]), t([[1, 2]]), t([[1]]), t([[1, 0, 0]])];
    await rejects(model.fit({ a, c: b }, [r, c], { verbose: 0 }), 'x is an object with keys [a, c]', "inputs are named [a, b]", "unknown key(s) 'c'", "missing 'b'");
    await rejects(model.evaluate([a, b], { reg: r, klass: c }), "y is an object with keys [reg, klass]", 'outputs are named [reg, cls]');
    await rejects(model.fit([a, b], [r, c], { verbose: 0, sampleWeight: { nope: t([1]) } }), "sampleWeight is an object with keys [nope]", "unknown key(s) 'nope'");
  });

  it('an input shape mismatch names the input, the expected and the received shape', async () => {
    const msg = await failsBeforeWork({ x: t([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) }, "input '", 'expects shape [null, 2], received [3, 3]');
    expect(msg).to.match(/^sequential/);
    const model = track(twoByTwo());
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await rejects(model.evaluate([t([[1, 2, 3]]), t([[1, 2, 3]])], [t([[1]]), t([[1, 0, 0]])]), "input 'b' expects shape [null, 2], received [1, 3]");
  });

  it('NaN or Infinity in x or y names the array, the flat index and the sample', async () => {
    await failsBeforeWork({ x: t([[1, 2], [3, NaN], [5, 6]]) }, 'fit: x holds NaN at flat index 3 (sample 1 of 3, shape [3, 2])', 'replace or drop that sample');
    await failsBeforeWork({ y: t([[1], [2], [Infinity]]) }, 'fit: y holds Infinity at flat index 2 (sample 2 of 3');
    await failsBeforeWork({ fit: { validationData: [t([[1, 2]]), t([[-Infinity]])] } }, 'validationData y holds -Infinity at flat index 0 (sample 0 of 1');
    await failsBeforeWork({ fit: { sampleWeight: t([1, NaN, 1]) } }, 'sampleWeight holds NaN at flat index 1 (sample 1');
    const model = track(twoByTwo());
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await rejects(model.evaluate([t([[1, 2, 3]]), t([[1, NaN]])], [t([[1]]), t([[1, 0, 0]])]), "evaluate: x['b'] holds NaN at flat index 1 (sample 0");
  });

  it('sparse labels out of range say which label, its value and the range', async () => {
    const model = track(mlp(2, [], 3, 'softmax'));
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const x = t([[1, 2], [3, 4], [5, 6]]);
    await rejects(model.fit(x, t([0, 3, 1], [3], 'int32'), { verbose: 0 }), 'fit: y does not fit the loss', 'label yTrue[1] is 3', 'valid range [0, 2]');
    await rejects(model.evaluate(x, t([0, 1, -1], [3], 'int32')), 'evaluate: y does not fit the loss', 'is -1');
  });

  it('batchSize, epochs and other counts must be positive integers', async () => {
    await failsBeforeWork({ fit: { batchSize: 0 } }, "fit: option 'batchSize' must be a positive integer; received 0");
    await failsBeforeWork({ fit: { batchSize: 2.5 } }, "option 'batchSize' must be a positive integer; received 2.5");
    await failsBeforeWork({ fit: { epochs: -1 } }, "fit: option 'epochs' must be a positive integer; received -1");
    await failsBeforeWork({ fit: { epochs: '3' as never } }, "option 'epochs' must be a positive integer; received \"3\"");
    await failsBeforeWork({ fit: { stepsPerEpoch: 0 } }, "option 'stepsPerEpoch' must be a positive integer");
    await failsBeforeWork({ fit: { initialEpoch: -2 } }, "option 'initialEpoch' must be an integer >= 0; received -2");
    await failsBeforeWork({ fit: { verbose: 3 as never } }, "option 'verbose' must be 0, 1 or 2; received 3");
    await failsBeforeWork({ fit: { shuffle: 'yes' as never } }, "option 'shuffle' must be true or false");
    const model = track(linear(2));
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await rejects(model.evaluate(t([[1, 2]]), t([[1]]), { batchSize: -4 }), "evaluate: option 'batchSize' must be a positive integer; received -4");
    await rejects(model.predict(t([[1, 2]]), { batchSize: 0 }), "predict: option 'batchSize' must be a positive integer; received 0");
  });

  it('unknown options point snake_case names to their camelCase spelling', async () => {
    await failsBeforeWork({ fit: { batch_size: 4 } as never }, "fit: unknown option 'batch_size'; use the camelCase spelling 'batchSize'");
    await failsBeforeWork({ fit: { epochz: 4 } as never }, "fit: unknown option 'epochz'; known options: epochs, batchSize");
  });

  it('validation options are checked', async () => {
    await failsBeforeWork({ fit: { validationSplit: 1 } }, "option 'validationSplit' must be a number in [0, 1)", 'received 1');
    await failsBeforeWork({ fit: { validationSplit: 0.7 } }, 'the training data has 3 sample(s), too few to split with validationSplit 0.7', 'leave 0 for training and 3 for validation');
    await failsBeforeWork({ fit: { validationData: [t([[1, 2]])] as never } }, "option 'validationData' must be [x, y] or [x, y, sampleWeight]; received a list of 1");
    await failsBeforeWork({ fit: { validationData: [t([[1, 2]]), t([[1], [2]])] } }, 'validationData x has 1 samples but validationData y has 2');
    await failsBeforeWork({ fit: { validationFreq: 0 } }, "option 'validationFreq' must be a positive integer", 'received 0');
  });

  it('classWeight is checked, and cannot be combined with sampleWeight', async () => {
    await failsBeforeWork({ fit: { classWeight: { 0: 1 }, sampleWeight: t([1, 1, 1]) } }, 'pass classWeight or sampleWeight, not both');
    await failsBeforeWork({ fit: { classWeight: { 0: NaN } } }, 'classWeight maps class indices to finite numbers; received "0": NaN');
    const model = track(twoByTwo());
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const data: [Tensor[], Tensor[]] = [[t([[1, 2, 3]]), t([[1, 2]])], [t([[1]]), t([[1, 0, 0]])]];
    await rejects(model.fit(...data, { verbose: 0, classWeight: { 0: 1, 1: 2 } }), 'classWeight maps classes to weights, but the model has 2 outputs (reg, cls)', 'key it by output name');
    await rejects(model.fit(...data, { verbose: 0, classWeight: { klass: { 0: 1 } } }), "classWeight has key(s) 'klass'", 'outputs are [reg, cls]');
  });

  it('compile checks the optimizer, the losses, the loss weights and the metrics', () => {
    const model = track(twoByTwo());
    expect(() => model.compile({ optimizer: 'adamm', loss: 'mse' })).to.throw(StrataError, 'Unknown optimizer "adamm". Known optimizers:');
    expect(() => model.compile({ optimizer: 'adam', loss: 'msee' })).to.throw(StrataError, "compile: the loss for output 'reg' is invalid: Unknown loss \"msee\"");
    expect(() => model.compile({ optimizer: 'adam', loss: ['mse'] })).to.throw(StrataError, 'compile: loss is a list of 1, but the model has 2 output(s) (reg, cls)');
    expect(() => model.compile({ optimizer: 'adam', loss: { reg: 'mse', klass: 'mse' } })).to.throw(StrataError, "compile: loss has key(s) 'klass', which are not output names; the model's outputs are [reg, cls]");
    expect(() => model.compile({ optimizer: 'adam', loss: [null, null] })).to.throw(StrataError, 'compile: no output has a loss');
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', lossWeights: [1] })).to.throw(StrataError, 'compile: lossWeights is a list of 1, but the model has 2 output(s)');
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', lossWeights: { reg: NaN } })).to.throw(StrataError, "lossWeights for output 'reg' must be a finite number; received number NaN");
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: { klass: ['mae'] } })).to.throw(StrataError, "compile: metrics has key(s) 'klass'");
    expect(() => model.compile({ loss: 'mse' } as never)).to.throw(StrataError, "compile: option 'optimizer' is required");
    expect(() => model.compile({ optimizer: 'sgd' } as never)).to.throw(StrataError, "compile: option 'loss' is required");
    expect(model.compiled).to.equal(null);
  });

  it('an unknown metric is reported with the output it was for', async () => {
    const model = track(linear(2));
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracyy'] });
    await rejects(model.evaluate(t([[1, 2]]), t([[1]])), "compile: the metric 'accuracyy' for output '", 'Unknown metric "accuracyy"');
  });

  it('a second fit on a model that is still training is refused', async () => {
    const model = track(linear(2));
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [t([[1, 2]]), t([[1]])];
    const first = model.fit(x, y, { epochs: 3, verbose: 0 });
    await rejects(model.fit(x, y, { verbose: 0 }), 'is already training', 'await it before starting another');
    await first;
    await model.fit(x, y, { verbose: 0 });
  });

  it('non-tensor data and scalars are refused with what was received', async () => {
    await failsBeforeWork({ x: [[1, 2]] as never }, "fit: x[0] (for input '", "must be a Tensor; received an array of length 2");
    await failsBeforeWork({ x: 'data' as never }, 'fit: x must be a Tensor, a list of tensors or an object keyed by input name; received string data');
    await failsBeforeWork({ y: t(3) }, 'fit: y is a scalar; data needs a first (batch) dimension');
    await failsBeforeWork({ fit: { callbacks: [42 as never] } }, 'fit: callbacks[0] must be a Callback', 'received number');
  });

  it('a Sequential model with no layers says to add some', async () => {
    const model = track(new Sequential());
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await rejects(model.fit(t([[1]]), t([[1]]), { verbose: 0 }), 'has no layers');
    void Dense;
  });
});

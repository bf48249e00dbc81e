import { expect } from 'chai';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  ExponentialDecay,
  Nadam,
  Optimizer,
  RMSprop,
  SGD,
  optimizerRegistry,
  optimizers,
  schedules,
} from '../src/optimizers/index.js';

const BASE_DEFAULTS = { weightDecay: null, clipnorm: null, globalClipnorm: null, clipvalue: null };

describe('optimizers: registry, configs and option errors', () => {
  describe('lookup by name', () => {
    const cases: [string, new (...args: never[]) => Optimizer][] = [
      ['sgd', SGD],
      ['SGD', SGD],
      ['adam', Adam],
      ['Adam', Adam],
      ['adamw', AdamW],
      ['AdamW', AdamW],
      ['adamax', Adamax],
      ['nadam', Nadam],
      ['Nadam', Nadam],
      ['rmsprop', RMSprop],
      ['RMSprop', RMSprop],
      ['RMSProp', RMSprop],
      ['adagrad', Adagrad],
      ['Adagrad', Adagrad],
      ['adadelta', Adadelta],
      ['Adadelta', Adadelta],
    ];
    for (const [name, cls] of cases) {
      it(`'${name}' gives ${cls.name}`, () => {
        const opt = optimizerRegistry.get(name);
        expect(opt).to.be.instanceOf(cls);
        expect(opt.className).to.equal(cls.name);
      });
    }

    it('passes instances through', () => {
      const opt = optimizers.adam();
      expect(optimizerRegistry.get(opt)).to.equal(opt);
    });

    it('an unknown name lists the known optimizers', () => {
      expect(() => optimizerRegistry.get('lion')).to.throw('Unknown optimizer "lion". Known optimizers: Adadelta, Adagrad, Adam, AdamW, Adamax, Nadam, RMSprop, SGD.');
    });
  });

  describe('Keras 3 defaults', () => {
    const expected: [Optimizer, Record<string, unknown>][] = [
      [optimizers.sgd(), { name: 'SGD', learningRate: 0.01, ...BASE_DEFAULTS, momentum: 0, nesterov: false }],
      [optimizers.adam(), { name: 'adam', learningRate: 0.001, ...BASE_DEFAULTS, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false }],
      [optimizers.adamw(), { name: 'adamw', learningRate: 0.001, ...BASE_DEFAULTS, weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false }],
      [optimizers.adamax(), { name: 'adamax', learningRate: 0.001, ...BASE_DEFAULTS, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
      [optimizers.nadam(), { name: 'nadam', learningRate: 0.001, ...BASE_DEFAULTS, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
      [optimizers.rmsprop(), { name: 'rmsprop', learningRate: 0.001, ...BASE_DEFAULTS, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }],
      [optimizers.adagrad(), { name: 'adagrad', learningRate: 0.001, ...BASE_DEFAULTS, initialAccumulatorValue: 0.1, epsilon: 1e-7 }],
      [optimizers.adadelta(), { name: 'adadelta', learningRate: 0.001, ...BASE_DEFAULTS, rho: 0.95, epsilon: 1e-7 }],
    ];
    for (const [opt, config] of expected) {
      it(opt.className, () => expect(opt.getConfig()).to.deep.equal(config));
    }
  });

  describe('configs round-trip through the registry (and JSON)', () => {
    const all: Optimizer[] = [
      optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipnorm: 1, name: 'my_sgd' }),
      optimizers.adam({ learningRate: schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100, warmupTarget: 0.2, warmupSteps: 10 }), amsgrad: true, globalClipnorm: 2 }),
      optimizers.adamw({ weightDecay: 0.1, beta1: 0.8, clipvalue: 0.5 }),
      optimizers.adamax({ beta2: 0.99 }),
      optimizers.nadam({ epsilon: 1e-5, weightDecay: 0.01 }),
      optimizers.rmsprop({ rho: 0.8, momentum: 0.5, centered: true }),
      optimizers.adagrad({ initialAccumulatorValue: 0.5 }),
      optimizers.adadelta({ rho: 0.9, learningRate: 1 }),
    ];
    for (const opt of all) {
      it(opt.className, () => {
        const copy = optimizerRegistry.get(JSON.parse(JSON.stringify({ className: opt.className, config: opt.getConfig() })));
        expect(copy).to.be.instanceOf(opt.constructor);
        expect(copy.getConfig()).to.deep.equal(opt.getConfig());
      });
    }
  });

  it('reads a Keras 3 Adam config (snake_case keys, Keras-only keys at their defaults)', () => {
    const opt = optimizerRegistry.get({
      className: 'Adam',
      config: {
        name: 'adam',
        learning_rate: 0.01,
        weight_decay: null,
        clipnorm: null,
        global_clipnorm: null,
        clipvalue: null,
        use_ema: false,
        ema_momentum: 0.99,
        ema_overwrite_frequency: null,
        loss_scale_factor: null,
        gradient_accumulation_steps: null,
        beta_1: 0.8,
        beta_2: 0.99,
        epsilon: 1e-7,
        amsgrad: false,
      },
    }) as Adam;
    expect(opt).to.be.instanceOf(Adam);
    expect([opt.learningRate, opt.beta1, opt.beta2]).to.deep.equal([0.01, 0.8, 0.99]);
  });

  it('reads a nested learning-rate schedule config', () => {
    const opt = optimizerRegistry.get({
      className: 'SGD',
      config: { learning_rate: { className: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: true } }, momentum: 0.9 },
    });
    expect(opt.learningRate).to.be.instanceOf(ExponentialDecay);
    expect(opt.currentLearningRate).to.equal(0.1);
  });

  it("reads TF.js's RMSProp config, where rho is called decay", () => {
    const opt = optimizerRegistry.get({ className: 'RMSProp', config: { learningRate: 0.01, decay: 0.8, momentum: 0, epsilon: 1e-7, centered: false } }) as RMSprop;
    expect(opt.rho).to.equal(0.8);
  });

  it('rejects unknown config keys, listing the known ones', () => {
    expect(() => optimizerRegistry.get({ className: 'SGD', config: { learning_rate: 0.1, mommentum: 0.9 } })).to.throw(
      "SGD: unknown config key 'mommentum' (received 0.9). Known keys: name, learningRate, weightDecay, clipnorm, globalClipnorm, clipvalue, momentum, nesterov.",
    );
  });

  it('rejects Keras features Strata lacks when they are switched on', () => {
    expect(() => optimizerRegistry.get({ className: 'Adam', config: { use_ema: true } })).to.throw(
      "Adam: config key 'use_ema' is a Keras feature Strata does not support; received boolean true. Remove 'use_ema' from the config (or set it to its Keras default).",
    );
    expect(() => optimizerRegistry.get({ className: 'Adamax', config: { decay: 0.01 } })).to.throw(/Adamax: config key 'decay' is a Keras feature Strata does not support; received 0\.01/);
  });

  describe('option errors', () => {
    it('a negative learning rate', () => {
      expect(() => optimizers.adam({ learningRate: -0.1 })).to.throw(
        "Adam: option 'learningRate' must be a finite number >= 0 or a LearningRateSchedule; received -0.1. Pass a rate such as learningRate: 0.001, or a schedule such as schedules.exponentialDecay({...}).",
      );
      expect(() => optimizers.sgd({ learningRate: Number.NaN })).to.throw(/SGD: option 'learningRate' must be a finite number >= 0 or a LearningRateSchedule; received NaN/);
      expect(() => optimizers.sgd({ learningRate: '0.1' as never })).to.throw(/received string "0\.1"/);
    });

    it('a negative learning rate set later', () => {
      const opt = optimizers.rmsprop();
      expect(() => (opt.learningRate = -1)).to.throw(/RMSprop: option 'learningRate' must be a finite number >= 0 or a LearningRateSchedule; received -1/);
      expect(opt.learningRate).to.equal(0.001);
    });

    it('clipnorm together with globalClipnorm', () => {
      expect(() => optimizers.sgd({ clipnorm: 1, globalClipnorm: 2 })).to.throw(
        "SGD: options 'clipnorm' and 'globalClipnorm' cannot both be set; received clipnorm 1 and globalClipnorm 2. Keep one: clipnorm limits each gradient's norm, globalClipnorm the norm of all gradients together.",
      );
    });

    it('non-positive clipping limits', () => {
      expect(() => optimizers.adam({ clipnorm: 0 })).to.throw("Adam: option 'clipnorm' must be a finite number > 0; received 0. Pass a value such as clipnorm: 1.");
      expect(() => optimizers.adam({ clipvalue: -1 })).to.throw("Adam: option 'clipvalue' must be a finite number > 0; received -1. Pass a value such as clipvalue: 0.5.");
      expect(() => optimizers.adam({ globalClipnorm: Number.POSITIVE_INFINITY })).to.throw(/option 'globalClipnorm' must be a finite number > 0; received Infinity/);
    });

    it('hyperparameters out of range', () => {
      expect(() => optimizers.adam({ beta1: 1 })).to.throw("Adam: option 'beta1' must be a finite number in [0, 1); received 1. Pass a value such as beta1: 0.9.");
      expect(() => optimizers.nadam({ beta2: -0.1 })).to.throw("Nadam: option 'beta2' must be a finite number in [0, 1); received -0.1. Pass a value such as beta2: 0.999.");
      expect(() => optimizers.sgd({ momentum: 1.5 })).to.throw("SGD: option 'momentum' must be a finite number in [0, 1]; received 1.5. Pass a value such as momentum: 0.9.");
      expect(() => optimizers.rmsprop({ rho: 2 })).to.throw("RMSprop: option 'rho' must be a finite number in [0, 1]; received 2. Pass a value such as rho: 0.9.");
      expect(() => optimizers.adagrad({ initialAccumulatorValue: -1 })).to.throw(
        "Adagrad: option 'initialAccumulatorValue' must be a finite number >= 0; received -1. Pass a value such as initialAccumulatorValue: 0.1.",
      );
      expect(() => optimizers.adadelta({ epsilon: -1e-7 })).to.throw("Adadelta: option 'epsilon' must be a finite number >= 0; received -1e-7. Pass a value such as epsilon: 1e-7.");
      expect(() => optimizers.adamax({ weightDecay: -0.1 })).to.throw("Adamax: option 'weightDecay' must be a finite number >= 0; received -0.1. Pass a value such as weightDecay: 0.004.");
    });

    it('non-boolean flags and a bad name', () => {
      expect(() => optimizers.sgd({ nesterov: 1 as never })).to.throw("SGD: option 'nesterov' must be true or false; received 1. Pass nesterov: true or nesterov: false.");
      expect(() => optimizers.rmsprop({ centered: 'yes' as never })).to.throw(/RMSprop: option 'centered' must be true or false; received string "yes"/);
      expect(() => optimizers.adam({ name: '' })).to.throw("Adam: option 'name' must be a non-empty string; received string \"\". Pass a name such as name: 'adam'.");
    });

    it('AdamW needs a weight decay', () => {
      expect(() => optimizers.adamw({ weightDecay: null as never })).to.throw(
        "AdamW: option 'weightDecay' must be a number >= 0; received null. Pass e.g. weightDecay: 0.004, or use optimizers.adam() for no weight decay.",
      );
    });
  });
});

import { expect } from 'chai';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  LearningRateSchedule,
  PiecewiseConstantDecay,
  PolynomialDecay,
  scheduleRegistry,
  schedules,
} from '../src/optimizers/index.js';

/** Expected values are computed by hand from the Keras 3 formulas (shown next to each). */
function expectAt(schedule: LearningRateSchedule, cases: [step: number, lr: number][]): void {
  for (const [step, lr] of cases) expect(schedule.call(step), `${schedule.className} at step ${step}`).to.be.closeTo(lr, 1e-12);
}

describe('optimizers: learning-rate schedules', () => {
  describe('ExponentialDecay', () => {
    it('decays continuously: 0.1 * 0.5^(step / 10)', () => {
      expectAt(schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }), [
        [0, 0.1],
        [5, 0.1 * Math.SQRT1_2],
        [10, 0.05],
        [20, 0.025],
      ]);
    });
    it('decays in whole periods with staircase', () => {
      expectAt(schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }), [
        [0, 0.1],
        [9, 0.1],
        [10, 0.05],
        [15, 0.05],
        [20, 0.025],
      ]);
    });
  });

  it('PiecewiseConstantDecay: values[0] up to and including boundaries[0], then the next value', () => {
    expectAt(schedules.piecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] }), [
      [0, 1],
      [10, 1],
      [10.5, 0.5],
      [11, 0.5],
      [20, 0.5],
      [21, 0.1],
      [1000, 0.1],
    ]);
  });

  describe('PolynomialDecay', () => {
    it('linear from 0.1 to 0.01 over 10 steps, then flat', () => {
      expectAt(schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01 }), [
        [0, 0.1],
        [5, 0.055], // 0.09 * 0.5 + 0.01
        [10, 0.01],
        [20, 0.01],
      ]);
    });
    it('with power 2: 0.09 * (1 - 5/10)^2 + 0.01 = 0.0325 at step 5', () => {
      expectAt(schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, power: 2 }), [[5, 0.0325]]);
    });
    it('with cycle the period stretches to the next multiple of decaySteps', () => {
      expectAt(schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, cycle: true }), [
        [0, 0.1], // period 10 at step 0
        [10, 0.01], // period 10: 1 - 10/10 = 0
        [11, 0.0505], // period 20: 0.09 * (1 - 11/20) + 0.01
        [15, 0.0325], // period 20: 0.09 * 0.25 + 0.01
        [25, 0.025], // period 30: 0.09 * (1/6) + 0.01
      ]);
    });
    it('defaults to endLearningRate 0.0001 and power 1', () => {
      expectAt(schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10 }), [[10, 0.0001]]);
    });
  });

  describe('InverseTimeDecay', () => {
    it('0.1 / (1 + 0.5 * step / 10)', () => {
      expectAt(schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }), [
        [0, 0.1],
        [5, 0.08],
        [10, 0.1 / 1.5],
      ]);
    });
    it('with staircase', () => {
      expectAt(schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }), [
        [5, 0.1],
        [15, 0.1 / 1.5],
        [20, 0.05],
      ]);
    });
  });

  describe('CosineDecay', () => {
    it('from 0.1 to 0 over 100 steps, then flat', () => {
      expectAt(schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }), [
        [0, 0.1],
        [50, 0.05],
        [100, 0],
        [200, 0],
      ]);
    });
    it('with alpha 0.1 the floor is 0.01', () => {
      expectAt(schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1 }), [
        [50, 0.055], // 0.1 * (0.9 * 0.5 + 0.1)
        [100, 0.01],
      ]);
    });
    it('with a linear warmup from 0 to 0.1 over 10 steps, then the decay from 0.1', () => {
      expectAt(schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10 }), [
        [0, 0],
        [5, 0.05],
        [10, 0.1],
        [60, 0.05],
        [110, 0],
        [500, 0],
      ]);
    });
    it('with a warmup target and no warmup steps, decays from the target', () => {
      expectAt(schedules.cosineDecay({ initialLearningRate: 0.05, decaySteps: 100, warmupTarget: 0.2 }), [
        [0, 0.2],
        [50, 0.1],
      ]);
    });
  });

  describe('CosineDecayRestarts', () => {
    it('periods of 10, 20, 40 steps (tMul 2)', () => {
      const halfway = (c: number) => 0.1 * 0.5 * (1 + Math.cos(Math.PI * c));
      expectAt(schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10 }), [
        [0, 0.1],
        [5, 0.05],
        [10, 0.1], // first restart
        [20, 0.05], // halfway through the 20-step period
        [29, halfway(19 / 20)],
        [30, 0.1], // second restart
        [70, 0.1], // third restart
      ]);
    });
    it('with mMul 0.5 each restart starts at half the previous rate', () => {
      expectAt(schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, mMul: 0.5 }), [
        [10, 0.05],
        [30, 0.025],
      ]);
    });
    it('with tMul 1 and alpha 0.2: equal periods and a floor', () => {
      expectAt(schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1, mMul: 0.5, alpha: 0.2 }), [
        [5, 0.1 * (0.8 * 0.5 + 0.2)],
        [10, 0.06], // 0.1 * (0.8 * 0.5 * 0.5 * 2 + 0.2)
        [15, 0.1 * (0.8 * 0.25 + 0.2)],
      ]);
    });
    it('with tMul 3: periods of 10 and 30 steps', () => {
      expectAt(schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 3 }), [
        [10, 0.1],
        [25, 0.05],
        [40, 0.1],
      ]);
    });
    it('with tMul < 1, rejects steps beyond the finite sum of the periods', () => {
      const s = schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 0.5 });
      expectAt(s, [
        [10, 0.1], // periods of 10, 5, 2.5, ... steps
        [12.5, 0.05],
        [15, 0.1],
      ]);
      expect(() => s.call(25)).to.throw(/CosineDecayRestarts\.call: with tMul 0\.5 < 1 .* last 20 steps; received step 25.*Use tMul >= 1/);
    });
  });

  describe('serialization', () => {
    const all: LearningRateSchedule[] = [
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
      new PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] }),
      new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, power: 2, cycle: true }),
      new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
      new CosineDecay({ initialLearningRate: 0, decaySteps: 100, alpha: 0.1, warmupTarget: 0.1, warmupSteps: 10 }),
      new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 3, mMul: 0.5, alpha: 0.1 }),
    ];
    for (const s of all) {
      it(`${s.className} rebuilds from { className, getConfig() } with the same values`, () => {
        const copy = scheduleRegistry.get(JSON.parse(JSON.stringify({ className: s.className, config: s.getConfig() })));
        expect(copy).to.be.instanceOf(s.constructor);
        expect(copy.getConfig()).to.deep.equal(s.getConfig());
        for (const step of [0, 3, 10, 17, 55]) expect(copy.call(step)).to.equal(s.call(step));
      });
    }

    it('reads Keras snake_case configs', () => {
      const s = scheduleRegistry.get({
        className: 'CosineDecayRestarts',
        config: { initial_learning_rate: 0.1, first_decay_steps: 10, t_mul: 2, m_mul: 0.5, alpha: 0, name: 'SGDRDecay' },
      });
      expect(s).to.be.instanceOf(CosineDecayRestarts);
      expect(s.call(10)).to.be.closeTo(0.05, 1e-12);
      const c = scheduleRegistry.get({ className: 'cosine_decay', config: { initial_learning_rate: 0.1, decay_steps: 10, warmup_target: null, warmup_steps: 0 } });
      expect(c.call(5)).to.be.closeTo(0.05, 1e-12);
    });

    it('has Keras config defaults and names', () => {
      expect(new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 5 }).getConfig()).to.deep.equal({
        initialLearningRate: 1,
        firstDecaySteps: 5,
        tMul: 2,
        mMul: 1,
        alpha: 0,
        name: 'SGDRDecay',
      });
      expect(new PiecewiseConstantDecay({ boundaries: [1], values: [1, 2] }).getConfig().name).to.equal('PiecewiseConstant');
    });

    it('names the known schedules when one is unknown', () => {
      expect(() => scheduleRegistry.get('StepDecay')).to.throw(
        'Unknown learning rate schedule "StepDecay". Known learning rate schedules: CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay.',
      );
    });

    it('rejects unknown config keys, listing the known ones', () => {
      expect(() => scheduleRegistry.get({ className: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, warmup: 3 } })).to.throw(
        "ExponentialDecay: unknown config key 'warmup' (received 3). Known keys: initialLearningRate, decaySteps, decayRate, staircase, name.",
      );
    });
  });

  describe('errors', () => {
    it('decaySteps must be positive', () => {
      expect(() => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).to.throw(
        "ExponentialDecay: option 'decaySteps' must be a finite number > 0; received 0. Pass a value such as decaySteps: 1000.",
      );
      expect(() => schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: -5 })).to.throw(/CosineDecay: option 'decaySteps' must be a finite number > 0; received -5/);
      expect(() => schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 0 })).to.throw(/option 'firstDecaySteps' must be a finite number > 0; received 0/);
    });

    it('a missing required option is named', () => {
      expect(() => schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10 } as never)).to.throw(
        "InverseTimeDecay: option 'decayRate' must be a finite number; received undefined. Pass a value such as decayRate: 0.5.",
      );
      expect(() => schedules.polynomialDecay({ initialLearningRate: Number.NaN, decaySteps: 10 })).to.throw(/option 'initialLearningRate' must be a finite number; received NaN/);
    });

    it('PiecewiseConstantDecay needs one more value than boundaries', () => {
      expect(() => schedules.piecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5] })).to.throw(
        "PiecewiseConstantDecay: option 'values' must have one more entry than 'boundaries'; received 2 boundaries [10, 20] and 2 values [1, 0.5]. Add or remove a value so that there is one rate per interval.",
      );
    });

    it('PiecewiseConstantDecay needs strictly increasing boundaries', () => {
      expect(() => schedules.piecewiseConstantDecay({ boundaries: [10, 10], values: [1, 0.5, 0.1] })).to.throw(
        "PiecewiseConstantDecay: option 'boundaries' must be strictly increasing; received [10, 10] (entry 1, 10, is not above 10). Sort the boundaries and remove duplicates.",
      );
    });

    it('PiecewiseConstantDecay needs arrays', () => {
      expect(() => schedules.piecewiseConstantDecay({ boundaries: 10, values: [1, 2] } as never)).to.throw(/options 'boundaries' and 'values' must be arrays of numbers; received boundaries 10 and values an array of length 2/);
    });

    it('staircase must be a boolean', () => {
      expect(() => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: 'yes' as never })).to.throw(
        `ExponentialDecay: option 'staircase' must be true or false; received string "yes". Pass staircase: true or staircase: false.`,
      );
    });

    it('steps must be non-negative finite numbers', () => {
      const s = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
      expect(() => s.call(-1)).to.throw("ExponentialDecay.call: argument 'step' must be a finite number >= 0; received -1. Pass the optimizer step, such as optimizer.iterations.");
    });
  });
});

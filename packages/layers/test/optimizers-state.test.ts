import { expect } from 'chai';
import { disposeAfter, memory, tensor, variable, type Tensor, type Variable } from '@strata/core';
import { Optimizer, optimizerRegistry, optimizers, schedules } from '../src/optimizers/index.js';

const SHAPES = [[3], [2, 2]];

function makeVars(prefix: string): Variable[] {
  return SHAPES.map((shape, j) => variable(tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 0.5 + i * 0.25 - j), shape), true, `${prefix}_${j}`));
}

function gradsAt(step: number): Tensor[] {
  return SHAPES.map((shape, j) => tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(step * 2.1 + i + j * 0.4)), shape));
}

function step(opt: Optimizer, vars: Variable[], n: number): void {
  const g = gradsAt(n);
  opt.applyGradients(vars.map((v, j) => ({ variable: v, gradient: g[j]! })));
}

async function values(ts: readonly Tensor[]): Promise<number[][]> {
  return Promise.all(ts.map(async (t) => Array.from(await t.data())));
}

const factories: [string, () => Optimizer][] = [
  ['SGD with Nesterov momentum', () => optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['Adam with AMSGrad and a schedule', () => optimizers.adam({ learningRate: schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }), amsgrad: true })],
  ['AdamW', () => optimizers.adamw({ learningRate: 0.05, weightDecay: 0.1 })],
  ['Adamax', () => optimizers.adamax({ learningRate: 0.1 })],
  ['Nadam', () => optimizers.nadam({ learningRate: 0.1 })],
  ['RMSprop centered with momentum', () => optimizers.rmsprop({ learningRate: 0.05, momentum: 0.9, centered: true })],
  ['Adagrad', () => optimizers.adagrad({ learningRate: 0.1 })],
  ['Adadelta', () => optimizers.adadelta({ learningRate: 1 })],
];

describe('optimizers: state, checkpoints and memory', () => {
  describe('getWeights / setWeights resume training exactly', () => {
    for (const [label, make] of factories) {
      it(label, async () => {
        await disposeAfter(async () => {
          const a = makeVars(`resume_a_${label.replace(/\W/g, '')}`);
          const optA = make();
          for (let n = 0; n < 3; n++) step(optA, a, n);
          const savedVars = await values(a);
          const saved = optA.getWeights();
          for (let n = 3; n < 6; n++) step(optA, a, n);
          const expected = await values(a);

          // A fresh optimizer on fresh variables holding the saved values.
          const b = makeVars(`resume_b_${label.replace(/\W/g, '')}`);
          b.forEach((v, j) => v.assign(tensor(savedVars[j]!, SHAPES[j])));
          const optB = make();
          optB.build(b);
          await optB.setWeights(saved);
          expect(optB.iterations).to.equal(3);
          for (let n = 3; n < 6; n++) step(optB, b, n);
          expect(await values(b)).to.deep.equal(expected);
          expect(await values(optB.getWeights())).to.deep.equal(await values(optA.getWeights()));
        });
      });
    }
  });

  it('getWeights lists iterations, then slots by variable in order of first use, slots in Keras order', async () => {
    await disposeAfter(async () => {
      const [w1, w2] = makeVars('order');
      const opt = optimizers.adam({ learningRate: 0.1, amsgrad: true, name: 'opt' });
      opt.applyGradients([{ variable: w2!, gradient: tensor([[1, 1], [1, 1]]) }]);
      opt.applyGradients([
        { variable: w1!, gradient: tensor([1, 1, 1]) },
        { variable: w2!, gradient: tensor([[1, 1], [1, 1]]) },
      ]);
      const ws = opt.getWeights();
      expect(ws.map((w) => w.shape)).to.deep.equal([[], [2, 2], [2, 2], [2, 2], [3], [3], [3]]);
      expect(ws[0]!.dtype).to.equal('int32');
      expect((await ws[0]!.data())[0]).to.equal(2);
      expect(opt.getWeightNames()).to.deep.equal([
        'iterations',
        'opt/order_1_momentum',
        'opt/order_1_velocity',
        'opt/order_1_velocity_hat',
        'opt/order_0_momentum',
        'opt/order_0_velocity',
        'opt/order_0_velocity_hat',
      ]);
    });
  });

  it('getWeights returns copies: later steps do not change them', async () => {
    await disposeAfter(async () => {
      const [w] = makeVars('copies');
      const opt = optimizers.sgd({ learningRate: 0.1, momentum: 0.9 });
      opt.applyGradients([{ variable: w!, gradient: tensor([1, 1, 1]) }]);
      const before = opt.getWeights();
      const snapshot = await values(before);
      opt.applyGradients([{ variable: w!, gradient: tensor([1, 1, 1]) }]);
      expect(await values(before)).to.deep.equal(snapshot);
    });
  });

  it('two optimizers on one variable keep separate, uniquely named slots', async () => {
    await disposeAfter(async () => {
      const [w] = makeVars('shared');
      const a = optimizers.adam();
      const b = optimizers.adam();
      a.build([w!]);
      b.build([w!]);
      expect(a.getSlot(w!, 'momentum')).to.not.equal(b.getSlot(w!, 'momentum'));
      expect(a.getSlot(w!, 'momentum')!.name).to.equal('adam/shared_0_momentum');
      expect(b.getSlot(w!, 'momentum')!.name).to.equal('adam/shared_0_momentum_1');
      expect(a.getSlot(w!, 'momentum')!.trainable).to.equal(false);
    });
  });

  describe('iterations', () => {
    it('counts applyGradients calls; an empty list is not a step', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('iters');
        const opt = optimizers.rmsprop();
        expect(opt.iterations).to.equal(0);
        step(opt, vars, 0);
        step(opt, vars, 1);
        opt.applyGradients([]);
        expect(opt.iterations).to.equal(2);
      });
    });

    it('drives the schedule: currentLearningRate is schedule(iterations)', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('sched');
        const opt = optimizers.sgd({ learningRate: schedules.piecewiseConstantDecay({ boundaries: [1], values: [0.5, 0.25] }) });
        expect(opt.currentLearningRate).to.equal(0.5);
        step(opt, vars, 0);
        expect(opt.currentLearningRate).to.equal(0.5);
        step(opt, vars, 1);
        expect(opt.currentLearningRate).to.equal(0.25);
      });
    });

    it('is restored by setWeights, even without slots', async () => {
      await disposeAfter(async () => {
        const opt = optimizers.sgd();
        await opt.setWeights([tensor(7, [], 'int32')]);
        expect(opt.iterations).to.equal(7);
        await opt.setWeights([tensor([12])]);
        expect(opt.iterations).to.equal(12);
      });
    });
  });

  describe('memory', () => {
    for (const [label, make] of factories) {
      it(`${label}: no tensors leak per step once the slots exist`, async () => {
        await disposeAfter(async () => {
          const vars = makeVars(`leak_${label.replace(/\W/g, '')}`);
          const opt = make();
          const grads = gradsAt(0);
          const pairs = vars.map((v, j) => ({ variable: v, gradient: grads[j]! }));
          opt.applyGradients(pairs);
          const after1 = memory();
          for (let n = 0; n < 4; n++) opt.applyGradients(pairs);
          expect(memory().numTensors).to.equal(after1.numTensors);
          expect(memory().numDataBuffers).to.equal(after1.numDataBuffers);
        });
      });
    }

    it('clipping and weight decay leak nothing either', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('leak_clip');
        const opt = optimizers.adam({ clipvalue: 0.5, globalClipnorm: 1, weightDecay: 0.01 });
        step(opt, vars, 0);
        const before = memory().numTensors;
        step(opt, vars, 1);
        expect(memory().numTensors).to.equal(before + 2); // only the two gradients step() made
      });
    });

    it('the first step creates exactly the slots; dispose frees them', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('leak_slots');
        const grads = gradsAt(0);
        const before = memory().numTensors;
        const opt = optimizers.adam({ amsgrad: true });
        opt.applyGradients(vars.map((v, j) => ({ variable: v, gradient: grads[j]! })));
        expect(memory().numTensors).to.equal(before + 6);
        opt.dispose();
        expect(memory().numTensors).to.equal(before);
        opt.dispose();
      });
    });

    it('getWeights hands the caller new tensors to dispose', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('leak_weights');
        const opt = optimizers.adagrad();
        step(opt, vars, 0);
        const before = memory().numTensors;
        const ws = opt.getWeights();
        expect(memory().numTensors).to.equal(before + 3);
        ws.forEach((w) => w.dispose());
        expect(memory().numTensors).to.equal(before);
      });
    });

    it('setWeights leaves no tensors behind', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('leak_set');
        const opt = optimizers.adagrad();
        step(opt, vars, 0);
        const ws = opt.getWeights();
        const before = memory().numTensors;
        await opt.setWeights(ws);
        expect(memory().numTensors).to.equal(before);
      });
    });
  });

  describe('errors', () => {
    it('setWeights on an optimizer not built on the variables', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('err_count');
        const a = optimizers.adam();
        step(a, vars, 0);
        let error: Error | undefined;
        await optimizers.adam().setWeights(a.getWeights()).catch((e: Error) => (error = e));
        expect(error?.message).to.equal(
          'Adam.setWeights: expected 1 tensors (iterations, then 0 slots for the 0 variables this optimizer has seen); received 5. Build this optimizer on the same variables, in the same order, as the one the weights came from (optimizer.build(variables)) before setWeights.',
        );
      });
    });

    it('setWeights with a slot of the wrong shape changes nothing', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('err_shape');
        const a = optimizers.adam();
        step(a, vars, 0);
        const ws = a.getWeights();
        const b = optimizers.adam();
        b.build([vars[1]!, vars[0]!]); // the other order
        let error: Error | undefined;
        await b.setWeights(ws).catch((e: Error) => (error = e));
        expect(error?.message).to.equal(
          "Adam.setWeights: weights[1] is for slot 'adam/err_shape_1_momentum_1' of shape [2, 2] (float32); received shape [3] (float32). Build this optimizer on the same variables, in the same order, as the one the weights came from.",
        );
        expect(b.iterations).to.equal(0);
        expect(Array.from(await b.getSlot(vars[1]!, 'momentum')!.data())).to.deep.equal([0, 0, 0, 0]);
      });
    });

    it('setWeights with a bad iterations tensor', async () => {
      await disposeAfter(async () => {
        const opt = optimizers.sgd();
        const fail = async (ws: Tensor[]): Promise<string> => opt.setWeights(ws).then(() => 'resolved', (e: Error) => e.message);
        expect(await fail([tensor([1, 2])])).to.equal("SGD.setWeights: weights[0] must be the iterations scalar; received shape [2]. Pass getWeights()'s array unchanged, iterations first.");
        expect(await fail([tensor(2.5)])).to.equal("SGD.setWeights: weights[0] (iterations) must hold a non-negative integer; received 2.5. Pass getWeights()'s array unchanged, iterations first.");
        const gone = tensor(1);
        gone.dispose();
        expect(await fail([gone])).to.equal("SGD.setWeights: weights[0] must be a live tensor; received a disposed tensor. Pass the tensors getWeights() returned, before disposing them.");
        expect(await fail('x' as never)).to.equal(`SGD.setWeights: expected an array of tensors from getWeights(); received string "x". Pass the array optimizer.getWeights() returned.`);
      });
    });

    it('a disposed optimizer refuses further use', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('err_disposed');
        const opt = optimizers.adam({ name: 'my_adam' });
        step(opt, vars, 0);
        opt.dispose();
        expect(() => step(opt, vars, 1)).to.throw("Adam.applyGradients: optimizer 'my_adam' was disposed, and its slots with it. Create a new optimizer to keep training.");
        expect(() => opt.getWeights()).to.throw(/Adam\.getWeights: optimizer 'my_adam' was disposed/);
      });
    });

    it('applyGradients: a gradient of the wrong shape', async () => {
      await disposeAfter(async () => {
        const [w] = makeVars('err_grad');
        const opt = optimizers.sgd();
        expect(() => opt.applyGradients([{ variable: w!, gradient: tensor([1, 2]) }])).to.throw(
          "SGD.applyGradients: the gradient for variable 'err_grad_0' must match its shape [3] and dtype float32; received shape [2] and dtype float32. Pair each variable with its own gradient.",
        );
        expect(opt.iterations).to.equal(0);
      });
    });

    it('applyGradients: a variable twice', async () => {
      await disposeAfter(async () => {
        const [w] = makeVars('err_twice');
        const g = tensor([1, 1, 1]);
        expect(() => optimizers.sgd().applyGradients([{ variable: w!, gradient: g }, { variable: w!, gradient: g }])).to.throw(
          "SGD.applyGradients: variable 'err_twice_0' appears more than once (again at pairs[1]). Add its gradients together and pass it once.",
        );
      });
    });

    it('applyGradients: not a variable, a disposed gradient, an int32 variable', async () => {
      await disposeAfter(async () => {
        const [w] = makeVars('err_kinds');
        const opt = optimizers.sgd();
        expect(() => opt.applyGradients([{ variable: tensor([1, 2, 3]) as never, gradient: tensor([1, 1, 1]) }])).to.throw(
          /SGD\.applyGradients: pairs\[0\]\.variable must be a live Variable; received an object with keys \[.*\]\. Pass the variables being trained/,
        );
        const g = tensor([1, 1, 1]);
        g.dispose();
        expect(() => opt.applyGradients([{ variable: w!, gradient: g }])).to.throw(
          "SGD.applyGradients: the gradient for variable 'err_kinds_0' (pairs[0].gradient) must be a live tensor; received a disposed tensor. Pass the gradient variableGrads returned for it.",
        );
        const counter = variable(tensor([1], [1], 'int32'), true, 'err_kinds_int');
        expect(() => opt.applyGradients([{ variable: counter, gradient: tensor([1]) }])).to.throw(
          "SGD.applyGradients: variable 'err_kinds_int' has dtype int32; optimizers update float32 variables only. Mark it non-trainable, or create it as float32.",
        );
        expect(() => opt.applyGradients({} as never)).to.throw(/SGD\.applyGradients: expected an array of \{ variable, gradient \} pairs; received an object with keys \[\]/);
      });
    });

    it('a schedule that returns a negative rate is reported with its step', async () => {
      await disposeAfter(async () => {
        const vars = makeVars('err_sched');
        const opt = optimizers.sgd({ learningRate: schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 1, endLearningRate: -0.1 }) });
        step(opt, vars, 0);
        expect(() => step(opt, vars, 1)).to.throw(/SGD: its learning rate schedule \(PolynomialDecay\) returned -0\.1 at step 1; a learning rate must be a finite number >= 0\. Fix the schedule's options/);
      });
    });

    it('build rejects disposed variables', async () => {
      await disposeAfter(async () => {
        const [w] = makeVars('err_build');
        w!.dispose();
        expect(() => optimizers.adam().build([w!])).to.throw("Adam.build: variables[0] must be a live Variable; received disposed variable 'err_build_0'. Pass the model's trainable variables.");
      });
    });
  });
});

describe('optimizers: remaining error paths', () => {
  it('options that are not an object', () => {
    expect(() => optimizers.adam(5 as never)).to.throw('Adam: options must be an object; received 5. Pass e.g. { learningRate: 0.001 }.');
  });

  it('a pair that is not an object, and a disposed variable', async () => {
    await disposeAfter(async () => {
      const [w] = makeVars('rest_pair');
      const opt = optimizers.sgd();
      expect(() => opt.applyGradients([null as never])).to.throw(
        'SGD.applyGradients: pairs[0] must be a { variable, gradient } object; received null. Pass e.g. { variable: w, gradient: grads[w.name] }.',
      );
      w!.dispose();
      expect(() => opt.applyGradients([{ variable: w!, gradient: tensor([1, 1, 1]) }])).to.throw(
        "SGD.applyGradients: pairs[0].variable must be a live Variable; received disposed variable 'rest_pair_0'. Pass the variables being trained (e.g. model.trainableWeights).",
      );
    });
  });

  it('disposing the optimizer, or one of its slots, while setWeights reads the iterations', async () => {
    await disposeAfter(async () => {
      const vars = makeVars('rest_race');
      const a = optimizers.adagrad();
      step(a, vars, 0);
      const pending = a.setWeights(a.getWeights());
      a.getSlot(vars[0]!, 'accumulator')!.dispose();
      const message = await pending.then(() => 'resolved', (e: Error) => e.message);
      expect(message).to.equal(
        "Adagrad.setWeights: slot 'adagrad/rest_race_0_accumulator' was disposed while the iterations were being read. Do not dispose the optimizer during setWeights.",
      );

      const b = optimizers.adagrad({ name: 'b' });
      step(b, vars, 0);
      const pendingB = b.setWeights(b.getWeights());
      b.dispose();
      expect(await pendingB.then(() => 'resolved', (e: Error) => e.message)).to.equal(
        "Adagrad.setWeights: optimizer 'b' was disposed, and its slots with it. Create a new optimizer to keep training.",
      );
    });
  });

  it('a config that is not an object', () => {
    expect(() => optimizerRegistry.get({ className: 'Adam', config: 'fast' as never })).to.throw(
      `Adam: a config must be a plain object of options; received string "fast". Pass an object such as { className: 'Adam', config: {} }.`,
    );
  });

  it('a custom subclass without a static className is named by its class', () => {
    class Plain extends Optimizer {
      constructor() {
        super({ learningRate: 0.1, name: 'plain' }, {});
      }
      protected slotSpecs() {
        return [];
      }
      protected updateStep(): void {}
    }
    expect(new Plain().className).to.equal('Plain');
  });
});

import { expect } from 'chai';
import { disposeAfter, tensor, variable, type Tensor, type Variable } from '@strata/core';
import { Optimizer, optimizers, schedules } from '../src/optimizers/index.js';

/**
 * Each optimizer runs a few steps on two small variables with fixed gradients; after every step its
 * variables and slots are compared with a float64 re-implementation of the Keras 3 formula,
 * written here independently of the code under test.
 */

/** One element's state in the reference: the weight and each slot, by Keras slot name. */
interface ElementState {
  w: number;
  s: Record<string, number>;
}

/** A reference update of one element: `t` is Keras's local step (1 for the first update). */
type ReferenceStep = (e: ElementState, g: number, lr: number, t: number) => void;

const INITIAL: number[][] = [
  [0.5, -1.5, 2, 0.25],
  [1, -2, 3, 0.75],
];
const SHAPES: number[][] = [[4], [2, 2]];

/** Deterministic gradients with varied signs and magnitudes, rounded to float32 as the engine sees them. */
function gradientsAt(step: number, scale: (step: number) => number = () => 1): number[][] {
  return INITIAL.map((row, j) => row.map((_, i) => Math.fround(scale(step) * Math.sin(1 + step * 3.7 + i * 1.3 + j * 0.7))));
}

/**
 * Relative comparison against the larger of the element and `scale` (the largest magnitude in its
 * tensor): an EMA of gradients of mixed sign can cancel to a value far smaller than its inputs,
 * and float32 can only be expected to be accurate relative to those inputs.
 */
function close(actual: number, expected: number, what: string, rtol = 1e-6, scale = 0): void {
  const err = Math.abs(actual - expected);
  const allowed = rtol * Math.max(Math.abs(expected), scale) + 1e-12;
  if (!(err <= allowed)) {
    expect.fail(`${what}: expected ${expected}, got ${actual} (error ${err.toExponential(2)}, allowed ${allowed.toExponential(2)})`);
  }
}

const maxAbs = (xs: readonly number[]): number => Math.max(...xs.map(Math.abs));

interface RunOptions {
  steps?: number;
  /** Learning rate the reference uses at Keras step t (1-based). */
  lr: (t: number) => number;
  /** Initial slot values (default 0). */
  slotInit?: Record<string, number>;
  /** Decoupled weight decay the reference applies before the update. */
  weightDecay?: number;
  gradScale?: (step: number) => number;
  rtol?: number;
}

/** Runs `opt` and the reference side by side and compares weights and slots after every step. */
async function compare(opt: Optimizer, slotNames: readonly string[], reference: ReferenceStep, run: RunOptions): Promise<void> {
  await disposeAfter(async () => {
    const vars: Variable[] = INITIAL.map((row, j) => variable(tensor(row, SHAPES[j]), true, `cmp_${j}`));
    const state: ElementState[][] = INITIAL.map((row) =>
      row.map((w) => ({ w: Math.fround(w), s: Object.fromEntries(slotNames.map((n) => [n, run.slotInit?.[n] ?? 0])) })),
    );
    const steps = run.steps ?? 5;
    for (let step = 0; step < steps; step++) {
      const g = gradientsAt(step, run.gradScale);
      const grads: Tensor[] = g.map((row, j) => tensor(row, SHAPES[j]));
      opt.applyGradients(vars.map((v, j) => ({ variable: v, gradient: grads[j]! })));
      const t = step + 1;
      const lr = run.lr(t);
      state.forEach((row, j) =>
        row.forEach((e, i) => {
          if (run.weightDecay) e.w -= e.w * run.weightDecay * lr;
          reference(e, g[j]![i]!, lr, t);
        }),
      );
      for (let j = 0; j < vars.length; j++) {
        const w = await vars[j]!.data();
        const wScale = maxAbs(state[j]!.map((e) => e.w));
        state[j]!.forEach((e, i) => close(w[i]!, e.w, `step ${t}, variable ${j}[${i}]`, run.rtol, wScale));
        for (const name of slotNames) {
          const slot = opt.getSlot(vars[j]!, name);
          expect(slot, `slot ${name}`).to.not.equal(undefined);
          const s = await slot!.data();
          const sScale = maxAbs(state[j]!.map((e) => e.s[name]!));
          state[j]!.forEach((e, i) => close(s[i]!, e.s[name]!, `step ${t}, slot ${name} of variable ${j}[${i}]`, run.rtol, sScale));
        }
      }
    }
    expect(opt.iterations).to.equal(steps);
    opt.dispose();
  });
}

const constant = (lr: number) => () => lr;

// --- References: Keras 3 formulas, float64 --------------------------------------------------------

function sgdRef(momentum: number, nesterov: boolean): ReferenceStep {
  return (e, g, lr) => {
    if (momentum === 0) {
      e.w -= lr * g;
      return;
    }
    e.s.momentum = momentum * e.s.momentum! - lr * g;
    e.w += nesterov ? momentum * e.s.momentum - lr * g : e.s.momentum;
  };
}

function adamRef(b1: number, b2: number, eps: number, amsgrad: boolean): ReferenceStep {
  return (e, g, lr, t) => {
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    e.s.momentum = e.s.momentum! + (g - e.s.momentum!) * (1 - b1);
    e.s.velocity = e.s.velocity! + (g * g - e.s.velocity!) * (1 - b2);
    let v = e.s.velocity;
    if (amsgrad) {
      e.s.velocity_hat = Math.max(e.s.velocity_hat!, e.s.velocity);
      v = e.s.velocity_hat;
    }
    e.w -= (alpha * e.s.momentum) / (Math.sqrt(v) + eps);
  };
}

function adamaxRef(b1: number, b2: number, eps: number): ReferenceStep {
  return (e, g, lr, t) => {
    e.s.momentum = e.s.momentum! + (g - e.s.momentum!) * (1 - b1);
    e.s.norm = Math.max(b2 * e.s.norm!, Math.abs(g));
    e.w -= (lr * e.s.momentum) / ((1 - b1 ** t) * (e.s.norm + eps));
  };
}

/** Keras keeps `u_product` in a variable updated once per step; the reference does the same per element. */
function nadamRef(b1: number, b2: number, eps: number): ReferenceStep {
  return (e, g, lr, t) => {
    const product = (e.s.u_product ?? 1) * b1 * (1 - 0.5 * 0.96 ** t);
    e.s.u_product = product;
    const uT = b1 * (1 - 0.5 * 0.96 ** t);
    const uNext = b1 * (1 - 0.5 * 0.96 ** (t + 1));
    const productNext = product * uNext;
    e.s.momentum = e.s.momentum! + (g - e.s.momentum!) * (1 - b1);
    e.s.velocity = e.s.velocity! + (g * g - e.s.velocity!) * (1 - b2);
    const mHat = (uNext * e.s.momentum) / (1 - productNext) + ((1 - uT) * g) / (1 - product);
    const vHat = e.s.velocity / (1 - b2 ** t);
    e.w -= (mHat * lr) / (Math.sqrt(vHat) + eps);
  };
}

function rmspropRef(rho: number, momentum: number, eps: number, centered: boolean): ReferenceStep {
  return (e, g, lr) => {
    e.s.velocity = rho * e.s.velocity! + (1 - rho) * g * g;
    let denominator: number;
    if (centered) {
      e.s.average_gradient = rho * e.s.average_gradient! + (1 - rho) * g;
      denominator = e.s.velocity - e.s.average_gradient ** 2 + eps;
    } else {
      denominator = e.s.velocity + eps;
    }
    const increment = (lr * g) / Math.sqrt(denominator);
    if (momentum > 0) {
      e.s.momentum = momentum * e.s.momentum! + increment;
      e.w -= e.s.momentum;
    } else {
      e.w -= increment;
    }
  };
}

function adagradRef(eps: number): ReferenceStep {
  return (e, g, lr) => {
    e.s.accumulator = e.s.accumulator! + g * g;
    e.w -= (lr * g) / Math.sqrt(e.s.accumulator + eps);
  };
}

function adadeltaRef(rho: number, eps: number): ReferenceStep {
  return (e, g, lr) => {
    e.s.accumulated_grad = rho * e.s.accumulated_grad! + (1 - rho) * g * g;
    const delta = (-Math.sqrt(e.s.accumulated_delta_var! + eps) * g) / Math.sqrt(e.s.accumulated_grad + eps);
    e.s.accumulated_delta_var = rho * e.s.accumulated_delta_var! + (1 - rho) * delta * delta;
    e.w += lr * delta;
  };
}

describe('optimizers: updates match float64 Keras 3 references', () => {
  describe('SGD', () => {
    it('plain, with the default learning rate 0.01', async () => {
      await compare(optimizers.sgd(), [], sgdRef(0, false), { lr: constant(0.01) });
    });
    it('with momentum', async () => {
      await compare(optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), ['momentum'], sgdRef(0.9, false), { lr: constant(0.1) });
    });
    it('with Nesterov momentum', async () => {
      await compare(optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }), ['momentum'], sgdRef(0.9, true), { lr: constant(0.1) });
    });
    it('keeps no slot without momentum', async () => {
      await disposeAfter(() => {
        expect(optimizers.sgd({ learningRate: 0.1 }).getWeights()).to.have.length(1);
      });
    });
  });

  describe('Adam', () => {
    it('with the Keras defaults', async () => {
      await compare(optimizers.adam(), ['momentum', 'velocity'], adamRef(0.9, 0.999, 1e-7, false), { lr: constant(0.001) });
    });
    it('with a large learning rate', async () => {
      await compare(optimizers.adam({ learningRate: 0.1 }), ['momentum', 'velocity'], adamRef(0.9, 0.999, 1e-7, false), { lr: constant(0.1) });
    });
    it('with AMSGrad, where the running maximum of v matters', async () => {
      // beta2 0.5 and shrinking gradients make v fall, so vHat differs from v.
      await compare(
        optimizers.adam({ learningRate: 0.1, beta2: 0.5, epsilon: 1e-3, amsgrad: true }),
        ['momentum', 'velocity', 'velocity_hat'],
        adamRef(0.9, 0.5, 1e-3, true),
        { lr: constant(0.1), gradScale: (s) => 4 ** -s },
      );
    });
  });

  describe('AdamW', () => {
    it('with the default weight decay 0.004', async () => {
      await compare(optimizers.adamw({ learningRate: 0.1 }), ['momentum', 'velocity'], adamRef(0.9, 0.999, 1e-7, false), { lr: constant(0.1), weightDecay: 0.004 });
    });
    it('with a large weight decay', async () => {
      await compare(optimizers.adamw({ learningRate: 0.1, weightDecay: 0.5, beta1: 0.8 }), ['momentum', 'velocity'], adamRef(0.8, 0.999, 1e-7, false), {
        lr: constant(0.1),
        weightDecay: 0.5,
      });
    });
  });

  it('Adamax', async () => {
    await compare(optimizers.adamax({ learningRate: 0.1 }), ['momentum', 'norm'], adamaxRef(0.9, 0.999, 1e-7), { lr: constant(0.1) });
  });

  it('Adamax with shrinking gradients (the decayed norm wins the max)', async () => {
    await compare(optimizers.adamax({ learningRate: 0.1, beta2: 0.9 }), ['momentum', 'norm'], adamaxRef(0.9, 0.9, 1e-7), { lr: constant(0.1), gradScale: (s) => 3 ** -s });
  });

  it('Nadam', async () => {
    await compare(optimizers.nadam({ learningRate: 0.1 }), ['momentum', 'velocity'], nadamRef(0.9, 0.999, 1e-7), { lr: constant(0.1), steps: 6 });
  });

  describe('RMSprop', () => {
    it('plain', async () => {
      await compare(optimizers.rmsprop({ learningRate: 0.1 }), ['velocity'], rmspropRef(0.9, 0, 1e-7, false), { lr: constant(0.1) });
    });
    it('with momentum', async () => {
      await compare(optimizers.rmsprop({ learningRate: 0.1, momentum: 0.5 }), ['velocity', 'momentum'], rmspropRef(0.9, 0.5, 1e-7, false), { lr: constant(0.1) });
    });
    it('centered', async () => {
      await compare(optimizers.rmsprop({ learningRate: 0.1, centered: true }), ['velocity', 'average_gradient'], rmspropRef(0.9, 0, 1e-7, true), { lr: constant(0.1) });
    });
    it('centered with momentum and a custom rho', async () => {
      await compare(
        optimizers.rmsprop({ learningRate: 0.05, rho: 0.8, momentum: 0.9, centered: true }),
        ['velocity', 'momentum', 'average_gradient'],
        rmspropRef(0.8, 0.9, 1e-7, true),
        { lr: constant(0.05) },
      );
    });
  });

  it('Adagrad, accumulators starting at 0.1', async () => {
    await compare(optimizers.adagrad({ learningRate: 0.1 }), ['accumulator'], adagradRef(1e-7), { lr: constant(0.1), slotInit: { accumulator: 0.1 } });
  });

  it('Adagrad with initialAccumulatorValue 0.5', async () => {
    await compare(optimizers.adagrad({ learningRate: 0.3, initialAccumulatorValue: 0.5 }), ['accumulator'], adagradRef(1e-7), { lr: constant(0.3), slotInit: { accumulator: 0.5 } });
  });

  it('Adadelta with learning rate 1 (the paper form)', async () => {
    // Adadelta's accumulated deltas start at epsilon scale, so a large epsilon keeps steps measurable.
    await compare(optimizers.adadelta({ learningRate: 1, epsilon: 1e-2 }), ['accumulated_grad', 'accumulated_delta_var'], adadeltaRef(0.95, 1e-2), { lr: constant(1) });
  });

  it('Adadelta with the defaults', async () => {
    await compare(optimizers.adadelta(), ['accumulated_grad', 'accumulated_delta_var'], adadeltaRef(0.95, 1e-7), { lr: constant(0.001) });
  });

  describe('learning rate and weight decay in the base class', () => {
    it('uses schedule(iterations) before incrementing: step t uses schedule(t - 1)', async () => {
      const lr = schedules.exponentialDecay({ initialLearningRate: 0.5, decaySteps: 1, decayRate: 0.5 });
      await compare(optimizers.sgd({ learningRate: lr }), [], sgdRef(0, false), { lr: (t) => 0.5 * 0.5 ** (t - 1) });
    });

    it('applies a schedule to Adam', async () => {
      const lr = schedules.piecewiseConstantDecay({ boundaries: [1, 3], values: [0.2, 0.1, 0.05] });
      // iterations 0,1 -> 0.2; 2,3 -> 0.1; 4 -> 0.05
      await compare(optimizers.adam({ learningRate: lr }), ['momentum', 'velocity'], adamRef(0.9, 0.999, 1e-7, false), { lr: (t) => [0.2, 0.2, 0.1, 0.1, 0.05][t - 1]! });
    });

    it('applies decoupled weight decay to any optimizer (SGD with momentum)', async () => {
      await compare(optimizers.sgd({ learningRate: 0.1, momentum: 0.5, weightDecay: 0.2 }), ['momentum'], sgdRef(0.5, false), { lr: constant(0.1), weightDecay: 0.2 });
    });

    it('takes a new fixed learning rate set between steps', async () => {
      await disposeAfter(async () => {
        const w = variable(tensor([1]), true, 'set_lr');
        const opt = optimizers.sgd({ learningRate: 0.1 });
        opt.applyGradients([{ variable: w, gradient: tensor([1]) }]);
        opt.learningRate = 0.5;
        expect(opt.currentLearningRate).to.equal(0.5);
        opt.applyGradients([{ variable: w, gradient: tensor([1]) }]);
        close((await w.data())[0]!, 1 - 0.1 - 0.5, 'w');
      });
    });

    it('skips variables excluded from weight decay, by identity and by name pattern', async () => {
      await disposeAfter(async () => {
        const kernel = variable(tensor([2]), true, 'dense/kernel');
        const bias = variable(tensor([2]), true, 'dense/bias');
        const other = variable(tensor([2]), true, 'other');
        const opt = optimizers.sgd({ learningRate: 0.1, weightDecay: 0.5 });
        opt.excludeFromWeightDecay({ varList: [other], varNames: ['bias'] });
        const zero = tensor([0]);
        opt.applyGradients([kernel, bias, other].map((v) => ({ variable: v, gradient: zero })));
        close((await kernel.data())[0]!, 2 - 2 * 0.5 * 0.1, 'kernel');
        expect((await bias.data())[0]).to.equal(2);
        expect((await other.data())[0]).to.equal(2);
      });
    });
  });
});

import { expect } from 'chai';
import {
  clone, fill, memory, optimizerSlotNames, optimizerUpdate, reshape, tensor, variable, zeros,
  type OptimizerUpdate, type Tensor, type Variable,
} from '@strata/core';
import { conformanceCase, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { expectDisposed, expectOpError } from './case-helpers.js';
import { adamAlpha, referenceStep, type ReferenceState } from './optimizer-reference.js';

/** An update rule to run for several steps: its update at step `t`, and its slots' start values. */
interface Config {
  name: string;
  update: (t: number) => OptimizerUpdate;
  slotStart: number;
  /** Scales the first step's gradient (amsgrad: a large first `v`, so that `vHat` then differs). */
  firstScale?: number;
}

const adam = (amsgrad: boolean) => (t: number): OptimizerUpdate => ({ kind: 'adam', alpha: adamAlpha(0.01, 0.9, 0.999, t), beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad });

const CONFIGS: readonly Config[] = [
  { name: 'sgd', update: () => ({ kind: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false }), slotStart: 0 },
  { name: 'sgd-momentum', update: () => ({ kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: false }), slotStart: 0 },
  { name: 'sgd-nesterov', update: () => ({ kind: 'sgd', learningRate: 0.05, momentum: 0.8, nesterov: true }), slotStart: 0 },
  { name: 'adam', update: adam(false), slotStart: 0 },
  { name: 'adam-amsgrad', update: adam(true), slotStart: 0, firstScale: 6 },
  { name: 'rmsprop', update: () => ({ kind: 'rmsprop', learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }), slotStart: 0 },
  { name: 'rmsprop-momentum', update: () => ({ kind: 'rmsprop', learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-7, centered: false }), slotStart: 0 },
  { name: 'rmsprop-centered', update: () => ({ kind: 'rmsprop', learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: true }), slotStart: 0 },
  { name: 'rmsprop-centered-momentum', update: () => ({ kind: 'rmsprop', learningRate: 0.02, rho: 0.9, momentum: 0.9, epsilon: 1e-6, centered: true }), slotStart: 0 },
  { name: 'adagrad', update: () => ({ kind: 'adagrad', learningRate: 0.1, epsilon: 1e-7 }), slotStart: 0.1 },
];

const SHAPE = [3, 5];
const STEPS = 5;
// Float32 storage against float64 loops, over several steps: a few float32 roundings apart.
const TOL = { atol: 2e-6, rtol: 2e-5 };

/** The gradient of step `t` (1-based) for a config, as float32 values. */
function gradientAt(config: Config, t: number): Float32Array {
  const g = randomValues(15, 100 + t, -1, 1);
  if (t === 1 && config.firstScale) for (let i = 0; i < g.length; i++) g[i] = Math.fround(g[i]! * config.firstScale);
  return g;
}

/** A variable holding a buffer of its own (the tensor it was made from is freed). */
function ownVariable(init: Tensor, trainable = true): Variable {
  const v = variable(init, trainable);
  init.dispose();
  return v;
}

/** Live slot variables for an update, each starting at `start`, each with its own buffer. */
function makeSlots(update: OptimizerUpdate, start: number): Variable[] {
  return optimizerSlotNames(update).map(() => ownVariable(fill(SHAPE, start), false));
}

/**
 * Cases for `optimizerUpdate`: several steps of every rule (plain, momentum and Nesterov SGD; Adam
 * and AMSGrad; plain, momentum and centered RMSprop; Adagrad) against float64 reference loops,
 * copy-on-write for buffers other tensors share, a gradient that is the variable itself, no new
 * buffers for exclusive ones, leaks, and argument errors.
 *
 * @example
 * describe('optimizerUpdate', () => optimizerUpdateCases(ctx));
 */
export function optimizerUpdateCases(ctx: SuiteContext): void {
  for (const config of CONFIGS) {
    conformanceCase(ctx, `optimizerUpdate.${config.name}.steps`, async () => {
      const start = randomValues(15, 7, -1, 1);
      const w = variable(tensor(start, SHAPE));
      const slots = makeSlots(config.update(1), config.slotStart);
      const ref: ReferenceState = { w: Array.from(start), slots: slots.map(() => new Array<number>(15).fill(Math.fround(config.slotStart))) };
      for (let t = 1; t <= STEPS; t++) {
        const gValues = gradientAt(config, t);
        const g = tensor(gValues, SHAPE);
        optimizerUpdate(config.update(t), w, g, slots);
        g.dispose();
        referenceStep(config.update(t), ref, gValues);
        await expectTensor(w, ref.w, { ...TOL, shape: SHAPE });
        for (let k = 0; k < slots.length; k++) await expectTensor(slots[k]!, ref.slots[k]!, { ...TOL, shape: SHAPE });
      }
    });
  }

  conformanceCase(ctx, 'optimizerUpdate.slot-names', () => {
    expect(optimizerSlotNames({ kind: 'sgd', learningRate: 1, momentum: 0, nesterov: true })).to.deep.equal([]);
    expect(optimizerSlotNames({ kind: 'adam', alpha: 1, beta1: 0.9, beta2: 0.9, epsilon: 0, amsgrad: true })).to.deep.equal(['m', 'v', 'vHat']);
    expect(optimizerSlotNames({ kind: 'rmsprop', learningRate: 1, rho: 0.9, momentum: 0.1, epsilon: 0, centered: true })).to.deep.equal(['velocity', 'momentum', 'averageGradient']);
    expect(optimizerSlotNames({ kind: 'adagrad', learningRate: 1, epsilon: 0 })).to.deep.equal(['accumulator']);
  });

  conformanceCase(ctx, 'optimizerUpdate.copy-on-write', async () => {
    const sgd: OptimizerUpdate = { kind: 'sgd', learningRate: 0.5, momentum: 0.5, nesterov: false };
    // `variable(x)` shares x's buffer; a clone shares the variable's; a view (reshape) shares it too.
    const x = tensor([1, 2, 3, 4]);
    const w = variable(x);
    const before = clone(w);
    const view = reshape(w, [2, 2]);
    // A slot assigned from another tensor shares that tensor's buffer.
    const m = variable(zeros([4]), false);
    const saved = tensor([0.25, 0.25, 0.25, 0.25]);
    m.assign(saved);
    const g = tensor([2, 2, 2, 2]);
    optimizerUpdate(sgd, w, g, [m]);
    // m = 0.5 * 0.25 - 0.5 * 2 = -0.875; w += m.
    await expectTensor(w, [0.125, 1.125, 2.125, 3.125]);
    await expectTensor(m, [-0.875, -0.875, -0.875, -0.875]);
    await expectTensor(x, [1, 2, 3, 4]);
    await expectTensor(before, [1, 2, 3, 4]);
    await expectTensor(view, [[1, 2], [3, 4]]);
    await expectTensor(saved, [0.25, 0.25, 0.25, 0.25]);
    // Now exclusive, the next step writes in place without new buffers.
    const buffers = memory().numDataBuffers;
    optimizerUpdate(sgd, w, g, [m]);
    expect(memory().numDataBuffers, 'buffers after a step on exclusive buffers').to.equal(buffers);
    await expectTensor(m, [-1.4375, -1.4375, -1.4375, -1.4375]);
    await expectTensor(w, [-1.3125, -0.3125, 0.6875, 1.6875]);
  });

  conformanceCase(ctx, 'optimizerUpdate.gradient-is-the-variable', async () => {
    const w = variable(tensor([1, -2, 4]));
    const acc = variable(fill([3], 0.1), false);
    optimizerUpdate({ kind: 'adagrad', learningRate: 0.5, epsilon: 0 }, w, w, [acc]);
    const ref: ReferenceState = { w: [1, -2, 4], slots: [[0.1, 0.1, 0.1].map(Math.fround)] };
    referenceStep({ kind: 'adagrad', learningRate: 0.5, epsilon: 0 }, ref, [1, -2, 4]);
    await expectTensor(w, ref.w, TOL);
    await expectTensor(acc, ref.slots[0]!, TOL);
  });

  conformanceCase(ctx, 'optimizerUpdate.no-leaks', async () => {
    const w = ownVariable(tensor(randomValues(15, 30), SHAPE));
    const g = tensor(randomValues(15, 31), SHAPE);
    const slotsOf = new Map(CONFIGS.map((c) => [c.name, makeSlots(c.update(1), c.slotStart)]));
    // Tensors and buffers alike: with exclusive buffers a step allocates nothing that outlives it.
    await expectNoLeaks(async () => {
      for (const c of CONFIGS) optimizerUpdate(c.update(2), w, g, slotsOf.get(c.name)!);
      // Shared buffers are copied once; the copies replace the old ones, nothing accumulates.
      const snapshot = clone(w);
      optimizerUpdate(CONFIGS[0]!.update(1), w, g, []);
      snapshot.dispose();
      await w.data();
    });
  });

  conformanceCase(ctx, 'optimizerUpdate.errors', async () => {
    const op = 'optimizerUpdate';
    const sgd: OptimizerUpdate = { kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: false };
    const w = variable(zeros([2, 3]));
    const m = variable(zeros([2, 3]), false);
    const g = zeros([2, 3]);
    const plain = zeros([2, 3]);
    const wrongShape = zeros([3, 2]);
    const ints = variable(tensor([1, 2], [2], 'int32'));
    expectOpError(() => optimizerUpdate(sgd, w, wrongShape, [m]), op, 'gradient', 'shape [3, 2]', '[2, 3]');
    expectOpError(() => optimizerUpdate(sgd, w, g, []), op, 'slots', 'an array of 0', "1 variable(s) for this 'sgd' update: [momentum]");
    expectOpError(() => optimizerUpdate({ ...sgd, momentum: 0 }, w, g, [m]), op, 'slots', 'an array of 1', '0 variable(s)');
    expectOpError(() => optimizerUpdate(sgd, w, g, [variable(zeros([3]), false)]), op, 'slots[0]', 'shape [3]', '[2, 3]');
    expectOpError(() => optimizerUpdate(sgd, w, g, [plain as Variable]), op, 'slots[0]', 'a tensor of shape [2, 3]', 'live Variable');
    expectOpError(() => optimizerUpdate(sgd, w, g, [w]), op, 'slots[0]', 'again', 'none may appear twice');
    expectOpError(() => optimizerUpdate(sgd, plain as Variable, g, [m]), op, 'variable', 'a tensor of shape [2, 3]', 'live Variable');
    expectOpError(() => optimizerUpdate(sgd, ints, tensor([1, 2]), [variable(zeros([2]), false)]), op, 'variable', 'dtype int32', 'float32');
    expectOpError(() => optimizerUpdate({ kind: 'lion' } as never, w, g, []), op, 'update', 'kind "lion"', "'sgd', 'adam', 'rmsprop', 'adagrad'");
    expectOpError(() => optimizerUpdate({ ...sgd, learningRate: NaN }, w, g, [m]), op, 'update.learningRate', 'NaN', 'finite number');
    expectOpError(() => optimizerUpdate({ ...sgd, nesterov: 1 } as never, w, g, [m]), op, 'update.nesterov', '1', 'true or false');
    expectOpError(() => optimizerUpdate({ ...sgd, momentum: 1.5 }, w, g, [m]), op, 'update.momentum', '1.5', '[0, 1]');
    // A refused update changes nothing.
    await expectTensor(w, [0, 0, 0, 0, 0, 0]);
    await expectDisposed(clone(m), [0, 0, 0, 0, 0, 0]);
    [g, plain, wrongShape].forEach((t: Tensor) => t.dispose());
  });
}

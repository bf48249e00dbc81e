import { expect } from 'chai';
import { add, grad, memory, mul, sum, tensor, type Tensor } from '@strata/core';
import { L1, L1L2, L2, Regularizer, getRegularizer, regularizerRegistry, regularizers } from '../src/regularizers/index.js';

async function read(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data(), Number);
  t.dispose();
  return v;
}

/** Hand-computed reference in float64. */
function reference(values: number[], l1: number, l2: number): number {
  return l1 * values.reduce((s, x) => s + Math.abs(x), 0) + l2 * values.reduce((s, x) => s + x * x, 0);
}

describe('regularizers', () => {
  const values = [1, -2, 3.5, -4, 0.25, 0];

  it('L1, L2 and L1L2 give scalar penalties equal to the hand-computed sums (Keras defaults)', async () => {
    const x = tensor(values, [2, 3]);
    const cases: [Regularizer, number][] = [
      [new L1(), reference(values, 0.01, 0)],           // 0.01 * 10.75
      [new L1({ l1: 0.5 }), 0.5 * 10.75],
      [new L2(), reference(values, 0, 0.01)],           // 0.01 * 33.3125, no factor 1/2
      [new L2({ l2: 2 }), 2 * 33.3125],
      [new L1L2({ l1: 0.1, l2: 0.2 }), 0.1 * 10.75 + 0.2 * 33.3125],
      [new L1L2({ l2: 0.3 }), 0.3 * 33.3125],
      [new L1L2(), 0],
    ];
    for (const [reg, expected] of cases) {
      const p = reg.apply(x);
      expect(p.shape, reg.className).to.deep.equal([]);
      expect(p.dtype).to.equal('float32');
      const [v] = await read(p);
      expect(v, `${reg.className} ${JSON.stringify(reg.getConfig())}`).to.be.closeTo(expected, 1e-6 * Math.max(1, expected));
    }
    x.dispose();
  });

  it('penalises int32 weights in float32', async () => {
    const x = tensor([1, -2, 3], [3], 'int32');
    const p = new L1L2({ l1: 0.5, l2: 0.25 }).apply(x);
    expect(p.dtype).to.equal('float32');
    expect(await read(p)).to.deep.equal([0.5 * 6 + 0.25 * 14]);
    x.dispose();
  });

  it('is differentiable: d/dx of l1|x| + l2 x² is l1 sign(x) + 2 l2 x', async () => {
    const x = tensor([1.5, -2, 0.5]);
    const reg = new L1L2({ l1: 0.1, l2: 0.3 });
    const g = grad((w) => reg.apply(w))(x);
    const got = await read(g);
    const expected = [1.5, -2, 0.5].map((w) => 0.1 * Math.sign(w) + 2 * 0.3 * w);
    got.forEach((v, i) => expect(v).to.be.closeTo(expected[i], 1e-6));
    // Added to a loss, its gradient adds to the loss's: d/dx (3 Σx + penalty) = 3 + the above.
    const total = await read(grad((w) => add(mul(sum(w), 3), reg.apply(w)))(x));
    total.forEach((v, i) => expect(v).to.be.closeTo(3 + expected[i], 1e-6));
    x.dispose();
  });

  it('does not leak', () => {
    const x = tensor(values);
    const before = memory().numTensors;
    for (const reg of [new L1(), new L2(), new L1L2({ l1: 1, l2: 1 }), new L1L2()]) reg.apply(x).dispose();
    expect(memory().numTensors).to.equal(before);
    x.dispose();
  });

  it('configs round-trip through the registry; names resolve Keras- and TF.js-style', () => {
    for (const reg of [regularizers.l1({ l1: 0.2 }), regularizers.l2({ l2: 0.3 }), regularizers.l1l2({ l1: 0.4, l2: 0.5 })]) {
      const rebuilt = getRegularizer({ className: reg.className, config: reg.getConfig() });
      expect(rebuilt.constructor).to.equal(reg.constructor);
      expect(rebuilt.getConfig()).to.deep.equal(reg.getConfig());
    }
    expect(regularizers.l1().getConfig()).to.deep.equal({ l1: 0.01 });
    expect(regularizers.l2().getConfig()).to.deep.equal({ l2: 0.01 });
    expect(regularizers.l1l2().getConfig()).to.deep.equal({ l1: 0, l2: 0 });
    expect(getRegularizer('l1').className).to.equal('L1');
    expect(getRegularizer('l2').className).to.equal('L2');
    expect(getRegularizer('l1_l2').className).to.equal('L1L2');
    expect(getRegularizer('l1l2').className).to.equal('L1L2');
    expect(getRegularizer({ className: 'L1L2', config: { l1: 0.1 } }).getConfig()).to.deep.equal({ l1: 0.1, l2: 0 });
    const inst = new L2();
    expect(getRegularizer(inst)).to.equal(inst);
    expect(regularizerRegistry.names()).to.deep.equal(['L1', 'L1L2', 'L2']);
  });

  it('errors name the regularizer, the option or argument, the received value and the fix', () => {
    expect(() => getRegularizer('l3')).to.throw('Unknown regularizer "l3". Known regularizers: L1, L1L2, L2.');
    expect(() => new L1({ l1: -0.1 })).to.throw("L1: option 'l1' must be a non-negative finite number; received number -0.1.");
    expect(() => new L2({ l2: Number.POSITIVE_INFINITY })).to.throw("L2: option 'l2' must be a non-negative finite number; received number Infinity.");
    expect(() => new L1L2({ l1: '0.1' as unknown as number })).to.throw("L1L2: option 'l1' must be a non-negative finite number; received string \"0.1\".");
    expect(() => new L1({ l2: 0.1 } as never)).to.throw("L1: unknown option 'l2' (received number 0.1). Known options: l1; remove it or fix its spelling.");
    expect(() => new L2().apply([1, 2] as never)).to.throw("L2.apply: argument 'x' must be a Tensor (the weight to penalise); received array [1, 2].");
  });
});

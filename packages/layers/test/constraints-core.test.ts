import { expect } from 'chai';
import { memory, tensor, type Tensor } from '@strata/core';
import { Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm, constraintRegistry, constraints, getConstraint } from '../src/constraints/index.js';

async function read(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data(), Number);
  t.dispose();
  return v;
}

const EPS = 1e-7;

/**
 * Float64 reference: for each position, the norm of the fibre through it along `axes` of a
 * row-major tensor of `shape`, then `scaleOf(norm)` times the value.
 */
function byNorm(values: number[], shape: number[], axes: number[], scaleOf: (n: number) => number): number[] {
  const rank = shape.length;
  const norm = (axes.map((a) => (a < 0 ? a + rank : a)));
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const keyOf = (flat: number): string => shape.map((_, d) => (norm.includes(d) ? 0 : Math.floor(flat / strides[d]) % shape[d])).join(',');
  const sums = new Map<string, number>();
  values.forEach((v, i) => sums.set(keyOf(i), (sums.get(keyOf(i)) ?? 0) + v * v));
  return values.map((v, i) => v * scaleOf(Math.sqrt(sums.get(keyOf(i))!)));
}

function expectClose(got: number[], expected: number[], tol = 1e-6): void {
  expect(got.length).to.equal(expected.length);
  got.forEach((v, i) => expect(v, `index ${i}`).to.be.closeTo(expected[i], tol * Math.max(1, Math.abs(expected[i]))));
}

describe('constraints: norm constraints', () => {
  // Columns have norms 5 and 1; rows 3 and sqrt(17).
  const w2 = [3, 0, 4, 1];
  const w3 = [1, -2, 3, 0.5, 2, -1, 4, 0, -3, 1, 1, 2, 0.5, 0.5, -2, 3, 1, 1, 2, -4, 0, 1, 2, 2];

  it('MaxNorm (Keras defaults maxValue 2, axis 0) matches a hand-computed 2x2 case', async () => {
    const w = tensor(w2, [2, 2]);
    // Column 0 (norm 5) is scaled to norm 2; column 1 (norm 1) stays.
    expectClose(await read(new MaxNorm().apply(w)), [3 * 2 / (5 + EPS), 0, 4 * 2 / (5 + EPS), 1 / (1 + EPS)]);
    // Along axis 1: row 0 (norm 3) → norm 2; row 1 (norm √17) → norm 2.
    const r1 = Math.sqrt(17);
    expectClose(await read(new MaxNorm({ axis: 1 }).apply(w)), [3 * 2 / (3 + EPS), 0, 4 * 2 / (r1 + EPS), 2 / (r1 + EPS)]);
    expectClose(await read(new MaxNorm({ maxValue: 4, axis: -1 }).apply(w)), [3 * 3 / (3 + EPS), 0, 4 * 4 / (r1 + EPS), 4 / (r1 + EPS)]);
    w.dispose();
  });

  it('MaxNorm over several axes of a conv-like kernel matches the float64 reference', async () => {
    const shape = [2, 3, 4];
    const w = tensor(w3, shape);
    for (const [axis, maxValue] of [[[0, 1], 2.5], [0, 1], [[1, 2], 3], [2, 0.5], [[0, 1, 2], 1]] as [number | number[], number][]) {
      const axes = typeof axis === 'number' ? [axis] : axis;
      const expected = byNorm(w3, shape, axes, (n) => Math.min(n, maxValue) / (n + EPS));
      expectClose(await read(new MaxNorm({ maxValue, axis }).apply(w)), expected);
    }
    w.dispose();
  });

  it('UnitNorm normalises along the chosen axes', async () => {
    const w = tensor(w2, [2, 2]);
    expectClose(await read(new UnitNorm().apply(w)), [3 / (5 + EPS), 0, 4 / (5 + EPS), 1 / (1 + EPS)]);
    const r1 = Math.sqrt(17);
    expectClose(await read(new UnitNorm({ axis: 1 }).apply(w)), [3 / (3 + EPS), 0, 4 / (r1 + EPS), 1 / (r1 + EPS)]);
    w.dispose();
    const w3t = tensor(w3, [2, 3, 4]);
    for (const axis of [0, 1, -1, [0, 2]]) {
      const axes = typeof axis === 'number' ? [axis] : axis;
      expectClose(await read(new UnitNorm({ axis }).apply(w3t)), byNorm(w3, [2, 3, 4], axes, (n) => 1 / (n + EPS)));
    }
    w3t.dispose();
  });

  it('MinMaxNorm moves norms into [minValue, maxValue] at the given rate', async () => {
    const w = tensor(w2, [2, 2]);
    // Defaults (0, 1, rate 1): column 0 norm 5 → 1, column 1 norm 1 stays.
    expectClose(await read(new MinMaxNorm().apply(w)), [3 / (5 + EPS), 0, 4 / (5 + EPS), 1 / (1 + EPS)]);
    // [2, 3] at rate 0.5: norm 5 → 0.5·3 + 0.5·5 = 4; norm 1 → 0.5·2 + 0.5·1 = 1.5.
    expectClose(await read(new MinMaxNorm({ minValue: 2, maxValue: 3, rate: 0.5 }).apply(w)), [3 * 4 / (5 + EPS), 0, 4 * 4 / (5 + EPS), 1.5 / (1 + EPS)]);
    // rate 0 leaves the weights (up to the epsilon).
    expectClose(await read(new MinMaxNorm({ minValue: 2, maxValue: 3, rate: 0 }).apply(w)), [3 * 5 / (5 + EPS), 0, 4 * 5 / (5 + EPS), 1 / (1 + EPS)]);
    w.dispose();
    const w3t = tensor(w3, [2, 3, 4]);
    const expected = byNorm(w3, [2, 3, 4], [0, 1], (n) => (0.3 * Math.min(Math.max(n, 1.5), 2) + 0.7 * n) / (n + EPS));
    expectClose(await read(new MinMaxNorm({ minValue: 1.5, maxValue: 2, rate: 0.3, axis: [0, 1] }).apply(w3t)), expected);
    w3t.dispose();
  });

  it('a zero vector stays zero (the epsilon avoids 0/0)', async () => {
    const w = tensor([0, 1, 0, 2], [2, 2]);
    expectClose(await read(new UnitNorm().apply(w)), [0, 1 / (Math.sqrt(5) + EPS), 0, 2 / (Math.sqrt(5) + EPS)]);
    expectClose(await read(new MaxNorm({ maxValue: 1 }).apply(w)), [0, 1 / (Math.sqrt(5) + EPS), 0, 2 / (Math.sqrt(5) + EPS)]);
    w.dispose();
  });

  it('axis errors name the constraint, the axis, the weight shape and the fix', () => {
    const w = tensor(w2, [2, 2]);
    expect(() => new MaxNorm({ axis: 2 }).apply(w)).to.throw("MaxNorm.apply: option 'axis' (2) does not exist for a weight of shape [2, 2] (rank 2); use axes in [-2, 1] (Dense kernels: 0; Conv2D kernels [h, w, in, out]: [0, 1, 2]).");
    expect(() => new UnitNorm({ axis: [0, 3] }).apply(w)).to.throw(/UnitNorm\.apply: option 'axis' \(\[0,3\]\) does not exist for a weight of shape \[2, 2\]/);
    expect(() => new MinMaxNorm({ axis: -3 }).apply(w)).to.throw(/MinMaxNorm\.apply: option 'axis' \(-3\)/);
    w.dispose();
  });
});

describe('constraints: NonNeg', () => {
  it('zeroes negative weights', async () => {
    const w = tensor([-1.5, 0, 2, -0.001, 3], [5]);
    expect((await read(new NonNeg().apply(w))).map((x) => x + 0)).to.deep.equal([0, 0, 2, 0, 3]);
    w.dispose();
  });
});

describe('constraints: registry, configs, errors, memory', () => {
  it('factories, configs and names round-trip', () => {
    const all: Constraint[] = [
      constraints.maxNorm({ maxValue: 3, axis: [0, 1] }), constraints.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.25, axis: 1 }),
      constraints.nonNeg(), constraints.unitNorm({ axis: -1 }),
    ];
    for (const c of all) {
      const rebuilt = getConstraint({ className: c.className, config: c.getConfig() });
      expect(rebuilt.constructor).to.equal(c.constructor);
      expect(rebuilt.getConfig()).to.deep.equal(c.getConfig());
    }
    expect(constraints.maxNorm().getConfig()).to.deep.equal({ maxValue: 2, axis: 0 });
    expect(constraints.minMaxNorm().getConfig()).to.deep.equal({ minValue: 0, maxValue: 1, rate: 1, axis: 0 });
    expect(constraints.unitNorm().getConfig()).to.deep.equal({ axis: 0 });
    expect(constraints.nonNeg().getConfig()).to.deep.equal({});
    for (const [name, className] of [['max_norm', 'MaxNorm'], ['maxNorm', 'MaxNorm'], ['min_max_norm', 'MinMaxNorm'], ['non_neg', 'NonNeg'], ['nonNeg', 'NonNeg'], ['unit_norm', 'UnitNorm']]) {
      expect(getConstraint(name).className).to.equal(className);
    }
    // Keras JSON spells options in snake_case.
    expect(getConstraint({ className: 'MaxNorm', config: { max_value: 3, axis: 1 } }).getConfig()).to.deep.equal({ maxValue: 3, axis: 1 });
    const inst = new UnitNorm();
    expect(getConstraint(inst)).to.equal(inst);
    expect(constraintRegistry.names()).to.deep.equal(['MaxNorm', 'MinMaxNorm', 'NonNeg', 'UnitNorm']);
  });

  it('option errors name the constraint, the option, the received value and the fix', () => {
    expect(() => getConstraint('clip')).to.throw('Unknown constraint "clip". Known constraints: MaxNorm, MinMaxNorm, NonNeg, UnitNorm.');
    expect(() => new MaxNorm({ maxValue: -1 })).to.throw("MaxNorm: option 'maxValue' must be a non-negative finite number; received number -1.");
    expect(() => new MaxNorm({ axis: 0.5 })).to.throw("MaxNorm: option 'axis' must be an integer or a non-empty list of distinct integers; received number 0.5.");
    expect(() => new UnitNorm({ axis: [] })).to.throw("UnitNorm: option 'axis' must be an integer or a non-empty list of distinct integers; received array [].");
    expect(() => new UnitNorm({ axis: [1, 1] })).to.throw(/received array \[1, 1\]/);
    expect(() => new MinMaxNorm({ minValue: 2, maxValue: 1 })).to.throw("MinMaxNorm: option 'maxValue' must be at least minValue (2); received number 1.");
    expect(() => new MinMaxNorm({ rate: 1.5 })).to.throw("MinMaxNorm: option 'rate' must be in [0, 1]; received number 1.5.");
    expect(() => new MaxNorm({ max_norm: 2 } as never)).to.throw("MaxNorm: unknown option 'max_norm' (received number 2). Known options: maxValue, axis; remove it or fix its spelling.");
    expect(() => new NonNeg({ axis: 0 } as never)).to.throw("NonNeg: unknown option 'axis' (received number 0). NonNeg takes no options; remove it or fix its spelling.");
    expect(() => new UnitNorm().apply(null as never)).to.throw("UnitNorm.apply: argument 'w' must be a Tensor (the weight to constrain); received null.");
  });

  it('does not leak, and leaves its input usable', async () => {
    const w = tensor([1, -2, 3, 4, -5, 6], [2, 3]);
    const before = memory().numTensors;
    for (const c of [new MaxNorm(), new MinMaxNorm({ rate: 0.5, minValue: 0.5 }), new NonNeg(), new UnitNorm({ axis: [0, 1] })]) c.apply(w).dispose();
    expect(memory().numTensors).to.equal(before);
    expect(await read(w)).to.deep.equal([1, -2, 3, 4, -5, 6]);
  });
});

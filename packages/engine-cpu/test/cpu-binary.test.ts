import { expect } from 'chai';
import { BINARY_OPS } from '@strata/engine-api';
import type { BinaryOp, DType, Shape } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { broadcastIndex, expectClose, Harness, out, referenceBroadcast, seeded, unravel } from './helpers.js';

const PREDICATES = new Set<BinaryOp>([
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalXor',
]);

describe('cpu engine: binary', () => {
  const h = new Harness();
  const run = (op: BinaryOp, a: number[], aShape: Shape, b: number[], bShape: Shape, outShape: Shape, dtype: DType = 'float32', outDtype?: DType) => {
    const od = outDtype ?? (PREDICATES.has(op) ? 'bool' : dtype);
    const id = h.engine.binary(op, h.tensor(a, aShape, dtype), h.tensor(b, bShape, dtype), out(outShape, od));
    return h.values(id, outShape, od);
  };

  const floatRefs: Record<BinaryOp, (x: number, y: number) => number> = {
    add: (x, y) => x + y, sub: (x, y) => x - y, mul: (x, y) => x * y, div: (x, y) => x / y,
    floorDiv: (x, y) => Math.floor(x / y), mod: (x, y) => x - Math.floor(x / y) * y, pow: (x, y) => x ** y,
    maximum: Math.max, minimum: Math.min, squaredDifference: (x, y) => (x - y) ** 2, atan2: Math.atan2,
    equal: (x, y) => +(x === y), notEqual: (x, y) => +(x !== y), less: (x, y) => +(x < y), lessEqual: (x, y) => +(x <= y),
    greater: (x, y) => +(x > y), greaterEqual: (x, y) => +(x >= y),
    logicalAnd: (x, y) => +(!!x && !!y), logicalOr: (x, y) => +(!!x || !!y), logicalXor: (x, y) => +(!!x !== !!y),
  };

  const shapes: [Shape, Shape, Shape][] = [
    [[2, 3], [2, 3], [2, 3]], // same shape
    [[2, 3], [], [2, 3]], // scalar b
    [[1], [4, 5], [4, 5]], // scalar-like a
    [[4, 5], [5], [4, 5]], // rank difference (bias add)
    [[4, 1], [1, 5], [4, 5]], // outer product layout
    [[3, 1, 5], [2, 1], [3, 2, 5]], // three-way mix
    [[2, 1, 3, 1], [4, 1, 5], [2, 4, 3, 5]],
    [[6, 1, 1, 2], [1, 7, 3, 1], [6, 7, 3, 2]],
  ];

  it('matches an index-by-index reference for every op on every broadcast pattern', () => {
    for (const [aShape, bShape, oShape] of shapes) {
      const a = seeded(sizeOf(aShape), 11, 0.5, 3);
      const b = seeded(sizeOf(bShape), 12, 0.5, 3);
      // Force ties so the comparisons see equal values.
      a[0] = b[0]!;
      for (const op of BINARY_OPS) {
        const got = run(op, a, aShape, b, bShape, oShape);
        try {
          expectClose(got, referenceBroadcast(a, aShape, b, bShape, oShape, (x, y) => Math.fround(floatRefs[op](x, y))), 1e-6);
        } catch (e) {
          throw new Error(`${op} ${JSON.stringify([aShape, bShape])}: ${(e as Error).message}`);
        }
      }
    }
  });

  it('broadcasts size-0 dims to an empty output', () => {
    expect(run('add', [], [0, 3], [1, 2, 3], [3], [0, 3])).to.deep.equal([]);
    expect(run('mul', [], [2, 0], [1, 2], [2, 1], [2, 0])).to.deep.equal([]);
  });

  it('propagates NaN and Inf like NumPy', () => {
    const a = [NaN, 1, NaN, Infinity, -Infinity, 0];
    const b = [1, NaN, NaN, Infinity, Infinity, 0];
    expect(run('add', a, [6], b, [6], [6])).to.deep.equal([NaN, NaN, NaN, Infinity, NaN, 0]);
    expect(run('maximum', a, [6], b, [6], [6])).to.deep.equal([NaN, NaN, NaN, Infinity, Infinity, 0]);
    expect(run('minimum', a, [6], b, [6], [6])).to.deep.equal([NaN, NaN, NaN, Infinity, -Infinity, 0]);
    expect(run('div', [1, -1, 0], [3], [0], [], [3])).to.deep.equal([Infinity, -Infinity, NaN]);
    expect(run('equal', a, [6], b, [6], [6])).to.deep.equal([0, 0, 0, 1, 0, 1]);
    expect(run('notEqual', a, [6], b, [6], [6])).to.deep.equal([1, 1, 1, 0, 1, 0]);
    expect(run('less', a, [6], b, [6], [6])).to.deep.equal([0, 0, 0, 0, 1, 0]);
    // NaN is truthy for the logical ops, as in NumPy.
    expect(run('logicalAnd', [NaN, 0], [2], [1, NaN], [2], [2])).to.deep.equal([1, 0]);
  });

  it('pow follows IEEE special cases', () => {
    expect(run('pow', [1, 1, -1, NaN, 2, -8], [6], [NaN, Infinity, Infinity, 0, -1, 1 / 3], [6], [6]))
      .to.deep.equal([1, 1, 1, 1, 0.5, NaN]);
  });

  it('mod takes the sign of the divisor (float and int32)', () => {
    expect(run('mod', [-7, 7, -7, 7, 7.5], [5], [3, -3, -3, 3, 2], [5], [5])).to.deep.equal([2, -2, -1, 1, 1.5]);
    expect(run('mod', [-7, 7, -7, 7, 5], [5], [3, -3, -3, 3, 0], [5], [5], 'int32')).to.deep.equal([2, -2, -1, 1, 0]);
    expectClose(run('mod', [-0.5, 5.25], [2], [0.2, -2], [2], [2]), [Math.fround(-0.5) - Math.floor(-0.5 / Math.fround(0.2)) * Math.fround(0.2), -0.75]);
  });

  it('int32 division floors, and divides by zero to 0', () => {
    expect(run('div', [-7, 7, -7, 7, 6, 5], [6], [2, 2, -2, -2, 3, 0], [6], [6], 'int32')).to.deep.equal([-4, 3, 3, -4, 2, 0]);
    expect(run('floorDiv', [-7, 7], [2], [2, -2], [2], [2], 'int32')).to.deep.equal([-4, -4]);
    expect(run('floorDiv', [-7, 7.5], [2], [2, 2], [2], [2])).to.deep.equal([-4, 3]);
    // The one int32 quotient that overflows wraps like C.
    expect(run('div', [-2147483648], [1], [-1], [1], [1], 'int32')).to.deep.equal([-2147483648]);
  });

  it('int32 arithmetic is exact and wraps', () => {
    expect(run('pow', [3, 2, -2, 7, 2, -1, 5], [7], [4, 31, 3, 0, -1, -3, -2], [7], [7], 'int32'))
      .to.deep.equal([81, -2147483648, -8, 1, 0, -1, 0]);
    // 3^20 = 3486784401 wraps to 3486784401 - 2^32.
    expect(run('pow', [3], [1], [20], [1], [1], 'int32')).to.deep.equal([3486784401 - 4294967296]);
    expect(run('mul', [65536, 123456789], [2], [65536, 1000], [2], [2], 'int32'))
      .to.deep.equal([0, Math.imul(123456789, 1000)]);
    expect(run('add', [2147483647], [1], [1], [1], [1], 'int32')).to.deep.equal([-2147483648]);
    expect(run('squaredDifference', [10, -3], [2], [4, 3], [2], [2], 'int32')).to.deep.equal([36, 36]);
    expect(run('maximum', [1, -5], [2], [-2, 3], [2], [2], 'int32')).to.deep.equal([1, 3]);
    const got = h.raw(h.engine.binary('add', h.tensor([1], [1], 'int32'), h.tensor([2], [1], 'int32'), out([1], 'int32')), [1], 'int32');
    expect(got).to.be.instanceOf(Int32Array);
  });

  it('bool inputs: logical ops and comparisons', () => {
    const a = [0, 0, 1, 1];
    const b = [0, 1, 0, 1];
    expect(run('logicalAnd', a, [4], b, [4], [4], 'bool')).to.deep.equal([0, 0, 0, 1]);
    expect(run('logicalOr', a, [4], b, [4], [4], 'bool')).to.deep.equal([0, 1, 1, 1]);
    expect(run('logicalXor', a, [4], b, [4], [4], 'bool')).to.deep.equal([0, 1, 1, 0]);
    expect(run('equal', a, [4], b, [4], [4], 'bool')).to.deep.equal([1, 0, 0, 1]);
    // Arithmetic into a bool output is squeezed to 0/1, never 2.
    expect(run('add', a, [4], b, [4], [4], 'bool', 'bool')).to.deep.equal([0, 1, 1, 1]);
  });
});

describe('cpu engine: where', () => {
  const h = new Harness();
  it('selects with three-way broadcasting', () => {
    const cShape = [3, 1];
    const aShape = [1, 4];
    const bShape: Shape = [];
    const oShape = [3, 4];
    const c = [1, 0, 1];
    const a = [10, 20, 30, 40];
    const b = [-1];
    const id = h.engine.where(h.tensor(c, cShape, 'bool'), h.tensor(a, aShape), h.tensor(b, bShape), out(oShape));
    const expected: number[] = [];
    for (let i = 0; i < 12; i++) {
      const idx = unravel(i, oShape);
      expected.push(c[broadcastIndex(idx, cShape)] ? a[broadcastIndex(idx, aShape)]! : b[0]!);
    }
    expect(h.values(id, oShape)).to.deep.equal(expected);
  });
  it('same-shape int32 path', () => {
    const id = h.engine.where(h.tensor([1, 0, 0], [3], 'bool'), h.tensor([1, 2, 3], [3], 'int32'), h.tensor([4, 5, 6], [3], 'int32'), out([3], 'int32'));
    expect(h.values(id, [3], 'int32')).to.deep.equal([1, 5, 6]);
  });
  it('handles rank-4 mixed broadcasting', () => {
    const shapes: Shape[] = [[2, 1, 3, 1], [1, 4, 1, 2], [3, 2]];
    const oShape = [2, 4, 3, 2];
    const [cv, av, bv] = shapes.map((s, k) => seeded(sizeOf(s), 20 + k));
    const cond = cv!.map((v) => (v > 0 ? 1 : 0));
    const id = h.engine.where(h.tensor(cond, shapes[0]!, 'bool'), h.tensor(av!, shapes[1]!), h.tensor(bv!, shapes[2]!), out(oShape));
    const expected: number[] = [];
    for (let i = 0; i < sizeOf(oShape); i++) {
      const idx = unravel(i, oShape);
      expected.push(cond[broadcastIndex(idx, shapes[0]!)] ? av![broadcastIndex(idx, shapes[1]!)]! : bv![broadcastIndex(idx, shapes[2]!)]!);
    }
    expect(h.values(id, oShape)).to.deep.equal(expected);
  });
});

describe('cpu engine: cast', () => {
  const h = new Harness();
  const cast = (values: number[], from: DType, to: DType) =>
    h.values(h.engine.cast(h.tensor(values, [values.length], from), out([values.length], to)), [values.length], to);
  it('float32 → int32 truncates toward zero, NaN → 0', () => {
    expect(cast([1.9, -1.9, 0.5, -0.5, NaN, 7], 'float32', 'int32')).to.deep.equal([1, -1, 0, 0, 0, 7]);
  });
  it('→ bool is x != 0 (NaN is true)', () => {
    expect(cast([0, -0, 0.1, NaN, -3], 'float32', 'bool')).to.deep.equal([0, 0, 1, 1, 1]);
    expect(cast([0, 5, -1], 'int32', 'bool')).to.deep.equal([0, 1, 1]);
  });
  it('bool and int32 → float32, and same-dtype copies', () => {
    expect(cast([0, 1], 'bool', 'float32')).to.deep.equal([0, 1]);
    expect(cast([0, 1], 'bool', 'int32')).to.deep.equal([0, 1]);
    expect(cast([16777217, -3], 'int32', 'float32')).to.deep.equal([16777216, -3]);
    const x = h.tensor([1, 2], [2]);
    const y = h.engine.cast(x, out([2]));
    expect(y).to.not.equal(x.dataId);
  });
});

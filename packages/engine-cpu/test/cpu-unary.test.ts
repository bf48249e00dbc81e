import { expect } from 'chai';
import { UNARY_OPS } from '@strata/engine-api';
import type { UnaryOp } from '@strata/engine-api';
import { erf } from '../src/kernels/erf.js';
import { expectClose, Harness, out, seeded } from './helpers.js';

/** erf by its Maclaurin series, summed in double: converges fast enough for |x| <= 3. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc by its continued fraction (Lentz), for x >= 2. */
function erfcContinuedFraction(x: number): number {
  let f = 0;
  for (let k = 120; k >= 1; k--) f = (k / 2) / (x + f);
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
}

describe('cpu engine: erf', () => {
  it('matches known values', () => {
    expect(erf(0.5)).to.be.closeTo(0.5204998778130465, 1e-15);
    expect(erf(1)).to.be.closeTo(0.8427007929497149, 1e-15);
    expect(erf(-2)).to.be.closeTo(-0.9953222650189527, 1e-15);
    expect(erf(0)).to.equal(0);
    expect(erf(Infinity)).to.equal(1);
    expect(erf(-Infinity)).to.equal(-1);
    expect(erf(NaN)).to.be.NaN;
  });
  it('stays within 1e-7 of independent series over [-6, 6]', () => {
    let worst = 0;
    for (let i = -6000; i <= 6000; i++) {
      const x = i / 1000;
      const ax = Math.abs(x);
      const ref = ax <= 3 ? erfSeries(x) : Math.sign(x) * (1 - erfcContinuedFraction(ax));
      worst = Math.max(worst, Math.abs(erf(x) - ref));
    }
    expect(worst).to.be.below(1e-7);
  });
  it('is odd', () => {
    for (const x of seeded(200, 3, -5, 5)) expect(erf(-x)).to.equal(-erf(x));
  });
});

describe('cpu engine: unary', () => {
  const h = new Harness();
  const run = (op: UnaryOp, values: number[], attrs?: Parameters<typeof h.engine.unary>[3], dtype: 'float32' | 'int32' | 'bool' = 'float32', outDtype = dtype) => {
    const x = h.tensor(values, [values.length], dtype);
    return h.values(h.engine.unary(op, x, out([values.length], outDtype), attrs), [values.length], outDtype);
  };
  const f32 = (xs: number[]) => xs.map(Math.fround);

  it('float ops agree with Math references', () => {
    const xs = seeded(64, 7, -0.9, 0.9);
    const pos = seeded(64, 8, 1.1, 5);
    const refs: [UnaryOp, number[], (v: number) => number][] = [
      ['neg', xs, (v) => -v], ['abs', xs, Math.abs], ['exp', xs, Math.exp], ['expm1', xs, Math.expm1],
      ['log', pos, Math.log], ['log1p', xs, Math.log1p], ['sqrt', pos, Math.sqrt], ['rsqrt', pos, (v) => 1 / Math.sqrt(v)],
      ['square', xs, (v) => v * v], ['reciprocal', pos, (v) => 1 / v], ['sin', xs, Math.sin], ['cos', xs, Math.cos],
      ['tan', xs, Math.tan], ['asin', xs, Math.asin], ['acos', xs, Math.acos], ['atan', xs, Math.atan],
      ['sinh', xs, Math.sinh], ['cosh', xs, Math.cosh], ['tanh', xs, Math.tanh], ['asinh', xs, Math.asinh],
      ['acosh', pos, Math.acosh], ['atanh', xs, Math.atanh], ['sigmoid', xs, (v) => 1 / (1 + Math.exp(-v))],
      ['softplus', xs, (v) => Math.log(1 + Math.exp(v))], ['softsign', xs, (v) => v / (1 + Math.abs(v))],
      ['erf', xs, erfSeries], ['floor', pos, Math.floor], ['ceil', pos, Math.ceil], ['sign', xs, Math.sign],
      ['relu', xs, (v) => Math.max(v, 0)], ['relu6', pos.map((v) => v * 2 - 5), (v) => Math.min(Math.max(v, 0), 6)],
      ['elu', xs, (v) => (v > 0 ? v : Math.exp(v) - 1)],
      ['selu', xs, (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1))],
      ['gelu', xs, (v) => 0.5 * v * (1 + erfSeries(v / Math.SQRT2))],
      ['leakyRelu', xs, (v) => (v > 0 ? v : 0.2 * v)],
      ['hardSigmoid', pos.map((v) => v * 2 - 5), (v) => Math.max(0, Math.min(1, 0.2 * v + 0.5))],
      ['swish', xs, (v) => v / (1 + Math.exp(-v))],
      ['mish', xs, (v) => v * Math.tanh(Math.log(1 + Math.exp(v)))],
    ];
    for (const [op, input, ref] of refs) {
      const got = run(op, input);
      try {
        expectClose(got, input.map(ref), 2e-6);
      } catch (e) {
        throw new Error(`${op}: ${(e as Error).message}`);
      }
    }
  });

  it('covers every op in UNARY_OPS without throwing', () => {
    for (const op of UNARY_OPS) {
      const boolOut = op === 'logicalNot' || op === 'isNaN' || op === 'isInf' || op === 'isFinite';
      expect(run(op, [0.25, -0.25], { min: 0, max: 1 }, 'float32', boolOut ? 'bool' : 'float32')).to.have.length(2);
    }
  });

  it('uses the documented attribute defaults and overrides', () => {
    expectClose(run('leakyRelu', [-2, 3]), [-0.4, 3]);
    expectClose(run('leakyRelu', [-2, 3], { alpha: 0.5 }), [-1, 3]);
    expectClose(run('elu', [-1, 2]), [Math.expm1(-1), 2]);
    expectClose(run('elu', [-1, 2], { alpha: 2 }), [2 * Math.expm1(-1), 2]);
    expectClose(run('hardSigmoid', [-3, 0, 1, 3]), [0, 0.5, 0.7, 1]);
    expectClose(run('hardSigmoid', [0, 1], { alpha: 0.5, beta: 0.25 }), [0.25, 0.75]);
    expectClose(run('clip', [-5, 0.5, 5], { min: -1, max: 1 }), [-1, 0.5, 1]);
  });

  it('rounds half to even, keeping the sign of zero', () => {
    const got = run('round', [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 3.5]);
    expect(got).to.deep.equal([0, 2, 2, -0, -2, -2, 2, 3, -3, 4]);
    expect(Object.is(got[3], -0)).to.equal(true);
  });

  it('relu: NaN of either sign propagates, -0 and -Infinity give 0', () => {
    const bits = new Int32Array([0xffc00000 | 0, 0x7fc00001, 0x80000000 | 0, 0xff800000 | 0, 0x7f800000, 0x3f800000, 0xbf800000 | 0]);
    const xs = Array.from(new Float32Array(bits.buffer));
    const got = run('relu', xs);
    expect(got.slice(0, 2).every(Number.isNaN)).to.equal(true);
    expect(got.slice(2)).to.deep.equal([0, 0, Infinity, 1, 0]);
    expect(Object.is(got[2], 0)).to.equal(true);
  });

  it('sign of zero is zero', () => {
    expect(run('sign', [0, -3, 7])).to.deep.equal([0, -1, 1]);
  });

  it('is numerically stable at the extremes', () => {
    expect(run('sigmoid', [-1000, 1000, -80])).to.deep.equal(f32([0, 1, 1 / (1 + Math.exp(80))]));
    expect(run('softplus', [1000, -1000, 0])).to.deep.equal(f32([1000, 0, Math.log(2)]));
    expect(run('swish', [-Infinity, Infinity, -1000])).to.deep.equal([0, Infinity, -0]);
    expect(run('mish', [-Infinity, Infinity])).to.deep.equal([0, Infinity]);
    expect(run('gelu', [-Infinity, Infinity, -10])).to.deep.equal([0, Infinity, -0]);
  });

  it('propagates NaN through float math', () => {
    const skip = new Set<UnaryOp>(['logicalNot', 'isNaN', 'isInf', 'isFinite']);
    for (const op of UNARY_OPS) {
      if (skip.has(op)) continue;
      const [y] = run(op, [NaN], { min: 0, max: 1 });
      expect(Number.isNaN(y), `${op}(NaN)`).to.equal(true);
    }
  });

  it('predicates output bool', () => {
    const xs = [0, 1.5, NaN, Infinity, -Infinity, -0];
    expect(run('isNaN', xs, undefined, 'float32', 'bool')).to.deep.equal([0, 0, 1, 0, 0, 0]);
    expect(run('isInf', xs, undefined, 'float32', 'bool')).to.deep.equal([0, 0, 0, 1, 1, 0]);
    expect(run('isFinite', xs, undefined, 'float32', 'bool')).to.deep.equal([1, 1, 0, 0, 0, 1]);
    expect(run('logicalNot', xs, undefined, 'float32', 'bool')).to.deep.equal([1, 0, 0, 0, 0, 1]);
    expect(run('logicalNot', [0, 1, 1, 0], undefined, 'bool', 'bool')).to.deep.equal([1, 0, 0, 1]);
    const x = h.tensor(xs, [6]);
    expect(h.raw(h.engine.unary('isNaN', x, out([6], 'bool')), [6], 'bool')).to.be.instanceOf(Uint8Array);
  });

  it('computes int32 ops in integer arithmetic', () => {
    const xs = [-7, 0, 5, 2147483647, -2147483648, 46341];
    expect(run('neg', xs, undefined, 'int32')).to.deep.equal([7, 0, -5, -2147483647, -2147483648, -46341]);
    expect(run('abs', xs, undefined, 'int32')).to.deep.equal([7, 0, 5, 2147483647, -2147483648, 46341]);
    // 46341² overflows int32 and wraps like C/NumPy int32.
    expect(run('square', xs, undefined, 'int32')).to.deep.equal([49, 0, 25, 1, 0, (46341 * 46341) | 0]);
    expect(run('sign', xs, undefined, 'int32')).to.deep.equal([-1, 0, 1, 1, -1, 1]);
    expect(run('relu', xs, undefined, 'int32')).to.deep.equal([0, 0, 5, 2147483647, 0, 46341]);
    expect(run('relu6', xs, undefined, 'int32')).to.deep.equal([0, 0, 5, 6, 0, 6]);
    expect(run('clip', xs, { min: -3, max: 3 }, 'int32')).to.deep.equal([-3, 0, 3, 3, -3, 3]);
    expect(run('round', [3, -4], undefined, 'int32')).to.deep.equal([3, -4]);
    // int32 input with a float output goes through float math.
    expectClose(run('exp', [0, 1, 2], undefined, 'int32', 'float32'), [1, Math.E, Math.exp(2)]);
  });

  it('handles empty tensors', () => {
    expect(run('exp', [])).to.deep.equal([]);
  });
});

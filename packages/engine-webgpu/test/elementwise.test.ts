import { expect } from 'chai';
import {
  BINARY_OPS, UNARY_OPS, type BinaryOp, type DataId, type DType, type Engine, type HostArray, type OutputInfo, type Shape,
  type TensorInfo, type UnaryAttrs, type UnaryOp,
} from '@strata/engine-api';
import { CpuEngine } from '@strata/engine-cpu';
import { mergeBroadcast } from '../src/kernels/elementwise-program.js';
import { sharedEngine } from './shared-engine.js';

// The elementwise kernels against the CPU engine (the executable spec, float64 math rounded to
// float32) on what the conformance cases are too small or too tame for: wide and huge arguments,
// every special value, int32 wrapping, rank-6 broadcasts and outputs large enough for a 2-D grid.

const cpu = new CpuEngine();
let gpu: Engine;

/** Deterministic inputs: a 32-bit LCG in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 2, -2, 1e-30, -1e-30, 1e-40, 3e38, -3e38, Infinity, -Infinity, NaN, 88.72, -88.72, 100, -100];

function arrayOf(dtype: DType, values: readonly number[]): HostArray {
  return dtype === 'float32' ? Float32Array.from(values) : dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values);
}

function input(engine: Engine, values: readonly number[], shape: Shape, dtype: DType): TensorInfo {
  return { dataId: engine.upload(arrayOf(dtype, values), shape, dtype), shape, dtype };
}

/** Runs `kernel` on both engines with the same host inputs and returns both results. */
async function both(
  inputs: readonly { values: readonly number[]; shape: Shape; dtype: DType }[], out: OutputInfo,
  kernel: (engine: Engine, xs: TensorInfo[]) => DataId,
): Promise<[HostArray, HostArray, HostArray[]]> {
  const results: HostArray[] = [];
  for (const engine of [gpu, cpu]) {
    const xs = inputs.map((x) => input(engine, x.values, x.shape, x.dtype));
    const y = kernel(engine, xs);
    results.push(await engine.read({ dataId: y, ...out }));
    engine.dispose(y);
    xs.forEach((x) => engine.dispose(x.dataId));
  }
  return [results[0]!, results[1]!, inputs.map((x) => arrayOf(x.dtype, x.values))];
}

/** Every element equal (NaN with NaN, ±Infinity exactly) or within `rtol`·|expected| + `atol`. */
function expectMatch(actual: HostArray, expected: HostArray, what: (i: number) => string, rtol = 0, atol = 0): void {
  expect(actual.length).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) || !Number.isFinite(a) ? a === e : Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) expect.fail(`${what(i)}: webgpu ${a}, cpu ${e}`);
  }
}

/** Where each float op is defined (and interesting); others use [-30, 30] and the specials. */
const DOMAINS: Partial<Record<UnaryOp, [number, number]>> = {
  asin: [-1, 1], acos: [-1, 1], atanh: [-1, 1], acosh: [1, 1e6], log: [0, 1e30], log1p: [-1, 1e6], sqrt: [0, 1e30],
  rsqrt: [0, 1e30], sin: [-1e6, 1e6], cos: [-1e6, 1e6], tan: [-1e6, 1e6], exp: [-104, 89], expm1: [-20, 89],
  sinh: [-90, 90], cosh: [-90, 90], reciprocal: [-1e30, 1e30],
};

/** Uniform and log-uniform values in [lo, hi] (so both large and tiny magnitudes appear), then the specials. */
function samples(lo: number, hi: number, n: number, seed: number): number[] {
  const next = random(seed);
  const top = Math.max(Math.abs(lo), Math.abs(hi));
  const values = Array.from({ length: n }, (_, i) => {
    if (i % 2 === 0) return lo + (hi - lo) * next();
    const magnitude = Math.exp(Math.log(1e-9) + (Math.log(top) - Math.log(1e-9)) * next());
    const v = lo < 0 && next() < 0.5 ? -magnitude : magnitude;
    return Math.min(hi, Math.max(lo, v));
  });
  return [...SPECIAL, ...values];
}

const PREDICATES = new Set<UnaryOp>(['logicalNot', 'isNaN', 'isInf', 'isFinite']);

describe('webgpu elementwise kernels against the cpu engine', () => {
  before(async () => {
    gpu = await sharedEngine();
  });

  it('mergeBroadcast drops size-1 dims and merges dims every input walks contiguously', () => {
    expect(mergeBroadcast([2, 3, 4], [[2, 3, 4], [4]])).to.deep.equal({ dims: [6, 4], strides: [[4, 1], [0, 1]] });
    expect(mergeBroadcast([2, 1, 3], [[2, 1, 1], [1, 1, 3]])).to.deep.equal({ dims: [2, 3], strides: [[1, 0], [0, 1]] });
    expect(mergeBroadcast([5, 4, 3], [[5, 1, 1]])).to.deep.equal({ dims: [5, 12], strides: [[1, 0]] });
    expect(mergeBroadcast([1, 1], [[1]])).to.deep.equal({ dims: [], strides: [[]] });
  });

  describe('unary', () => {
    for (const op of UNARY_OPS.filter((o) => !PREDICATES.has(o))) {
      it(`${op} stays within a few float32 ulps over its domain and gets every special value right`, async () => {
        const [lo, hi] = DOMAINS[op] ?? [-30, 30];
        const values = samples(lo, hi, 6000, op.length * 7919);
        const shape = [values.length];
        const attrs: UnaryAttrs = op === 'clip' ? { min: -2.5, max: 6 } : op === 'elu' ? { alpha: 0.7 } : {};
        const [a, e, [x]] = await both([{ values, shape, dtype: 'float32' }], { shape, dtype: 'float32' }, (engine, [t]) =>
          engine.unary(op, t!, { shape, dtype: 'float32' }, attrs));
        // The CPU engine's gelu computes 1 + erf(x/√2), which cancels for x < -5 (webgpu uses
        // erfc there); hardSigmoid's α·x + β rounds in float32 where it crosses 0 and 1.
        const atol = op === 'gelu' ? 1e-15 : op === 'hardSigmoid' ? 1e-7 : 1e-37;
        expectMatch(a, e, (i) => `${op}(${x![i]})`, 1e-6, atol);
      });
    }

    it('predicates are exact on float32, int32 and bool inputs', async () => {
      for (const [dtype, values] of [['float32', SPECIAL], ['int32', [0, 1, -1, 2147483647, -2147483648]], ['bool', [0, 1]]] as const) {
        for (const op of PREDICATES) {
          const shape = [values.length];
          const [a, e] = await both([{ values, shape, dtype }], { shape, dtype: 'bool' }, (engine, [t]) => engine.unary(op, t!, { shape, dtype: 'bool' }));
          expectMatch(a, e, (i) => `${op}(${dtype} ${values[i]})`);
        }
      }
    });

    it('int32 ops are exact and wrap like the cpu engine (neg, abs, square, sign, relu, relu6, clip, rounding)', async () => {
      const values = [0, 1, -1, 5, -5, 6, 7, -7, 46340, 46341, -46341, 65536, 16777217, 2147483647, -2147483648, -2147483647];
      const shape = [values.length];
      const cases: [UnaryOp, UnaryAttrs][] = [
        ['neg', {}], ['abs', {}], ['square', {}], ['sign', {}], ['relu', {}], ['relu6', {}], ['floor', {}], ['ceil', {}], ['round', {}],
        ['clip', { min: -1, max: 6 }], ['clip', { min: -2.5, max: 6.5 }], ['clip', { min: -3e9, max: 3e9 }], ['clip', {}],
        ['clip', { min: 3e9, max: 4e9 }], ['clip', { min: -5e9, max: -4e9 }],
      ];
      for (const [op, attrs] of cases) {
        const [a, e] = await both([{ values, shape, dtype: 'int32' }], { shape, dtype: 'int32' }, (engine, [t]) =>
          engine.unary(op, t!, { shape, dtype: 'int32' }, attrs));
        expectMatch(a, e, (i) => `${op}(${values[i]}, ${JSON.stringify(attrs)})`);
      }
    });
  });

  describe('binary', () => {
    /** Every pair of `pool` values, plus `extra` random pairs. */
    function pairs(pool: readonly number[], extra: () => [number, number], n: number): [number[], number[]] {
      const as: number[] = [];
      const bs: number[] = [];
      for (const x of pool) for (const y of pool) { as.push(x); bs.push(y); }
      for (let i = 0; i < n; i++) { const [x, y] = extra(); as.push(x); bs.push(y); }
      return [as, bs];
    }

    for (const op of BINARY_OPS) {
      it(`${op} on float32 matches, special values and all`, async () => {
        const next = random(op.length * 104729);
        const pool = [...SPECIAL, 3, -3, 7, -7, 2.5, -2.5, 0.1, 65, -65, 16777217, 2147483648];
        const [as, bs] = pairs(pool, () => [(next() - 0.5) * 40, (next() - 0.5) * 10 * Math.exp(next() * 4 - 2)], 4000);
        const shape = [as.length];
        const logical = op.startsWith('logical');
        const outDType: DType = logical || ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'].includes(op) ? 'bool' : 'float32';
        const inDType: DType = logical ? 'bool' : 'float32';
        const bools = (v: number[]): number[] => (logical ? v.map((x) => +(x !== 0)) : v);
        const [a, e, [x, y]] = await both(
          [{ values: bools(as), shape, dtype: inDType }, { values: bools(bs), shape, dtype: inDType }], { shape, dtype: outDType },
          (engine, [t, u]) => engine.binary(op, t!, u!, { shape, dtype: outDType }),
        );
        // pow's error grows with |b·log a| (a few ulps of e^(b·log a)): 1e-5 covers exponents to ±88.
        expectMatch(a, e, (i) => `${op}(${x![i]}, ${y![i]})`, op === 'pow' ? 1e-5 : 1e-6, 1e-37);
      });
    }

    it('int32 arithmetic is exact: wrapping, floor division, x / 0 = 0, the divisor sign for mod, exact pow', async () => {
      const pool = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, 19, 31, 32, -31, 46341, -46341, 65536, 2147483647, -2147483648, -2147483647];
      const [as, bs] = pairs(pool, () => [0, 0], 0);
      const shape = [as.length];
      for (const op of BINARY_OPS.filter((o) => !o.startsWith('logical') && o !== 'atan2')) {
        const comparison = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'].includes(op);
        const out: OutputInfo = { shape, dtype: comparison ? 'bool' : 'int32' };
        const [a, e] = await both([{ values: as, shape, dtype: 'int32' }, { values: bs, shape, dtype: 'int32' }], out, (engine, [t, u]) =>
          engine.binary(op as BinaryOp, t!, u!, out));
        expectMatch(a, e, (i) => `${op}(${as[i]}, ${bs[i]})`);
      }
    });

    it('broadcasts up to rank 6, merging dims, and covers outputs past one grid row of workgroups', async () => {
      const shapes: [Shape, Shape][] = [
        [[2, 1, 3, 1, 4, 1], [1, 5, 1, 2, 1, 3]],
        [[3, 4, 5], [4, 1]],
        [[1, 1, 7], [6, 1, 1]],
        [[2, 3, 4, 5], [2, 1, 4, 1]],
        [[5], [4, 3, 1]],
        // 1100 × 4000 = 4.4M elements: more than 65535 workgroups of 64, so the grid spans y.
        [[1100, 4000], [4000]],
        [[1100, 1], [1, 4000]],
      ];
      for (const [sa, sb] of shapes) {
        const out = broadcastShape(sa, sb);
        const next = random(sa.length * 31 + sb.length);
        const va = Array.from({ length: sizeOf(sa) }, () => next() * 8 - 4);
        const vb = Array.from({ length: sizeOf(sb) }, () => next() * 8 - 4);
        for (const op of ['sub', 'squaredDifference'] as const) {
          const [a, e] = await both([{ values: va, shape: sa, dtype: 'float32' }, { values: vb, shape: sb, dtype: 'float32' }], { shape: out, dtype: 'float32' },
            (engine, [t, u]) => engine.binary(op, t!, u!, { shape: out, dtype: 'float32' }));
          expectMatch(a, e, (i) => `${op} ${JSON.stringify(sa)} ${JSON.stringify(sb)} at ${i}`, 1e-6);
        }
      }
    });
  });

  describe('where and cast', () => {
    it('where broadcasts all three operands and copies the chosen bits (NaN, -0) or converts mixed dtypes', async () => {
      const cases: [Shape, Shape, Shape, DType, DType, DType][] = [
        [[2, 3], [2, 3], [2, 3], 'float32', 'float32', 'float32'],
        [[2, 1, 4], [3, 1], [1, 4], 'float32', 'float32', 'float32'],
        [[5, 1], [1, 6], [], 'int32', 'int32', 'int32'],
        [[3, 1, 1], [1, 4, 1], [1, 1, 5], 'bool', 'bool', 'bool'],
        [[4], [2, 4], [2, 1], 'int32', 'float32', 'float32'],
        [[4], [4], [4], 'float32', 'int32', 'int32'],
      ];
      for (const [sc, sa, sb, da, db, dout] of cases) {
        const out = broadcastShape(broadcastShape(sc, sa), sb);
        const next = random(out.length * 17 + sizeOf(out));
        const pick = (dtype: DType): number => (dtype === 'bool' ? +(next() < 0.5) : dtype === 'int32' ? Math.floor(next() * 2e9 - 1e9) : SPECIAL[Math.floor(next() * SPECIAL.length)]!);
        const vc = Array.from({ length: sizeOf(sc) }, () => +(next() < 0.5));
        const va = Array.from({ length: sizeOf(sa) }, () => pick(da));
        const vb = Array.from({ length: sizeOf(sb) }, () => pick(db));
        const [a, e] = await both(
          [{ values: vc, shape: sc, dtype: 'bool' }, { values: va, shape: sa, dtype: da }, { values: vb, shape: sb, dtype: db }], { shape: out, dtype: dout },
          (engine, [c, t, u]) => engine.where(c!, t!, u!, { shape: out, dtype: dout }),
        );
        expectMatch(a, e, (i) => `where ${JSON.stringify([sc, sa, sb, da, db, dout])} at ${i}`);
        if (dout === 'float32') {
          // Same bits: -0 stays -0.
          for (let i = 0; i < e.length; i++) if (Object.is(e[i], -0)) expect(Object.is(a[i], -0), `-0 at ${i}`).to.equal(true);
        }
      }
    });

    it('cast converts between every dtype pair as the cpu engine stores (truncation, wrap past int32, NaN)', async () => {
      const values: Record<DType, number[]> = {
        float32: [...SPECIAL, 1.7, -1.7, 2.5, -2.9999, 16777216, 2147483520, 2147483648, -2147483648, -2147483904, 3e9, -3e9, 1e10, 1.5e30],
        int32: [0, 1, -1, 3, 16777217, 16777219, -16777219, 2147483647, -2147483648, 123456789],
        bool: [0, 1],
      };
      for (const from of ['float32', 'int32', 'bool'] as const) {
        for (const to of ['float32', 'int32', 'bool'] as const) {
          const shape = [values[from].length];
          const [a, e] = await both([{ values: values[from], shape, dtype: from }], { shape, dtype: to }, (engine, [t]) => engine.cast(t!, { shape, dtype: to }));
          expectMatch(a, e, (i) => `cast ${from} ${values[from][i]} to ${to}`);
        }
      }
    });
  });
});

function sizeOf(shape: Shape): number {
  return shape.reduce((n, d) => n * d, 1);
}

function broadcastShape(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, k) => {
    const da = a[k - (rank - a.length)] ?? 1;
    const db = b[k - (rank - b.length)] ?? 1;
    return da === 1 ? db : da;
  });
}

import { expect } from 'chai';
import type { DType, ReduceOp, Shape } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { expectClose, Harness, out, ravel, seeded, unravel } from './helpers.js';

/** Reference reduction: every input element folded into the output slot of its kept indices. */
function referenceReduce(op: ReduceOp, xs: readonly number[], shape: Shape, axes: readonly number[]): number[] {
  const keptShape = shape.filter((_, d) => !axes.includes(d));
  const groups: number[][] = Array.from({ length: sizeOf(keptShape) }, () => []);
  for (let i = 0; i < xs.length; i++) {
    const idx = unravel(i, shape).filter((_, d) => !axes.includes(d));
    groups[ravel(idx, keptShape)]!.push(xs[i]!);
  }
  return groups.map((g) => {
    switch (op) {
      case 'sum': return g.reduce((s, v) => s + v, 0);
      case 'prod': return g.reduce((s, v) => s * v, 1);
      case 'mean': return g.reduce((s, v) => s + v, 0) / g.length;
      case 'max': return g.some(Number.isNaN) ? NaN : Math.max(...g);
      case 'min': return g.some(Number.isNaN) ? NaN : Math.min(...g);
      case 'any': return g.some((v) => v !== 0) ? 1 : 0;
      case 'all': return g.every((v) => v !== 0) ? 1 : 0;
      case 'argMax': return g.findIndex((v) => v === Math.max(...g));
      default: return g.findIndex((v) => v === Math.min(...g));
    }
  });
}

describe('cpu engine: reduce', () => {
  const h = new Harness();
  const run = (op: ReduceOp, xs: number[], shape: Shape, axes: number[], dtype: DType = 'float32', outDtype: DType = dtype, keepDims = false) => {
    const outShape = keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
    return h.values(h.engine.reduce(op, h.tensor(xs, shape, dtype), axes, out(outShape, outDtype)), outShape, outDtype);
  };

  const cases: [Shape, number[]][] = [
    [[6], [0]],
    [[3, 4], [1]], // contiguous inner block
    [[3, 4], [0]], // outer axis of a 2-D layout (bias gradient)
    [[3, 4], [0, 1]],
    [[2, 3, 4], [1]], // middle axis
    [[2, 3, 4], [0, 2]], // non-contiguous axes
    [[2, 3, 4, 5], [1, 3]],
    [[2, 3, 4, 5], [0, 1, 3]],
    [[2, 1, 3, 1, 4], [1, 2]], // size-1 dims in and out of the axes
    [[2, 3], []], // nothing reduced
  ];

  it('sum/prod/mean/max/min match the reference over many axis patterns', () => {
    for (const [shape, axes] of cases) {
      const xs = seeded(sizeOf(shape), sizeOf(shape) + axes.length, 0.5, 1.5);
      for (const op of ['sum', 'prod', 'mean', 'max', 'min'] as const) {
        try {
          expectClose(run(op, xs, shape, axes), referenceReduce(op, xs, shape, axes).map(Math.fround), 1e-6);
          expectClose(run(op, xs, shape, axes, 'float32', 'float32', true), referenceReduce(op, xs, shape, axes).map(Math.fround), 1e-6);
        } catch (e) {
          throw new Error(`${op} ${JSON.stringify([shape, axes])}: ${(e as Error).message}`);
        }
      }
    }
  });

  it('any/all on bool', () => {
    for (const [shape, axes] of cases) {
      const xs = seeded(sizeOf(shape), 5).map((v) => (v > 0.3 ? 1 : 0));
      for (const op of ['any', 'all'] as const) {
        expect(run(op, xs, shape, axes, 'bool'), `${op} ${JSON.stringify([shape, axes])}`).to.deep.equal(referenceReduce(op, xs, shape, axes));
      }
    }
  });

  it('argMax/argMin over each axis, first occurrence on ties', () => {
    const shape = [3, 4, 5];
    const xs = seeded(60, 9).map((v) => Math.round(v * 3)); // plenty of ties
    for (let axis = 0; axis < 3; axis++) {
      for (const op of ['argMax', 'argMin'] as const) {
        expect(run(op, xs, shape, [axis], 'float32', 'int32'), `${op} axis ${axis}`).to.deep.equal(referenceReduce(op, xs, shape, [axis]));
      }
    }
  });

  it('argMax/argMin treat NaN as the winner, like NumPy', () => {
    expect(run('argMax', [1, NaN, 5, NaN], [4], [0], 'float32', 'int32')).to.deep.equal([1]);
    expect(run('argMin', [1, NaN, -5, NaN], [4], [0], 'float32', 'int32')).to.deep.equal([1]);
    // Column-wise (inner dim kept): NaN in row 2 of column 0 wins there.
    expect(run('argMax', [1, 2, 3, 0, NaN, 1], [3, 2], [0], 'float32', 'int32')).to.deep.equal([2, 0]);
    expect(run('argMax', [NaN, 2, 3, 5], [2, 2], [0], 'float32', 'int32')).to.deep.equal([0, 1]);
  });

  it('max/min propagate NaN; sum propagates NaN and Inf', () => {
    expect(run('max', [1, NaN, 3, 4, 5, 6], [2, 3], [1])).to.deep.equal([NaN, 6]);
    expect(run('min', [1, NaN, 3, 4, 5, 6], [2, 3], [0])).to.deep.equal([1, NaN, 3]);
    expect(run('sum', [1, Infinity, -Infinity, 2], [2, 2], [1])).to.deep.equal([Infinity, -Infinity]);
  });

  it('int32 sums stay int32 (and wrap); int32 mean follows out.dtype', () => {
    const got = h.raw(h.engine.reduce('sum', h.tensor([1, 2, 3], [3], 'int32'), [0], out([], 'int32')), [], 'int32');
    expect(got).to.be.instanceOf(Int32Array);
    expect(Array.from(got)).to.deep.equal([6]);
    expect(run('sum', [2147483647, 1, 5], [3], [0], 'int32')).to.deep.equal([-2147483643]);
    expect(run('prod', [65536, 65536, 3], [3], [0], 'int32')).to.deep.equal([0]);
    expect(run('prod', [46341, 46341], [2], [0], 'int32')).to.deep.equal([Math.imul(46341, 46341)]);
    expect(run('mean', [1, 2], [2], [0], 'int32', 'float32')).to.deep.equal([1.5]);
    expect(run('mean', [1, 2, 4, 4], [2, 2], [1], 'int32', 'int32')).to.deep.equal([1, 4]);
    expect(run('max', [3, -7, 12], [3], [0], 'int32')).to.deep.equal([12]);
  });

  it('reducing zero elements gives the identities (mean NaN)', () => {
    expect(run('sum', [], [2, 0], [1])).to.deep.equal([0, 0]);
    expect(run('prod', [], [2, 0], [1])).to.deep.equal([1, 1]);
    expect(run('max', [], [0], [0])).to.deep.equal([-Infinity]);
    expect(run('min', [], [0, 3], [0])).to.deep.equal([Infinity, Infinity, Infinity]);
    expect(run('mean', [], [0], [0])).to.deep.equal([NaN]);
    expect(run('any', [], [0], [0], 'bool')).to.deep.equal([0]);
    expect(run('all', [], [0], [0], 'bool')).to.deep.equal([1]);
    expect(run('sum', [], [0, 3], [1])).to.deep.equal([]);
  });

  it('sums a long vector accurately', () => {
    const n = 100003;
    const xs = new Array<number>(n).fill(0.1);
    expect(run('sum', xs, [n], [0])[0]).to.be.closeTo(Math.fround(0.1) * n, 1e-3);
  });
});

describe('cpu engine: cumsum', () => {
  const h = new Harness();
  function reference(xs: number[], shape: Shape, axis: number, exclusive: boolean, reverse: boolean): number[] {
    return xs.map((_, i) => {
      const idx = unravel(i, shape);
      let s = 0;
      for (let k = 0; k < shape[axis]!; k++) {
        const include = reverse ? (exclusive ? k > idx[axis]! : k >= idx[axis]!) : (exclusive ? k < idx[axis]! : k <= idx[axis]!);
        if (!include) continue;
        const j = [...idx];
        j[axis] = k;
        s += xs[ravel(j, shape)]!;
      }
      return s;
    });
  }
  it('matches the reference for every axis and flag combination', () => {
    const shape = [3, 4, 2];
    const xs = seeded(24, 4);
    for (let axis = 0; axis < 3; axis++) {
      for (const exclusive of [false, true]) {
        for (const reverse of [false, true]) {
          const got = h.values(h.engine.cumsum(h.tensor(xs, shape), axis, exclusive, reverse, out(shape)), shape);
          expectClose(got, reference(xs, shape, axis, exclusive, reverse), 1e-6);
        }
      }
    }
  });
  it('int32 and known values', () => {
    const got = h.values(h.engine.cumsum(h.tensor([1, 2, 3, 4], [4], 'int32'), 0, true, true, out([4], 'int32')), [4], 'int32');
    expect(got).to.deep.equal([9, 7, 4, 0]);
  });
});

describe('cpu engine: topK', () => {
  const h = new Harness();
  function reference(xs: number[], n: number, k: number): [number[], number[]] {
    const vs: number[] = [];
    const is: number[] = [];
    for (let r = 0; r < xs.length / n; r++) {
      const row = xs.slice(r * n, r * n + n).map((v, i) => ({ v, i }));
      row.sort((a, b) => (a.v !== b.v ? b.v - a.v : a.i - b.i));
      for (const { v, i } of row.slice(0, k)) {
        vs.push(v);
        is.push(i);
      }
    }
    return [vs, is];
  }
  const run = (xs: number[], shape: Shape, k: number, dtype: DType = 'float32') => {
    const outShape = [...shape.slice(0, -1), k];
    const [v, i] = h.engine.topK(h.tensor(xs, shape, dtype), k, out(outShape, dtype), out(outShape, 'int32'));
    return [h.values(v, outShape, dtype), h.values(i, outShape, 'int32')];
  };
  it('small k (selection) and large k (sort) agree with a full sort, ties by index', () => {
    for (const [rows, n, k] of [[3, 10, 3], [2, 10, 10], [4, 200, 1], [2, 200, 70], [1, 300, 300], [5, 7, 0]] as const) {
      const xs = seeded(rows * n, n + k).map((v) => Math.round(v * 20));
      expect(run(xs, [rows, n], k)).to.deep.equal(reference(xs, n, k));
    }
  });
  it('int32 values and a 1-D input', () => {
    expect(run([5, 1, 5, 9, 1], [5], 3, 'int32')).to.deep.equal([[9, 5, 5], [3, 0, 2]]);
  });
  it('NaN ranks above numbers', () => {
    expect(run([1, NaN, 3, NaN], [4], 3)).to.deep.equal([[NaN, NaN, 3], [1, 3, 2]]);
  });
});

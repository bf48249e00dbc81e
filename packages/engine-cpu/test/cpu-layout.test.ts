import { expect } from 'chai';
import type { DType, Shape } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { Harness, out, ravel, seeded, unravel } from './helpers.js';

describe('cpu engine: transpose', () => {
  const h = new Harness();
  function reference(xs: number[], shape: Shape, perm: number[]): number[] {
    const outShape = perm.map((p) => shape[p]!);
    return Array.from({ length: xs.length }, (_, i) => {
      const o = unravel(i, outShape);
      const idx = new Array<number>(shape.length);
      perm.forEach((p, j) => (idx[p] = o[j]!));
      return xs[ravel(idx, shape)]!;
    });
  }
  const cases: [Shape, number[]][] = [
    [[5, 7], [1, 0]],
    [[70, 45], [1, 0]], // spans several cache blocks, ragged edges
    [[3, 33, 40], [0, 2, 1]], // batched 2-D
    [[2, 3, 4], [2, 0, 1]],
    [[2, 3, 4, 5], [0, 2, 3, 1]], // NHWC → NCHW-like, merges to a batched 2-D
    [[2, 3, 4, 5], [3, 1, 0, 2]],
    [[2, 1, 3, 1], [3, 2, 1, 0]], // size-1 dims
    [[2, 3, 4], [0, 1, 2]], // identity
    [[4], [0]],
    [[2, 0, 3], [2, 1, 0]],
  ];
  for (const [shape, perm] of cases) {
    it(`${JSON.stringify(shape)} by ${JSON.stringify(perm)}`, () => {
      const xs = seeded(sizeOf(shape), 2);
      const outShape = perm.map((p) => shape[p]!);
      const id = h.engine.transpose(h.tensor(xs, shape), perm, out(outShape));
      expect(h.values(id, outShape)).to.deep.equal(reference(xs, shape, perm));
    });
  }
  it('int32 and bool keep their dtype', () => {
    const id = h.engine.transpose(h.tensor([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [1, 0], out([3, 2], 'int32'));
    expect(h.raw(id, [3, 2], 'int32')).to.deep.equal(new Int32Array([1, 4, 2, 5, 3, 6]));
    const b = h.engine.transpose(h.tensor([1, 0, 0, 1], [2, 2], 'bool'), [1, 0], out([2, 2], 'bool'));
    expect(h.raw(b, [2, 2], 'bool')).to.deep.equal(new Uint8Array([1, 0, 0, 1]));
  });
});

describe('cpu engine: stridedSlice', () => {
  const h = new Harness();
  function reference(xs: number[], shape: Shape, begin: number[], strides: number[], outShape: Shape): number[] {
    return Array.from({ length: sizeOf(outShape) }, (_, i) => {
      const o = unravel(i, outShape);
      return xs[ravel(o.map((v, d) => begin[d]! + v * strides[d]!), shape)]!;
    });
  }
  const cases: [Shape, number[], number[], Shape][] = [
    [[10], [1], [3], [3]],
    [[10], [9], [-1], [10]], // full reverse
    [[10], [8], [-3], [3]],
    [[4, 6], [1, 0], [1, 1], [2, 6]], // whole rows: contiguous runs
    [[4, 6], [3, 5], [-1, -2], [4, 3]], // negative strides on both dims
    [[3, 4, 5], [0, 1, 4], [2, 2, -1], [2, 2, 5]],
    [[3, 4, 5], [2, 0, 0], [1, 1, 1], [1, 4, 5]],
    [[3, 4, 5], [1, 2, 3], [1, 1, 1], [1, 1, 1]],
    [[3, 4], [0, 0], [1, 1], [0, 4]],
  ];
  for (const [shape, begin, strides, outShape] of cases) {
    it(`${JSON.stringify({ shape, begin, strides, outShape })}`, () => {
      const xs = Array.from({ length: sizeOf(shape) }, (_, i) => i);
      const id = h.engine.stridedSlice(h.tensor(xs, shape), begin, strides, out(outShape));
      expect(h.values(id, outShape)).to.deep.equal(reference(xs, shape, begin, strides, outShape));
    });
  }
  it('long contiguous runs', () => {
    const xs = Array.from({ length: 8 * 100 }, (_, i) => i);
    const id = h.engine.stridedSlice(h.tensor(xs, [8, 100], 'int32'), [1, 10], [2, 1], out([4, 80], 'int32'));
    expect(h.values(id, [4, 80], 'int32')).to.deep.equal(reference(xs, [8, 100], [1, 10], [2, 1], [4, 80]));
  });
});

describe('cpu engine: pad', () => {
  const h = new Harness();
  function reference(xs: number[], shape: Shape, paddings: [number, number][], value: number): number[] {
    const outShape = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    return Array.from({ length: sizeOf(outShape) }, (_, i) => {
      const o = unravel(i, outShape);
      const idx = o.map((v, d) => v - paddings[d]![0]);
      return idx.every((v, d) => v >= 0 && v < shape[d]!) ? xs[ravel(idx, shape)]! : value;
    });
  }
  const cases: [Shape, [number, number][], number, DType][] = [
    [[3], [[1, 2]], 0, 'float32'],
    [[2, 3], [[1, 0], [2, 1]], 7.5, 'float32'],
    [[2, 2, 40], [[0, 1], [1, 1], [3, 0]], -1, 'int32'],
    [[2, 2], [[0, 0], [0, 0]], 9, 'float32'],
    [[0, 2], [[1, 1], [0, 1]], 4, 'float32'],
    [[2, 2], [[1, 0], [0, 1]], 1, 'bool'],
  ];
  for (const [shape, paddings, value, dtype] of cases) {
    it(`${JSON.stringify({ shape, paddings, value, dtype })}`, () => {
      const xs = Array.from({ length: sizeOf(shape) }, (_, i) => (dtype === 'bool' ? 0 : i + 1));
      const outShape = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
      const id = h.engine.pad(h.tensor(xs, shape, dtype), paddings, value, out(outShape, dtype));
      expect(h.values(id, outShape, dtype)).to.deep.equal(reference(xs, shape, paddings, value));
    });
  }
  it('scalar input', () => {
    expect(h.values(h.engine.pad(h.tensor([5], []), [], 0, out([])), [])).to.deep.equal([5]);
  });
});

describe('cpu engine: concat', () => {
  const h = new Harness();
  function reference(parts: number[][], shapes: Shape[], axis: number, outShape: Shape): number[] {
    return Array.from({ length: sizeOf(outShape) }, (_, i) => {
      const idx = unravel(i, outShape);
      let k = 0;
      let pos = idx[axis]!;
      while (pos >= shapes[k]![axis]!) pos -= shapes[k++]![axis]!;
      const j = [...idx];
      j[axis] = pos;
      return parts[k]![ravel(j, shapes[k]!)]!;
    });
  }
  const cases: [Shape[], number][] = [
    [[[2], [3], [1]], 0],
    [[[2, 3], [4, 3]], 0],
    [[[2, 3], [2, 1], [2, 5]], 1],
    [[[2, 3, 4], [2, 2, 4], [2, 0, 4], [2, 1, 4]], 1],
    [[[2, 3, 40], [2, 3, 50]], 2], // long runs use TypedArray#set
    [[[3, 100], [3, 60]], 1],
  ];
  for (const [shapes, axis] of cases) {
    it(`${JSON.stringify(shapes)} along ${axis}`, () => {
      const parts = shapes.map((s, k) => Array.from({ length: sizeOf(s) }, (_, i) => 1000 * k + i));
      const outShape = shapes[0]!.map((d, i) => (i === axis ? shapes.reduce((s, sh) => s + sh[axis]!, 0) : d));
      const id = h.engine.concat(parts.map((p, k) => h.tensor(p, shapes[k]!)), axis, out(outShape));
      expect(h.values(id, outShape)).to.deep.equal(reference(parts, shapes, axis, outShape));
    });
  }
});

describe('cpu engine: tile', () => {
  const h = new Harness();
  const cases: [Shape, number[]][] = [
    [[3], [4]],
    [[2, 3], [2, 1]],
    [[2, 3], [1, 3]],
    [[2, 1, 3], [3, 4, 2]],
    [[2, 2], [0, 3]],
    [[], []],
  ];
  for (const [shape, reps] of cases) {
    it(`${JSON.stringify(shape)} × ${JSON.stringify(reps)}`, () => {
      const xs = Array.from({ length: sizeOf(shape) }, (_, i) => i + 1);
      const outShape = shape.map((d, i) => d * reps[i]!);
      const expected = Array.from({ length: sizeOf(outShape) }, (_, i) =>
        xs[ravel(unravel(i, outShape).map((v, d) => v % shape[d]!), shape)]!);
      expect(h.values(h.engine.tile(h.tensor(xs, shape, 'int32'), reps, out(outShape, 'int32')), outShape, 'int32')).to.deep.equal(expected);
    });
  }
});

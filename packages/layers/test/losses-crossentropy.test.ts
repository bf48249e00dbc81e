import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import {
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from '../src/losses/index.js';
import { HI, LO, clamp, distributionArray, expectClose, meanOf, oneHotArray, perRow, rowsAlong, size, sumOf, take, uniformArray } from './losses-helpers.js';

// Float64 references of the documented formulas.

const smoothBinary = (z: number, s: number): number => z * (1 - s) + 0.5 * s;

function bceEntry(z: number, p: number, fromLogits: boolean): number {
  if (fromLogits) return Math.max(p, 0) - p * z + Math.log1p(Math.exp(-Math.abs(p)));
  const q = clamp(p, LO, HI);
  return -(z * Math.log(q) + (1 - z) * Math.log(1 - q));
}

function bceRef(t: Float32Array | number[], p: Float32Array | number[], shape: number[], o: { fromLogits?: boolean; labelSmoothing?: number; axis?: number } = {}): number[] {
  const s = o.labelSmoothing ?? 0;
  return perRow(t, p, shape, o.axis ?? -1, (tr, pr) => meanOf(tr.map((z, i) => bceEntry(smoothBinary(z, s), pr[i]!, o.fromLogits ?? false))));
}

function logProbs(p: number[], fromLogits: boolean): number[] {
  if (fromLogits) {
    const m = Math.max(...p);
    const lse = m + Math.log(sumOf(p.map((x) => Math.exp(x - m))));
    return p.map((x) => x - lse);
  }
  const total = sumOf(p);
  return p.map((x) => Math.log(clamp(x / total, LO, HI)));
}

function cceRef(t: Float32Array | number[], p: Float32Array | number[], shape: number[], o: { fromLogits?: boolean; labelSmoothing?: number; axis?: number } = {}): number[] {
  const s = o.labelSmoothing ?? 0;
  const axis = o.axis ?? -1;
  const classes = shape[axis < 0 ? axis + shape.length : axis]!;
  return perRow(t, p, shape, axis, (tr, pr) => {
    const lp = logProbs(pr, o.fromLogits ?? false);
    return -sumOf(tr.map((z, i) => (z * (1 - s) + s / classes) * lp[i]!));
  });
}

function focalRef(
  t: Float32Array,
  p: Float32Array,
  shape: number[],
  o: { gamma?: number; alpha?: number; applyClassBalancing?: boolean; fromLogits?: boolean; labelSmoothing?: number },
): number[] {
  const { gamma = 2, alpha = 0.25, applyClassBalancing = false, fromLogits = false, labelSmoothing = 0 } = o;
  return perRow(t, p, shape, -1, (tr, pr) =>
    meanOf(
      tr.map((z0, i) => {
        const z = smoothBinary(z0, labelSmoothing);
        const x = pr[i]!;
        const prob = fromLogits ? 1 / (1 + Math.exp(-x)) : x;
        const pt = z * prob + (1 - z) * (1 - prob);
        let v = (1 - pt) ** gamma * bceEntry(z, x, fromLogits);
        if (applyClassBalancing) v *= z * alpha + (1 - z) * (1 - alpha);
        return v;
      }),
    ),
  );
}

function zeroOne(n: number, seed: number): Float32Array {
  return uniformArray(n, 0, 1, seed).map((v) => (v < 0.5 ? 0 : 1));
}

describe('losses: binary crossentropy', () => {
  for (const shape of [[6], [4, 3], [2, 3, 4]]) {
    for (const fromLogits of [false, true]) {
      for (const labelSmoothing of [0, 0.2]) {
        it(`matches the reference for shape [${shape}], fromLogits ${fromLogits}, labelSmoothing ${labelSmoothing}`, async () => {
          const n = size(shape);
          const t = zeroOne(n, 1 + n);
          const p = fromLogits ? uniformArray(n, -6, 6, 2 + n) : uniformArray(n, 0.01, 0.99, 2 + n);
          const before = memory().numTensors;
          const yt = tensor(t, shape);
          const yp = tensor(p, shape);
          const out = binaryCrossentropy(yt, yp, { fromLogits, labelSmoothing });
          expect(out.shape).to.deep.equal(shape.slice(0, -1));
          expectClose(await take(out), bceRef(t, p, shape, { fromLogits, labelSmoothing }), 1e-4, 1e-5);
          yt.dispose();
          yp.dispose();
          expect(memory().numTensors).to.equal(before);
        });
      }
    }
  }

  it('soft labels work as well as hard ones', async () => {
    const shape = [3, 4];
    const t = uniformArray(12, 0, 1, 7);
    const p = uniformArray(12, 0.05, 0.95, 8);
    expectClose(await take(binaryCrossentropy(tensor(t, shape), tensor(p, shape))), bceRef(t, p, shape), 1e-4, 1e-5);
  });

  it('clips probabilities 0 and 1 to [1e-7, 1 - 1e-7] instead of giving Infinity', async () => {
    const t = [1, 0, 1, 0];
    const p = [0, 1, 1, 0];
    const out = await take(binaryCrossentropy(tensor([t]), tensor([p]), { axis: -1 }));
    const expected = bceRef(t, p, [1, 4]);
    expect(Number.isFinite(out[0]!)).to.equal(true);
    expectClose(out, expected, 1e-5);
    // The four clipped terms: -log(1e-7), -log(1 - HI), -log(HI), -log(1 - 1e-7).
    expectClose(expected, [(-Math.log(LO) - Math.log(1 - HI) - Math.log(HI) - Math.log(1 - LO)) / 4], 1e-12);
  });

  it('is exact for huge logits with fromLogits', async () => {
    const out = await take(binaryCrossentropy(tensor([[1, 0, 1]]), tensor([[-200, 300, 500]]), { fromLogits: true }));
    expectClose(out, [(200 + 300 + 0) / 3], 1e-6);
  });

  it('averages over another axis when asked', async () => {
    const shape = [3, 4];
    const t = zeroOne(12, 5);
    const p = uniformArray(12, 0.05, 0.95, 6);
    const out = binaryCrossentropy(tensor(t, shape), tensor(p, shape), { axis: 0 });
    expect(out.shape).to.deep.equal([4]);
    expectClose(await take(out), bceRef(t, p, shape, { axis: 0 }), 1e-4, 1e-5);
  });

  it('BinaryCrossentropy passes its options through and compute takes the mean', async () => {
    const shape = [5, 2];
    const t = zeroOne(10, 9);
    const p = uniformArray(10, -3, 3, 10);
    const loss = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    const expected = bceRef(t, p, shape, { fromLogits: true, labelSmoothing: 0.1 });
    expectClose(await take(loss.call(tensor(t, shape), tensor(p, shape))), expected, 1e-4, 1e-5);
    expectClose(await take(loss.compute(tensor(t, shape), tensor(p, shape))), [meanOf(expected)], 1e-4, 1e-5);
  });
});

describe('losses: categorical crossentropy', () => {
  for (const shape of [[4, 3], [2, 3, 5], [1, 7]]) {
    for (const fromLogits of [false, true]) {
      for (const labelSmoothing of [0, 0.1]) {
        it(`matches the reference for shape [${shape}], fromLogits ${fromLogits}, labelSmoothing ${labelSmoothing}`, async () => {
          const n = size(shape);
          const { oneHot } = oneHotArray(shape, 3 + n);
          // Unnormalised probabilities check the rescaling to sum 1.
          const p = fromLogits ? uniformArray(n, -5, 5, 4 + n) : uniformArray(n, 0.02, 1, 4 + n);
          const before = memory().numTensors;
          const yt = tensor(oneHot, shape);
          const yp = tensor(p, shape);
          const out = categoricalCrossentropy(yt, yp, { fromLogits, labelSmoothing });
          expect(out.shape).to.deep.equal(shape.slice(0, -1));
          expectClose(await take(out), cceRef(oneHot, p, shape, { fromLogits, labelSmoothing }), 1e-4, 1e-5);
          yt.dispose();
          yp.dispose();
          expect(memory().numTensors).to.equal(before);
        });
      }
    }
  }

  it('accepts soft labels (distributions)', async () => {
    const shape = [3, 4];
    const t = distributionArray(shape, 1);
    const p = distributionArray(shape, 2);
    expectClose(await take(categoricalCrossentropy(tensor(t, shape), tensor(p, shape))), cceRef(t, p, shape), 1e-4, 1e-5);
  });

  it('clips a zero probability of the true class to 1e-7', async () => {
    const out = await take(categoricalCrossentropy(tensor([[1, 0, 0]]), tensor([[0, 1, 0]])));
    expectClose(out, [-Math.log(LO)], 1e-5);
  });

  it('is exact for huge logits with fromLogits (logSoftmax, no clipping)', async () => {
    const out = await take(categoricalCrossentropy(tensor([[0, 1, 0]]), tensor([[1000, 0, -1000]]), { fromLogits: true }));
    expectClose(out, [1000], 1e-6);
  });

  it('reduces over the class axis given by axis', async () => {
    const shape = [3, 4];
    const t = new Float32Array(12);
    for (const [k, row] of rowsAlong(shape, 0).entries()) t[row[k % 3]!] = 1;
    const p = uniformArray(12, 0.05, 1, 12);
    const out = categoricalCrossentropy(tensor(t, shape), tensor(p, shape), { axis: 0, labelSmoothing: 0.2 });
    expect(out.shape).to.deep.equal([4]);
    expectClose(await take(out), cceRef(t, p, shape, { axis: 0, labelSmoothing: 0.2 }), 1e-4, 1e-5);
  });

  it('CategoricalCrossentropy passes its options through', async () => {
    const shape = [4, 3];
    const { oneHot } = oneHotArray(shape, 21);
    const p = uniformArray(12, -4, 4, 22);
    const loss = new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.3 });
    const expected = cceRef(oneHot, p, shape, { fromLogits: true, labelSmoothing: 0.3 });
    expectClose(await take(loss.call(tensor(oneHot, shape), tensor(p, shape))), expected, 1e-4, 1e-5);
    expectClose(await take(loss.compute(tensor(oneHot, shape), tensor(p, shape))), [meanOf(expected)], 1e-4, 1e-5);
  });
});

describe('losses: sparse categorical crossentropy', () => {
  for (const fromLogits of [false, true]) {
    for (const labelShape of ['[N]', '[N, 1]', 'float [N]'] as const) {
      it(`equals categorical crossentropy of the one-hot labels (${labelShape} labels, fromLogits ${fromLogits})`, async () => {
        const shape = [5, 4];
        const { oneHot, indices } = oneHotArray(shape, 31);
        const p = fromLogits ? uniformArray(20, -4, 4, 32) : uniformArray(20, 0.02, 1, 32);
        const labels =
          labelShape === '[N]' ? tensor(indices, [5], 'int32') : labelShape === '[N, 1]' ? tensor(indices, [5, 1], 'int32') : tensor(indices.map((i) => i + 0.0), [5]);
        const before = memory().numTensors;
        const yp = tensor(p, shape);
        const out = sparseCategoricalCrossentropy(labels, yp, { fromLogits });
        expect(out.shape).to.deep.equal([5]);
        expectClose(await take(out), cceRef(oneHot, p, shape, { fromLogits }), 1e-4, 1e-5);
        yp.dispose();
        expect(memory().numTensors).to.equal(before);
        labels.dispose();
      });
    }
  }

  it('handles leading dimensions beyond the batch ([N, T] labels, [N, T, C] predictions)', async () => {
    const shape = [2, 3, 4];
    const { oneHot, indices } = oneHotArray(shape, 41);
    const p = uniformArray(24, -2, 2, 42);
    const out = sparseCategoricalCrossentropy(tensor(indices, [2, 3], 'int32'), tensor(p, shape), { fromLogits: true });
    expect(out.shape).to.deep.equal([2, 3]);
    expectClose(await take(out), cceRef(oneHot, p, shape, { fromLogits: true }), 1e-4, 1e-5);
  });

  it('floors float labels, as TF.js does', async () => {
    const p = [[0.2, 0.5, 0.3]];
    const out = await take(sparseCategoricalCrossentropy(tensor([1.7]), tensor(p)));
    expectClose(out, [-Math.log(0.5)], 1e-5);
  });

  it('ignoreClass gives 0 for those entries, and compute averages over the others', async () => {
    const shape = [4, 3];
    const p = uniformArray(12, -2, 2, 51);
    const labels = [2, -1, 0, -1];
    const rows = rowsAlong(shape, -1).map((r) => r.map((i) => p[i]!));
    const full = rows.map((r, k) => (labels[k]! < 0 ? 0 : -logProbs(r, true)[labels[k]!]!));
    const out = sparseCategoricalCrossentropy(tensor(labels, [4], 'int32'), tensor(p, shape), { fromLogits: true, ignoreClass: -1 });
    expectClose(await take(out), full, 1e-4, 1e-5);
    const loss = new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 });
    const value = await take(loss.compute(tensor(labels, [4], 'int32'), tensor(p, shape)));
    // Keras: valid entries weigh total / (valid + 1e-7), so the mean is over the 2 valid ones.
    expectClose(value, [sumOf(full) * (4 / (2 + 1e-7)) / 4], 1e-5);
    const summed = await take(new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'sum' }).compute(tensor(labels, [4], 'int32'), tensor(p, shape)));
    expectClose(summed, [sumOf(full)], 1e-5);
  });

  it('ignoreClass may be a real class index', async () => {
    const p = [[0.2, 0.8], [0.6, 0.4]];
    const out = await take(sparseCategoricalCrossentropy(tensor([1, 0], [2], 'int32'), tensor(p), { ignoreClass: 1 }));
    expectClose(out, [0, -Math.log(0.6)], 1e-5);
  });

  it('clips a zero probability of the true class to 1e-7', async () => {
    const out = await take(sparseCategoricalCrossentropy(tensor([0], [1], 'int32'), tensor([[0, 1]])));
    expectClose(out, [-Math.log(LO)], 1e-5);
  });
});

describe('losses: binary focal crossentropy', () => {
  const shape = [4, 3];
  const cases: { gamma?: number; alpha?: number; applyClassBalancing?: boolean; fromLogits?: boolean; labelSmoothing?: number }[] = [
    {},
    { gamma: 0 },
    { gamma: 1.5, applyClassBalancing: true },
    { gamma: 2, alpha: 0.6, applyClassBalancing: true, labelSmoothing: 0.1 },
    { fromLogits: true },
    { fromLogits: true, gamma: 3, applyClassBalancing: true, labelSmoothing: 0.2 },
  ];
  for (const options of cases) {
    it(`matches the reference with ${JSON.stringify(options)}`, async () => {
      const t = zeroOne(12, 61);
      const p = options.fromLogits ? uniformArray(12, -5, 5, 62) : uniformArray(12, 0.02, 0.98, 62);
      const out = binaryFocalCrossentropy(tensor(t, shape), tensor(p, shape), options);
      expect(out.shape).to.deep.equal([4]);
      expectClose(await take(out), focalRef(t, p, shape, options), 1e-4, 1e-6);
    });
  }

  it('gamma 0 without balancing is binary crossentropy', async () => {
    const t = zeroOne(12, 71);
    const p = uniformArray(12, 0.02, 0.98, 72);
    const focal = await take(binaryFocalCrossentropy(tensor(t, shape), tensor(p, shape), { gamma: 0 }));
    expectClose(focal, bceRef(t, p, shape), 1e-5, 1e-6);
  });

  it('handles probabilities 0 and 1 (clipped inside the crossentropy)', async () => {
    const out = await take(binaryFocalCrossentropy(tensor([[1, 0, 1, 0]]), tensor([[0, 1, 1, 0]])));
    const expected = focalRef(Float32Array.from([1, 0, 1, 0]), Float32Array.from([0, 1, 1, 0]), [1, 4], {});
    expect(Number.isFinite(out[0]!)).to.equal(true);
    expectClose(out, expected, 1e-5);
  });

  it('BinaryFocalCrossentropy has Keras 3 defaults and passes its options through', async () => {
    const loss = new BinaryFocalCrossentropy();
    expect(loss.getConfig()).to.deep.equal({
      name: 'binary_focal_crossentropy',
      reduction: 'sum_over_batch_size',
      gamma: 2,
      alpha: 0.25,
      applyClassBalancing: false,
      fromLogits: false,
      labelSmoothing: 0,
      axis: -1,
    });
    const t = zeroOne(12, 81);
    const p = uniformArray(12, -3, 3, 82);
    const options = { gamma: 1, alpha: 0.4, applyClassBalancing: true, fromLogits: true };
    const expected = focalRef(t, p, shape, options);
    expectClose(await take(new BinaryFocalCrossentropy(options).compute(tensor(t, shape), tensor(p, shape))), [meanOf(expected)], 1e-4, 1e-6);
  });
});

import { expect } from 'chai';
import { clone, keep, memory, mul, normal, sum, tensor, valueAndGrads, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import { Layer, type CallArgs } from '../src/engine/layer.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import {
  Activation, AlphaDropout, Dropout, Flatten, GaussianDropout, GaussianNoise, Masking, Permute, RepeatVector, Reshape,
  SpatialDropout1D, SpatialDropout2D, activation, dropout, flatten, masking, reshape,
} from '../src/layers/basic/index.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import { checkLayerGradients } from './layer-harness.js';

// Reference values are plain float64 loops written from the Keras definitions, never the code under test.

/** Deterministic test data in [-1, 1), rounded to float32 so the reference sees the same inputs. */
function data(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return Math.fround((s / 4294967296) * 2 - 1);
  });
}

async function values(t: Tensor | Tensor[]): Promise<number[]> {
  return Array.from(await (Array.isArray(t) ? t[0]! : t).data());
}

/** Runs `fn` and checks it leaves no tensors behind. */
async function noLeaks(fn: () => Promise<void> | void): Promise<void> {
  const before = memory().numTensors;
  await fn();
  expect(memory().numTensors, 'live tensors after the test').to.equal(before);
}

function shapeOf(s: SymbolicTensor | SymbolicTensor[]): (number | null)[] {
  return [...(Array.isArray(s) ? s[0]! : s).shape];
}

/** Rebuilds a layer from its config through the registry (as a saved model would). */
function roundTrip<L extends Layer>(layer: L): L {
  return layerRegistry.get({ className: layer.className, config: layer.getConfig() }) as L;
}

/** A layer that records (a copy of) the mask it receives and passes its input on. */
class MaskRecorder extends Layer {
  static override readonly className = 'MaskRecorder';
  received: Tensor | null = null;
  calls = 0;

  constructor() {
    super({});
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    this.calls++;
    this.received?.dispose();
    const m = Array.isArray(args.mask) ? args.mask[0] : args.mask;
    this.received = m ? keep(clone(m)) : null;
    return clone(inputs as Tensor);
  }
}

beforeEach(() => resetLayerNames());

describe('Activation layer', () => {
  it('applies the named function and keeps the shape', async () => {
    const x = input({ shape: [3, 4] });
    expect(shapeOf(activation({ activation: 'tanh' }).apply(x) as SymbolicTensor)).to.deep.equal([null, 3, 4]);
    await noLeaks(async () => {
      const xs = data(12, 1);
      const t = tensor(xs, [1, 3, 4]);
      const y = new Activation({ activation: 'tanh' }).apply(t) as Tensor;
      expectClose(await values(y), xs.map(Math.tanh), { atol: 1e-6 });
      const r = new Activation({ activation: 'relu' }).apply(t) as Tensor;
      expectClose(await values(r), xs.map((v) => Math.max(0, v)));
      t.dispose();
      y.dispose();
      r.dispose();
    });
  });

  it('round-trips its config and has input gradients', async () => {
    const a = new Activation({ activation: 'sigmoid' });
    const b = roundTrip(a);
    expect(b.getConfig().activation).to.equal('sigmoid');
    const x = tensor(data(6, 2), [2, 3]);
    expectClose(await values(b.apply(x) as Tensor), await values(a.apply(x) as Tensor));
    await checkLayerGradients(a, x);
    x.dispose();
  });

  it('requires the activation option', () => {
    expect(() => new Activation({} as never)).to.throw(LayerError, "activation (Activation): option 'activation' must be given: a name such as 'relu' or a function; received undefined");
  });
});

describe('Dropout', () => {
  const n = 20000;

  it('is the identity unless training', async () => {
    await noLeaks(async () => {
      const d = new Dropout({ rate: 0.5 });
      const x = tensor(data(8, 3), [2, 4]);
      const y1 = d.apply(x) as Tensor;
      const y2 = d.apply(x, { training: false }) as Tensor;
      expectClose(await values(y1), await values(x));
      expectClose(await values(y2), await values(x));
      y1.dispose();
      x.dispose();
      // The output is its own handle: it outlives the input.
      expect(y2.isDisposed).to.equal(false);
      y2.dispose();
    });
  });

  it('drops about `rate` of the inputs and scales the rest by 1 / (1 - rate)', async () => {
    for (const rate of [0.2, 0.5, 0.8]) {
      const d = new Dropout({ rate, seed: 11 });
      const x = tensor(new Float32Array(n).fill(1), [100, 200]);
      const y = await values(d.apply(x, { training: true }) as Tensor);
      const dropped = y.filter((v) => v === 0).length / n;
      expect(dropped, `fraction dropped at rate ${rate}`).to.be.closeTo(rate, 0.015);
      for (const v of y) if (v !== 0) expect(v).to.be.closeTo(1 / (1 - rate), 1e-6);
      x.dispose();
    }
  });

  it('repeats its masks for the same seed, and draws a fresh mask each call', async () => {
    const x = tensor(new Float32Array(400).fill(1), [20, 20]);
    const a = new Dropout({ rate: 0.5, seed: 42 });
    const b = new Dropout({ rate: 0.5, seed: 42 });
    const a1 = await values(a.apply(x, { training: true }) as Tensor);
    const a2 = await values(a.apply(x, { training: true }) as Tensor);
    const b1 = await values(b.apply(x, { training: true }) as Tensor);
    const b2 = await values(b.apply(x, { training: true }) as Tensor);
    expect(b1).to.deep.equal(a1);
    expect(b2).to.deep.equal(a2);
    expect(a2).to.not.deep.equal(a1);
    const c1 = await values(new Dropout({ rate: 0.5, seed: 43 }).apply(x, { training: true }) as Tensor);
    expect(c1).to.not.deep.equal(a1);
    x.dispose();
  });

  it('shares the mask along the size-1 dims of noiseShape', async () => {
    const d = new Dropout({ rate: 0.5, noiseShape: [null, 1], seed: 3 });
    const x = tensor(new Float32Array(64 * 10).fill(1), [64, 10]);
    const y = await values(d.apply(x, { training: true }) as Tensor);
    const rows = Array.from({ length: 64 }, (_, r) => y.slice(r * 10, r * 10 + 10));
    for (const row of rows) expect(new Set(row).size, 'one decision per row').to.equal(1);
    expect(rows.some((r) => r[0] === 0) && rows.some((r) => r[0] === 2)).to.equal(true);
    x.dispose();
  });

  it('passes the gradient through the kept units, scaled', async () => {
    const x = tensor(data(50, 4), [5, 10]);
    const y = new Dropout({ rate: 0.4, seed: 9 }).apply(x, { training: true }) as Tensor;
    const twin = new Dropout({ rate: 0.4, seed: 9 });
    const { value, grads } = valueAndGrads((t: Tensor) => sum(twin.apply(t, { training: true }) as Tensor))([x]);
    const g = await values(grads[0]!);
    const xs = await values(x);
    const ys = await values(y);
    // dy/dx is the scaled mask, so x * grad reproduces the output.
    expectClose(xs.map((v, i) => v * g[i]!), ys, { atol: 1e-6 });
    for (const v of g) expect([0, 1 / 0.6].some((e) => Math.abs(v - e) < 1e-5)).to.equal(true);
    value.dispose();
    grads[0]!.dispose();
    y.dispose();
    x.dispose();
  });

  it('does not leak while training', async () => {
    const d = new Dropout({ rate: 0.3 });
    const x = tensor(data(12, 5), [3, 4]);
    await noLeaks(() => {
      (d.apply(x, { training: true }) as Tensor).dispose();
    });
    x.dispose();
  });

  it('checks its options and noiseShape at definition', () => {
    expect(() => new Dropout({ rate: 1.5 })).to.throw(LayerError, "dropout (Dropout): option 'rate' must be a number in [0, 1); received number 1.5");
    expect(() => dropout({ rate: 0.1, seed: -1 })).to.throw(LayerError, "option 'seed' must be a non-negative integer (or omitted for the global seed stream); received number -1");
    expect(() => dropout({ rate: 0.1, noiseShape: [0, 2] })).to.throw(LayerError, "option 'noiseShape' must be an array of positive integers (or null for the input's size); received array [0, 2]");
    const x = input({ shape: [4, 5] });
    expect(() => new Dropout({ rate: 0.1, noiseShape: [null, 3, 1], name: 'drop' }).apply(x)).to.throw(
      LayerError, 'drop (Dropout): noiseShape [null, 3, 1] does not fit input shape [null, 4, 5]; it needs one entry per input dim, each null, 1 or the input\'s size',
    );
  });

  it('round-trips its config', () => {
    const d = new Dropout({ rate: 0.25, noiseShape: [null, 1, 4], seed: 5 });
    const c = roundTrip(d).getConfig();
    expect(c).to.include({ rate: 0.25, seed: 5 });
    expect(c.noiseShape).to.deep.equal([null, 1, 4]);
  });
});

describe('SpatialDropout1D / SpatialDropout2D', () => {
  it('drops whole channels of sequences', async () => {
    const d = new SpatialDropout1D({ rate: 0.5, seed: 1 });
    const [b, s, c] = [8, 6, 5];
    const x = tensor(new Float32Array(b * s * c).fill(1), [b, s, c]);
    const y = await values(d.apply(x, { training: true }) as Tensor);
    let zeros = 0;
    for (let i = 0; i < b; i++) {
      for (let k = 0; k < c; k++) {
        const column = Array.from({ length: s }, (_, t) => y[(i * s + t) * c + k]!);
        expect(new Set(column).size, `sample ${i} channel ${k}`).to.equal(1);
        if (column[0] === 0) zeros++;
        else expect(column[0]).to.be.closeTo(2, 1e-6);
      }
    }
    expect(zeros).to.be.within(5, 35);
    expectClose(await values(d.apply(x) as Tensor), await values(x));
    x.dispose();
  });

  it('drops whole feature maps of images in either data format', async () => {
    for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
      const d = new SpatialDropout2D({ rate: 0.5, seed: 2, dataFormat });
      const shape = dataFormat === 'channelsLast' ? [4, 3, 3, 6] : [4, 6, 3, 3];
      const x = tensor(new Float32Array(4 * 54).fill(1), shape);
      const y = await values(d.apply(x, { training: true }) as Tensor);
      for (let i = 0; i < 4; i++) {
        for (let k = 0; k < 6; k++) {
          const pixels: number[] = [];
          for (let p = 0; p < 9; p++) pixels.push(dataFormat === 'channelsLast' ? y[(i * 9 + p) * 6 + k]! : y[(i * 6 + k) * 9 + p]!);
          expect(new Set(pixels).size, `${dataFormat} sample ${i} channel ${k}`).to.equal(1);
        }
      }
      x.dispose();
    }
  });

  it('checks the rank and round-trips', () => {
    expect(() => new SpatialDropout1D({ rate: 0.1, name: 'sd' }).apply(input({ shape: [4] }))).to.throw(
      LayerError, 'sd (SpatialDropout1D): expected input of rank 3, received shape [null, 4] (rank 2)',
    );
    const c = roundTrip(new SpatialDropout2D({ rate: 0.3, dataFormat: 'channels_first' as never })).getConfig();
    expect(c).to.include({ rate: 0.3, dataFormat: 'channelsFirst' });
    expect(c).to.not.have.property('noiseShape');
    expect(() => new SpatialDropout2D({ rate: 0.3, dataFormat: 'nhwc' as never })).to.throw(LayerError, "option 'dataFormat' must be 'channelsLast' or 'channelsFirst'; received string \"nhwc\"");
  });
});

describe('GaussianNoise / GaussianDropout', () => {
  const n = 20000;
  const stats = (v: number[]): { mean: number; std: number } => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean: m, std: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) };
  };

  it('GaussianNoise adds N(0, stddev²) while training only', async () => {
    const g = new GaussianNoise({ stddev: 0.5, seed: 4 });
    const x = tensor(new Float32Array(n).fill(2), [n]);
    const s = stats(await values(g.apply(x, { training: true }) as Tensor));
    expect(s.mean).to.be.closeTo(2, 0.02);
    expect(s.std).to.be.closeTo(0.5, 0.02);
    expectClose(await values(g.apply(x) as Tensor), await values(x));
    expect(roundTrip(g).getConfig()).to.include({ stddev: 0.5, seed: 4 });
    expect(() => new GaussianNoise({ stddev: -1 })).to.throw(LayerError, "gaussian_noise_1 (GaussianNoise): option 'stddev' must be a finite number >= 0; received number -1");
    x.dispose();
  });

  it('GaussianDropout multiplies by N(1, rate / (1 - rate)) while training only', async () => {
    const g = new GaussianDropout({ rate: 0.2, seed: 4 });
    const x = tensor(new Float32Array(n).fill(3), [n]);
    const s = stats(await values(g.apply(x, { training: true }) as Tensor));
    expect(s.mean).to.be.closeTo(3, 0.03);
    expect(s.std).to.be.closeTo(3 * Math.sqrt(0.2 / 0.8), 0.03);
    expectClose(await values(g.apply(x) as Tensor), await values(x));
    expect(roundTrip(g).getConfig()).to.include({ rate: 0.2, seed: 4 });
    x.dispose();
  });
});

describe('AlphaDropout', () => {
  it('sets dropped units to alpha\' and applies the affine correction a·x + b', async () => {
    const rate = 0.3;
    const alphaP = -1.7580993408473766;
    const a = ((1 - rate) * (1 + rate * alphaP * alphaP)) ** -0.5;
    const b = -a * alphaP * rate;
    const xs = data(4000, 6);
    const x = tensor(xs, [40, 100]);
    const y = await values(new AlphaDropout({ rate, seed: 8 }).apply(x, { training: true }) as Tensor);
    let dropped = 0;
    y.forEach((v, i) => {
      const kept = a * xs[i]! + b;
      const gone = a * alphaP + b;
      if (Math.abs(v - gone) < 1e-5 && Math.abs(v - kept) > 1e-5) dropped++;
      else expect(v).to.be.closeTo(kept, 1e-5);
    });
    expect(dropped / 4000).to.be.closeTo(rate, 0.03);
    expectClose(await values(new AlphaDropout({ rate }).apply(x) as Tensor), xs);
    x.dispose();
  });

  it('keeps zero mean and unit variance of standardized inputs', async () => {
    const x = normal([50000], 0, 1, { seed: 3 });
    const y = await values(new AlphaDropout({ rate: 0.2, seed: 1 }).apply(x, { training: true }) as Tensor);
    const m = y.reduce((s, v) => s + v, 0) / y.length;
    const v = y.reduce((s, u) => s + (u - m) ** 2, 0) / y.length;
    expect(m).to.be.closeTo(0, 0.03);
    expect(v).to.be.closeTo(1, 0.05);
    x.dispose();
  });
});

describe('Flatten', () => {
  it('infers shapes, including unknown dims', () => {
    expect(shapeOf(flatten().apply(input({ shape: [2, 3, 4] })) as SymbolicTensor)).to.deep.equal([null, 24]);
    expect(shapeOf(flatten().apply(input({ shape: [null, 4] })) as SymbolicTensor)).to.deep.equal([null, null]);
    expect(shapeOf(flatten().apply(input({ batchShape: [5] })) as SymbolicTensor)).to.deep.equal([5, 1]);
  });

  it('keeps row-major order; channelsFirst moves the channels last first', async () => {
    const xs = data(2 * 3 * 2 * 2, 7);
    const x = tensor(xs, [2, 3, 2, 2]);
    expectClose(await values(new Flatten().apply(x) as Tensor), xs);
    const ref: number[] = [];
    for (let b = 0; b < 2; b++) for (let h = 0; h < 2; h++) for (let w = 0; w < 2; w++) for (let c = 0; c < 3; c++) ref.push(xs[((b * 3 + c) * 2 + h) * 2 + w]!);
    const y = new Flatten({ dataFormat: 'channelsFirst' }).apply(x) as Tensor;
    expect([...y.shape]).to.deep.equal([2, 12]);
    expectClose(await values(y), ref);
    await checkLayerGradients(new Flatten(), tensor(data(8, 1), [2, 2, 2]));
    expect(roundTrip(new Flatten({ dataFormat: 'channelsFirst' })).getConfig().dataFormat).to.equal('channelsFirst');
    x.dispose();
  });
});

describe('Reshape', () => {
  it('infers one -1 and keeps the batch dim', async () => {
    const y = reshape({ targetShape: [-1, 4] }).apply(input({ shape: [12] }));
    expect(shapeOf(y as SymbolicTensor)).to.deep.equal([null, 3, 4]);
    expect(shapeOf(reshape({ targetShape: [2, -1] }).apply(input({ shape: [null] })) as SymbolicTensor)).to.deep.equal([null, 2, null]);
    const xs = data(24, 8);
    const x = tensor(xs, [2, 12]);
    const out = new Reshape({ targetShape: [3, -1] }).apply(x) as Tensor;
    expect([...out.shape]).to.deep.equal([2, 3, 4]);
    expectClose(await values(out), xs);
    x.dispose();
  });

  it('names both shapes when the sizes disagree', () => {
    expect(() => new Reshape({ targetShape: [5, 2], name: 'r' }).apply(input({ shape: [3, 4] }))).to.throw(
      LayerError, 'r (Reshape): cannot reshape input of shape [null, 3, 4] (12 values per sample) to targetShape [5, 2] (10 values); make the target\'s size match the input\'s',
    );
    expect(() => new Reshape({ targetShape: [5, -1], name: 'r2' }).apply(input({ shape: [12] }))).to.throw(
      LayerError, 'r2 (Reshape): cannot reshape input of shape [null, 12] (12 values per sample) to targetShape [5, -1] (a multiple of 5 values)',
    );
    expect(() => new Reshape({ targetShape: [-1, -1] })).to.throw(LayerError, "option 'targetShape' must be an array with at most one -1 (only one size can be inferred); received array [-1, -1]");
    expect(() => new Reshape({ targetShape: [0, 3] })).to.throw(LayerError, "option 'targetShape' must be an array of positive integers, with at most one -1 for an inferred size; received array [0, 3]");
  });

  it('round-trips and passes gradients', async () => {
    expect(roundTrip(new Reshape({ targetShape: [2, -1] })).getConfig().targetShape).to.deep.equal([2, -1]);
    await checkLayerGradients(new Reshape({ targetShape: [3, 2] }), tensor(data(12, 2), [2, 6]));
  });
});

describe('Permute', () => {
  it('permutes sample dims (1-based)', async () => {
    expect(shapeOf(new Permute({ dims: [3, 1, 2] }).apply(input({ shape: [2, 3, 4] })) as SymbolicTensor)).to.deep.equal([null, 4, 2, 3]);
    const xs = data(2 * 3 * 4, 9);
    const x = tensor(xs, [2, 3, 4]);
    const y = new Permute({ dims: [2, 1] }).apply(x) as Tensor;
    const ref: number[] = [];
    for (let b = 0; b < 2; b++) for (let j = 0; j < 4; j++) for (let i = 0; i < 3; i++) ref.push(xs[(b * 3 + i) * 4 + j]!);
    expect([...y.shape]).to.deep.equal([2, 4, 3]);
    expectClose(await values(y), ref);
    await checkLayerGradients(new Permute({ dims: [2, 1] }), x);
    expect(roundTrip(new Permute({ dims: [2, 1] })).getConfig().dims).to.deep.equal([2, 1]);
    x.dispose();
  });

  it('rejects bad dims and inputs of the wrong rank', () => {
    expect(() => new Permute({ dims: [0, 1] })).to.throw(LayerError, "permute (Permute): option 'dims' must be a permutation of 1..2 (1-based sample dims; the batch dim 0 is not included); received array [0, 1]");
    expect(() => new Permute({ dims: [2, 1], name: 'p' }).apply(input({ shape: [2, 3, 4] }))).to.throw(LayerError, 'p (Permute): expected input of rank 3, received shape [null, 2, 3, 4] (rank 4)');
  });
});

describe('RepeatVector', () => {
  it('repeats each sample n times', async () => {
    expect(shapeOf(new RepeatVector({ n: 3 }).apply(input({ shape: [5] })) as SymbolicTensor)).to.deep.equal([null, 3, 5]);
    const xs = data(4, 10);
    const x = tensor(xs, [2, 2]);
    const y = new RepeatVector({ n: 3 }).apply(x) as Tensor;
    expectClose(await values(y), [...xs.slice(0, 2), ...xs.slice(0, 2), ...xs.slice(0, 2), ...xs.slice(2), ...xs.slice(2), ...xs.slice(2)]);
    await checkLayerGradients(new RepeatVector({ n: 2 }), x);
    expect(roundTrip(new RepeatVector({ n: 3 })).getConfig().n).to.equal(3);
    x.dispose();
  });

  it('checks n and the rank', () => {
    expect(() => new RepeatVector({ n: 0 })).to.throw(LayerError, "repeat_vector (RepeatVector): option 'n' must be an integer >= 1; received number 0");
    expect(() => new RepeatVector({ n: 2, name: 'rv' }).apply(input({ shape: [2, 3] }))).to.throw(LayerError, 'rv (RepeatVector): expected input of rank 2, received shape [null, 2, 3] (rank 3)');
  });
});

describe('Masking', () => {
  it('zeroes masked steps and emits the mask [batch, steps]', async () => {
    const xs = [1, 2, 0, 0, 3, 0, 0, 0, 5, 5, 9, 9];
    const x = tensor(xs, [2, 3, 2]);
    const m = new Masking({ maskValue: 0 });
    expectClose(await values(m.apply(x) as Tensor), xs);
    const mask = m.computeMask(x);
    expect(mask.dtype).to.equal('bool');
    expect(await values(mask)).to.deep.equal([1, 0, 1, 0, 1, 1]);
    const m5 = new Masking({ maskValue: 5 });
    expectClose(await values(m5.apply(x) as Tensor), [1, 2, 0, 0, 3, 0, 0, 0, 0, 0, 9, 9]);
    mask.dispose();
    x.dispose();
  });

  it('propagates its mask through mask-passing layers to a consumer', async () => {
    const x = input({ shape: [3, 2] });
    const recorder = new MaskRecorder();
    const h = new Dropout({ rate: 0.5 }).apply(masking({ maskValue: -1 }).apply(x) as SymbolicTensor) as SymbolicTensor;
    const model = new LayersModel({ inputs: x, outputs: recorder.apply(h) as SymbolicTensor });
    const t = tensor([1, 1, -1, -1, 2, 2, -1, -1, -1, -1, 3, 3], [2, 3, 2]);
    await noLeaks(async () => {
      (model.apply(t) as Tensor).dispose();
      expect(await values(recorder.received!)).to.deep.equal([1, 0, 1, 0, 0, 1]);
      recorder.received!.dispose();
      recorder.received = null;
    });
    expect(roundTrip(new Masking({ maskValue: 2 })).getConfig().maskValue).to.equal(2);
    t.dispose();
  });

  it('works in a Sequential model', async () => {
    const model = new Sequential({ layers: [new Masking({ inputShape: [2, 2] }), new Flatten()] });
    const t = tensor([0, 0, 1, 2], [1, 2, 2]);
    const y = model.apply(t) as Tensor;
    expect([...y.shape]).to.deep.equal([1, 4]);
    y.dispose();
    t.dispose();
  });
});

describe('basic layers: memory', () => {
  it('frees everything a forward pass makes', async () => {
    const x = tensor(data(24, 12), [2, 3, 4]);
    const layers: [Layer, CallArgs][] = [
      [new Activation({ activation: 'relu' }), {}], [new Dropout({ rate: 0.2 }), { training: true }],
      [new SpatialDropout1D({ rate: 0.2 }), { training: true }], [new GaussianNoise({ stddev: 1 }), { training: true }],
      [new GaussianDropout({ rate: 0.2 }), { training: true }], [new AlphaDropout({ rate: 0.2 }), { training: true }],
      [new Flatten(), {}], [new Reshape({ targetShape: [-1] }), {}], [new Permute({ dims: [2, 1] }), {}], [new Masking(), {}],
    ];
    await noLeaks(() => {
      for (const [layer, args] of layers) (layer.apply(x, args) as Tensor).dispose();
      const y = mul(x, 1);
      y.dispose();
    });
    x.dispose();
  });
});

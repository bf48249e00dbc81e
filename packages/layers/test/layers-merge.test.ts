import { expect } from 'chai';
import { clone, keep, memory, mul, sum, tensor, valueAndGrads, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import { Layer, type CallArgs } from '../src/engine/layer.js';
import { LayersModel } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { Masking } from '../src/layers/basic/index.js';
import {
  Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, add, concatenate, dot, subtract,
} from '../src/layers/merge/index.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import type { Merge } from '../src/layers/merge/merge.js';

// Reference values are plain float64 loops written from the Keras definitions, never the code under test.

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

function shapeOf(s: SymbolicTensor | SymbolicTensor[]): (number | null)[] {
  return [...(Array.isArray(s) ? s[0]! : s).shape];
}

function roundTrip<L extends Layer>(layer: L): L {
  return layerRegistry.get({ className: layer.className, config: layer.getConfig() }) as L;
}

/** Gradients of `sum(layer([a, b]) * w)` by central differences, for each input. */
async function numericGrads(layer: Layer, inputs: number[][], shapes: number[][], eps = 1e-2): Promise<number[][]> {
  const objective = async (xs: number[][]): Promise<number> => {
    const ts = xs.map((v, i) => tensor(v, shapes[i]));
    const y = layer.apply(ts) as Tensor;
    const v = await values(y);
    ts.forEach((t) => t.dispose());
    y.dispose();
    return v.reduce((s, u, i) => s + u * (1 + (i % 3)), 0);
  };
  const out: number[][] = [];
  for (let k = 0; k < inputs.length; k++) {
    const g: number[] = [];
    for (let i = 0; i < inputs[k]!.length; i++) {
      const shifted = (d: number): number[][] => inputs.map((v, j) => (j === k ? v.map((u, m) => (m === i ? u + d : u)) : v));
      g.push(((await objective(shifted(eps))) - (await objective(shifted(-eps)))) / (2 * eps));
    }
    out.push(g);
  }
  return out;
}

async function analyticGrads(layer: Layer, inputs: number[][], shapes: number[][]): Promise<number[][]> {
  const ts = inputs.map((v, i) => tensor(v, shapes[i]));
  const probe = layer.apply(ts) as Tensor;
  const w = tensor(Array.from({ length: probe.size }, (_, i) => 1 + (i % 3)), [...probe.shape]);
  probe.dispose();
  const { value, grads } = valueAndGrads((...xs: Tensor[]) => sum(mul(layer.apply(xs) as Tensor, w)))(ts);
  const out = await Promise.all(grads.map((g) => values(g)));
  value.dispose();
  grads.forEach((g) => g.dispose());
  ts.forEach((t) => t.dispose());
  w.dispose();
  return out;
}

/** A layer that records (a copy of) the mask it receives. */
class MaskRecorder extends Layer {
  static override readonly className = 'MaskRecorder';
  received: Tensor | null = null;

  constructor() {
    super({});
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    this.received?.dispose();
    const m = Array.isArray(args.mask) ? args.mask[0] : args.mask;
    this.received = m ? keep(clone(m)) : null;
    return clone(inputs as Tensor);
  }
}

beforeEach(() => resetLayerNames());

describe('elementwise merge layers', () => {
  // Hand-picked so no two inputs are within the finite-difference step (Maximum/Minimum kinks).
  const a = [0.5, -0.3, 0.9, -0.8, 0.1, 0.25];
  const b = [-0.2, 0.4, 0.6, -0.1, 0.7, -0.6];
  const c = [0.1, -0.9, 0.3, 0.5, -0.4, 0.8];
  const cases: [string, () => Merge, (...v: number[]) => number][] = [
    ['Add', () => new Add(), (...v) => v.reduce((s, u) => s + u, 0)],
    ['Multiply', () => new Multiply(), (...v) => v.reduce((s, u) => s * u, 1)],
    ['Average', () => new Average(), (...v) => v.reduce((s, u) => s + u, 0) / v.length],
    ['Maximum', () => new Maximum(), (...v) => Math.max(...v)],
    ['Minimum', () => new Minimum(), (...v) => Math.min(...v)],
  ];

  for (const [name, make, ref] of cases) {
    it(`${name} combines three inputs, round-trips, and has gradients`, async () => {
      const x = input({ shape: [3] });
      const layer = make();
      expect(shapeOf(layer.apply([x, input({ shape: [3] }), input({ shape: [3] })]) as SymbolicTensor)).to.deep.equal([null, 3]);
      const before = memory().numTensors;
      const ts = [tensor(a, [2, 3]), tensor(b, [2, 3]), tensor(c, [2, 3])];
      const y = layer.apply(ts) as Tensor;
      expectClose(await values(y), a.map((_, i) => ref(a[i]!, b[i]!, c[i]!)), { atol: 1e-6 });
      const again = roundTrip(layer).apply(ts) as Tensor;
      expectClose(await values(again), await values(y));
      y.dispose();
      again.dispose();
      ts.forEach((t) => t.dispose());
      expect(memory().numTensors).to.equal(before);
      const shapes = [[2, 3], [2, 3]];
      expectClose((await analyticGrads(layer, [a, b], shapes)).flat(), (await numericGrads(layer, [a, b], shapes)).flat(), { atol: 2e-2, rtol: 2e-2 });
    });
  }

  it('Subtract takes exactly two inputs', async () => {
    const ts = [tensor(a, [2, 3]), tensor(b, [2, 3])];
    expectClose(await values(new Subtract().apply(ts) as Tensor), a.map((v, i) => v - b[i]!));
    const shapes = [[2, 3], [2, 3]];
    expectClose((await analyticGrads(new Subtract(), [a, b], shapes)).flat(), (await numericGrads(new Subtract(), [a, b], shapes)).flat(), { atol: 2e-2 });
    expect(() => subtract({ name: 'sub' }).apply([input({ shape: [3] }), input({ shape: [3] }), input({ shape: [3] })])).to.throw(
      LayerError, 'sub (Subtract): expects a list of exactly 2 inputs, received 3 (shapes [null, 3], [null, 3], [null, 3])',
    );
    ts.forEach((t) => t.dispose());
  });

  it('broadcasts size-1 dims and lower-rank inputs as Keras does', async () => {
    expect(shapeOf(add().apply([input({ shape: [1, 4] }), input({ shape: [5, 4] })]) as SymbolicTensor)).to.deep.equal([null, 5, 4]);
    expect(shapeOf(add().apply([input({ shape: [4] }), input({ shape: [5, 4] })]) as SymbolicTensor)).to.deep.equal([null, 5, 4]);
    expect(shapeOf(add().apply([input({ shape: [null, 4] }), input({ shape: [5, 4] })]) as SymbolicTensor)).to.deep.equal([null, null, 4]);
    const x = tensor([1, 2], [1, 2]);
    const y = tensor([10, 20, 30, 40, 50, 60], [1, 3, 2]);
    const out = new Add().apply([x, y]) as Tensor;
    expect([...out.shape]).to.deep.equal([1, 3, 2]);
    expectClose(await values(out), [11, 22, 31, 42, 51, 62]);
    x.dispose();
    y.dispose();
    out.dispose();
  });

  it('reports shape mismatches at definition, naming the layer and every input shape', () => {
    expect(() => new Add({ name: 'sum' }).apply([input({ shape: [3] }), input({ shape: [4] })])).to.throw(
      LayerError, 'sum (Add): inputs must have the same shape except the batch dim, or shapes that broadcast (sample dims aligned from the end; a dim of 1 stretches); received shapes [null, 3], [null, 4], where 3 and 4 differ',
    );
    expect(() => new Multiply({ name: 'mul' }).apply([input({ shape: [2, 3] }), input({ shape: [2, 3] }), input({ shape: [5, 3] })])).to.throw(
      LayerError, 'mul (Multiply): inputs must have the same shape except the batch dim, or shapes that broadcast (sample dims aligned from the end; a dim of 1 stretches); received shapes [null, 2, 3], [null, 2, 3], [null, 5, 3], where 2 and 5 differ',
    );
    expect(() => new Add({ name: 'one' }).apply(input({ shape: [3] }))).to.throw(
      LayerError, 'one (Add): expects a list of at least 2 inputs, received a single input of shape [null, 3]; call it as layer.apply([a, b])',
    );
    expect(() => new Maximum({ name: 'mx' }).apply([input({ batchShape: [2, 3] }), input({ batchShape: [4, 3] })])).to.throw(
      LayerError, 'mx (Maximum): cannot merge inputs with different batch sizes; received shapes [2, 3], [4, 3]',
    );
  });

  it('also checks shapes when called on real tensors', () => {
    const ts = [tensor(a, [2, 3]), tensor(b, [3, 2])];
    expect(() => new Average({ name: 'avg' }).apply(ts)).to.throw(LayerError, 'avg (Average): ');
    ts.forEach((t) => t.dispose());
  });

  it('passes on the AND of the input masks', async () => {
    const x1 = input({ shape: [3, 2] });
    const x2 = input({ shape: [3, 2] });
    const recorder = new MaskRecorder();
    const merged = new Add().apply([new Masking().apply(x1) as SymbolicTensor, new Masking().apply(x2) as SymbolicTensor]) as SymbolicTensor;
    const model = new LayersModel({ inputs: [x1, x2], outputs: recorder.apply(merged) as SymbolicTensor });
    const t1 = tensor([1, 1, 0, 0, 1, 1], [1, 3, 2]);
    const t2 = tensor([1, 1, 1, 1, 0, 0], [1, 3, 2]);
    const y = model.apply([t1, t2]) as Tensor;
    expect(await values(recorder.received!)).to.deep.equal([1, 0, 0]);
    [t1, t2, y, recorder.received!].forEach((t) => t.dispose());
  });
});

describe('Concatenate', () => {
  it('joins along an axis and infers the shape', async () => {
    expect(shapeOf(concatenate().apply([input({ shape: [3] }), input({ shape: [5] })]) as SymbolicTensor)).to.deep.equal([null, 8]);
    expect(shapeOf(concatenate({ axis: 1 }).apply([input({ shape: [2, 4] }), input({ shape: [null, 4] })]) as SymbolicTensor)).to.deep.equal([null, null, 4]);
    const a = data(4, 1);
    const b = data(6, 2);
    const y = new Concatenate({ axis: -1 }).apply([tensor(a, [2, 2]), tensor(b, [2, 3])]) as Tensor;
    expectClose(await values(y), [a[0]!, a[1]!, b[0]!, b[1]!, b[2]!, a[2]!, a[3]!, b[3]!, b[4]!, b[5]!]);
    const shapes = [[2, 2], [2, 3]];
    const layer = new Concatenate();
    expectClose((await analyticGrads(layer, [a, b], shapes)).flat(), (await numericGrads(layer, [a, b], shapes)).flat(), { atol: 2e-2 });
    expect(roundTrip(new Concatenate({ axis: 1 })).getConfig().axis).to.equal(1);
  });

  it('reports mismatched dims at definition', () => {
    expect(() => new Concatenate({ name: 'cat' }).apply([input({ shape: [2, 3] }), input({ shape: [4, 3] })])).to.throw(
      LayerError, 'cat (Concatenate): inputs must match in every dim except the concatenation axis -1; received shapes [null, 2, 3], [null, 4, 3], which differ in dim 1',
    );
    expect(() => new Concatenate({ name: 'cat2' }).apply([input({ shape: [2, 3] }), input({ shape: [3] })])).to.throw(
      LayerError, 'cat2 (Concatenate): inputs must all have the same rank to be joined along axis -1; received shapes [null, 2, 3], [null, 3]',
    );
    expect(() => new Concatenate({ name: 'cat3', axis: 3 }).apply([input({ shape: [3] }), input({ shape: [3] })])).to.throw(
      LayerError, 'cat3 (Concatenate): axis 3 is out of range for inputs of rank 2 (shapes [null, 3], [null, 3]); use an axis in [-2, 1]',
    );
  });

  it('joins masks, treating inputs without one as unmasked', async () => {
    const x1 = input({ shape: [3, 2] });
    const x2 = input({ shape: [3, 1] });
    const recorder = new MaskRecorder();
    const joined = new Concatenate().apply([new Masking().apply(x1) as SymbolicTensor, x2]) as SymbolicTensor;
    const model = new LayersModel({ inputs: [x1, x2], outputs: recorder.apply(joined) as SymbolicTensor });
    const t1 = tensor([1, 1, 0, 0, 1, 1], [1, 3, 2]);
    const t2 = tensor([0, 0, 0], [1, 3, 1]);
    const y = model.apply([t1, t2]) as Tensor;
    expect([...y.shape]).to.deep.equal([1, 3, 3]);
    expect(await values(recorder.received!)).to.deep.equal([1, 0, 1]);
    [t1, t2, y, recorder.received!].forEach((t) => t.dispose());
  });
});

describe('Dot', () => {
  /** Reference batch dot: contracts axis `a1` of x with `a2` of y (batch axis 0 shared). */
  function refDot(x: number[], xs: number[], y: number[], ys: number[], a1: number, a2: number): number[] {
    const strides = (s: number[]): number[] => s.map((_, i) => s.slice(i + 1).reduce((p, d) => p * d, 1));
    const [sx, sy] = [strides(xs), strides(ys)];
    const restX = xs.map((_, i) => i).filter((i) => i !== 0 && i !== a1);
    const restY = ys.map((_, i) => i).filter((i) => i !== 0 && i !== a2);
    const out: number[] = [];
    const iterate = (dims: number[], shape: number[], fn: (idx: number[]) => void, acc: number[] = []): void => {
      if (acc.length === dims.length) { fn(acc); return; }
      for (let i = 0; i < shape[dims[acc.length]!]!; i++) iterate(dims, shape, fn, [...acc, i]);
    };
    for (let b = 0; b < xs[0]!; b++) {
      iterate(restX, xs, (ix) => iterate(restY, ys, (iy) => {
        let s = 0;
        for (let k = 0; k < xs[a1]!; k++) {
          let ox = b * sx[0]! + k * sx[a1]!;
          ix.forEach((v, j) => { ox += v * sx[restX[j]!]!; });
          let oy = b * sy[0]! + k * sy[a2]!;
          iy.forEach((v, j) => { oy += v * sy[restY[j]!]!; });
          s += x[ox]! * y[oy]!;
        }
        out.push(s);
      }));
    }
    return out;
  }

  const cases: { xs: number[]; ys: number[]; axes: number | [number, number]; out: (number | null)[] }[] = [
    { xs: [2, 4], ys: [2, 4], axes: 1, out: [null, 1] },
    { xs: [2, 3, 4], ys: [2, 5, 4], axes: [2, 2], out: [null, 3, 5] },
    { xs: [2, 3, 4], ys: [2, 4, 5], axes: [2, 1], out: [null, 3, 5] },
    { xs: [2, 3, 4], ys: [2, 3], axes: [1, 1], out: [null, 4] },
    { xs: [2, 4], ys: [2, 4, 3], axes: [-1, 1], out: [null, 3] },
  ];

  for (const { xs, ys, axes, out } of cases) {
    it(`contracts ${JSON.stringify(xs)} with ${JSON.stringify(ys)} on axes ${JSON.stringify(axes)}`, async () => {
      const layer = new Dot({ axes });
      expect(shapeOf(layer.apply([input({ shape: xs.slice(1) }), input({ shape: ys.slice(1) })]) as SymbolicTensor)).to.deep.equal(out);
      const x = data(xs.reduce((p, d) => p * d, 1), 4);
      const y = data(ys.reduce((p, d) => p * d, 1), 5);
      const [a1, a2] = (typeof axes === 'number' ? [axes, axes] : axes).map((a, i) => (a < 0 ? a + [xs, ys][i]!.length : a)) as [number, number];
      const before = memory().numTensors;
      const tx = tensor(x, xs);
      const ty = tensor(y, ys);
      const result = layer.apply([tx, ty]) as Tensor;
      expect([...result.shape]).to.deep.equal([2, ...out.slice(1)]);
      expectClose(await values(result), refDot(x, xs, y, ys, a1, a2), { atol: 1e-5 });
      [tx, ty, result].forEach((t) => t.dispose());
      expect(memory().numTensors).to.equal(before);
      expectClose((await analyticGrads(layer, [x, y], [xs, ys])).flat(), (await numericGrads(layer, [x, y], [xs, ys])).flat(), { atol: 2e-2, rtol: 2e-2 });
    });
  }

  it('normalize gives the cosine similarity', async () => {
    const u = [3, 4, 1, 0];
    const v = [4, 3, 0, 2];
    const y = new Dot({ axes: 1, normalize: true }).apply([tensor(u, [2, 2]), tensor(v, [2, 2])]) as Tensor;
    expectClose(await values(y), [24 / 25, 0], { atol: 1e-6 });
    expect(roundTrip(new Dot({ axes: [1, 2], normalize: true })).getConfig()).to.deep.include({ axes: [1, 2], normalize: true });
  });

  it('reports contracted-size mismatches and bad axes at definition', () => {
    expect(() => dot({ axes: 1, name: 'd' }).apply([input({ shape: [3] }), input({ shape: [4] })])).to.throw(
      LayerError, 'd (Dot): the contracted dims differ: 3 (axis 1 of input 0) vs 4 (axis 1 of input 1); received shapes [null, 3], [null, 4]',
    );
    expect(() => dot({ axes: 0, name: 'd0' }).apply([input({ shape: [3] }), input({ shape: [3] })])).to.throw(
      LayerError, 'd0 (Dot): axes 0 gives axis 0 for input 0 of shape [null, 3], which is the batch axis; use an axis in [1, 1] (or negative from the end)',
    );
    expect(() => dot({ axes: 1, name: 'd3' }).apply([input({ shape: [3] }), input({ shape: [3] }), input({ shape: [3] })])).to.throw(
      LayerError, 'd3 (Dot): expects a list of exactly 2 inputs, received 3',
    );
    expect(() => new Dot({ axes: 'last' as never })).to.throw(LayerError, "dot (Dot): option 'axes' must be an integer or a pair of integers [axisOfFirst, axisOfSecond]; received string \"last\"");
  });
});

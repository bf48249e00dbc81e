import { expect } from 'chai';
import { memory, ones, tensor, type Tensor, type Variable } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import { Layer, type CallArgs } from '../src/engine/layer.js';
import { LayersModel } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { MultiHeadAttention, multiHeadAttention } from '../src/layers/attention/index.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import { checkLayerGradients } from './layer-harness.js';
import { det } from './layers-recurrent-reference.js';

async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

interface MhaWeights {
  qk: number[]; qb: number[] | null; kk: number[]; kb: number[] | null; vk: number[]; vb: number[] | null; ok: number[]; ob: number[] | null;
}

function setDet(layer: MultiHeadAttention, seed: number): MhaWeights {
  const values = layer.weights.map((w, i) => det(w.size, seed + i, 0.7));
  const tensors = layer.weights.map((w, i) => tensor(values[i]!, [...w.shape]));
  layer.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  if (layer.useBias) {
    const [qk, qb, kk, kb, vk, vb, ok, ob] = values;
    return { qk: qk!, qb: qb!, kk: kk!, kb: kb!, vk: vk!, vb: vb!, ok: ok!, ob: ob! };
  }
  const [qk, kk, vk, ok] = values;
  return { qk: qk!, qb: null, kk: kk!, kb: null, vk: vk!, vb: null, ok: ok!, ob: null };
}

/** [rows][features] · kernel [features, heads, dim] (+ bias [heads, dim]) → [rows][heads][dim]. */
function project(x: number[][], kernel: number[], bias: number[] | null, heads: number, dim: number): number[][][] {
  return x.map((row) => Array.from({ length: heads }, (_, n) => Array.from({ length: dim }, (_, h) => {
    let s = bias ? bias[n * dim + h]! : 0;
    row.forEach((v, d) => (s += v * kernel[(d * heads + n) * dim + h]!));
    return s;
  })));
}

/**
 * Keras MultiHeadAttention in float64: project, scale the query by 1/sqrt(keyDim), logits
 * q·k, -1e9 added where the mask is false, softmax over the value positions, weighted values,
 * output projection over (heads, valueDim).
 */
function refMha(
  q: number[][][], v: number[][][], k: number[][][], w: MhaWeights, heads: number, keyDim: number, valueDim: number, out: number,
  mask?: (b: number, t: number, s: number) => boolean,
): { output: number[]; scores: number[] } {
  const output: number[] = [];
  const scores: number[] = [];
  const perBatchScores: number[][][][] = [];
  q.forEach((qb, b) => {
    const Q = project(qb, w.qk, w.qb, heads, keyDim);
    const K = project(k[b]!, w.kk, w.kb, heads, keyDim);
    const V = project(v[b]!, w.vk, w.vb, heads, valueDim);
    const P: number[][][] = [];
    for (let n = 0; n < heads; n++) {
      P.push(Q.map((qt, t) => {
        const logits = K.map((ks, s) => {
          let dot = 0;
          for (let h = 0; h < keyDim; h++) dot += (qt[n]![h]! / Math.sqrt(keyDim)) * ks[n]![h]!;
          return dot + (mask && !mask(b, t, s) ? -1e9 : 0);
        });
        const m = Math.max(...logits);
        const e = logits.map((l) => Math.exp(l - m));
        const z = e.reduce((a, c) => a + c, 0);
        return e.map((x) => x / z);
      }));
    }
    perBatchScores.push(P);
    Q.forEach((_qt, t) => {
      for (let o = 0; o < out; o++) {
        let s = w.ob ? w.ob[o]! : 0;
        for (let n = 0; n < heads; n++) {
          for (let h = 0; h < valueDim; h++) {
            let ctx = 0;
            V.forEach((vs, si) => (ctx += P[n]![t]![si]! * vs[n]![h]!));
            s += ctx * w.ok[(n * valueDim + h) * out + o]!;
          }
        }
        output.push(s);
      }
    });
  });
  perBatchScores.forEach((P) => P.forEach((rows) => rows.forEach((r) => scores.push(...r))));
  return { output, scores };
}

function rows3(values: number[], b: number, t: number, f: number): number[][][] {
  return Array.from({ length: b }, (_, i) => Array.from({ length: t }, (_, j) => values.slice((i * t + j) * f, (i * t + j + 1) * f)));
}

describe('MultiHeadAttention: values against a float64 reference', () => {
  beforeEach(() => resetLayerNames());

  it('self-attention with biases', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3 });
    mha.build([[null, 4, 5], [null, 4, 5]]);
    const w = setDet(mha, 1);
    const xs = det(2 * 4 * 5, 2, 1.2);
    const x = tensor(xs, [2, 4, 5]);
    const y = mha.apply([x, x]) as Tensor;
    expect(y.shape).to.deep.equal([2, 4, 5]);
    const r = refMha(rows3(xs, 2, 4, 5), rows3(xs, 2, 4, 5), rows3(xs, 2, 4, 5), w, 2, 3, 3, 5);
    expectClose(await read(y), r.output, { atol: 1e-5, rtol: 1e-4 });
    [x, y].forEach((t) => t.dispose());
    mha.dispose();
  });

  it('cross-attention with a separate key, valueDim, outputShape and no biases', async () => {
    const mha = new MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 4, outputShape: 6, useBias: false });
    const [qs, vs, ks] = [det(2 * 3 * 4, 1), det(2 * 5 * 3, 2), det(2 * 5 * 2, 3)];
    const [q, v, k] = [tensor(qs, [2, 3, 4]), tensor(vs, [2, 5, 3]), tensor(ks, [2, 5, 2])];
    mha.build([[null, 3, 4], [null, 5, 3], [null, 5, 2]]);
    const w = setDet(mha, 4);
    const y = mha.apply([q, v, k]) as Tensor;
    expect(y.shape).to.deep.equal([2, 3, 6]);
    const r = refMha(rows3(qs, 2, 3, 4), rows3(vs, 2, 5, 3), rows3(ks, 2, 5, 2), w, 3, 2, 4, 6);
    expectClose(await read(y), r.output, { atol: 1e-5, rtol: 1e-4 });
    [q, v, k, y].forEach((t) => t.dispose());
    mha.dispose();
  });

  it('attentionMask, returning the attention scores', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const [qs, vs] = [det(2 * 3 * 4, 5), det(2 * 4 * 4, 6)];
    const [q, v] = [tensor(qs, [2, 3, 4]), tensor(vs, [2, 4, 4])];
    mha.build([[null, 3, 4], [null, 4, 4]]);
    const w = setDet(mha, 2);
    const allowed = (b: number, t: number, s: number): boolean => (b + 2 * t + 3 * s) % 3 !== 0 || s === t;
    const maskValues = Array.from({ length: 2 * 3 * 4 }, (_, i) => allowed(Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4));
    const mask = tensor(maskValues, [2, 3, 4]);
    const [y, scores] = mha.apply([q, v], { attentionMask: mask, returnAttentionScores: true }) as Tensor[];
    expect(scores!.shape).to.deep.equal([2, 2, 3, 4]);
    const r = refMha(rows3(qs, 2, 3, 4), rows3(vs, 2, 4, 4), rows3(vs, 2, 4, 4), w, 2, 2, 2, 4, allowed);
    expectClose(await read(y!), r.output, { atol: 1e-5, rtol: 1e-4 });
    expectClose(await read(scores!), r.scores, { atol: 1e-6 });
    // A numeric 0/1 mask means the same.
    const numeric = tensor(maskValues.map((m) => (m ? 1 : 0)), [2, 3, 4]);
    const y2 = mha.apply([q, v], { attentionMask: numeric }) as Tensor;
    expectClose(await read(y2), r.output, { atol: 1e-5, rtol: 1e-4 });
    [q, v, mask, numeric, y!, y2, scores!].forEach((t) => t.dispose());
    mha.dispose();
  });

  it('useCausalMask: position t attends to positions <= t', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3 });
    const xs = det(2 * 4 * 3, 7);
    const x = tensor(xs, [2, 4, 3]);
    mha.build([[null, 4, 3], [null, 4, 3]]);
    const w = setDet(mha, 3);
    const [y, scores] = mha.apply([x, x], { useCausalMask: true, returnAttentionScores: true }) as Tensor[];
    const r = refMha(rows3(xs, 2, 4, 3), rows3(xs, 2, 4, 3), rows3(xs, 2, 4, 3), w, 2, 3, 3, 3, (_b, t, s) => s <= t);
    expectClose(await read(y!), r.output, { atol: 1e-5, rtol: 1e-4 });
    const p = await read(scores!);
    expect(p[1]).to.equal(0); // batch 0, head 0, t 0 cannot see s 1
    expectClose(p, r.scores, { atol: 1e-6 });
    [x, y!, scores!].forEach((t) => t.dispose());
    mha.dispose();
  });

  it('combines the query and value masks of its inputs with causal and explicit masks (AND)', async () => {
    const mha = new MultiHeadAttention({ numHeads: 1, keyDim: 4 });
    const xs = det(2 * 4 * 3, 9);
    const x = tensor(xs, [2, 4, 3]);
    mha.build([[null, 4, 3], [null, 4, 3]]);
    const w = setDet(mha, 8);
    const qMask = [[true, true, true, false], [true, true, true, true]];
    const vMask = [[true, true, false, false], [true, true, true, false]];
    const extra = (b: number, t: number, s: number): boolean => !(b === 1 && t === 3 && s === 1);
    const qm = tensor(qMask, [2, 4]);
    const vm = tensor(vMask, [2, 4]);
    const am = tensor(Array.from({ length: 32 }, (_, i) => extra(Math.floor(i / 16), Math.floor(i / 4) % 4, i % 4)), [2, 4, 4]);
    const y = mha.apply([x, x], { mask: [qm, vm], attentionMask: am, useCausalMask: true }) as Tensor;
    // Query position 3 of sample 0 is masked as a query: its row allows nothing but the value
    // mask and causal rows still leave it s <= 1 to attend to, so no row is fully masked.
    const allowed = (b: number, t: number, s: number): boolean => qMask[b]![t]! && vMask[b]![s]! && s <= t && extra(b, t, s);
    const rowOk = (b: number, t: number): boolean => [0, 1, 2, 3].some((s) => allowed(b, t, s));
    const r = refMha(rows3(xs, 2, 4, 3), rows3(xs, 2, 4, 3), rows3(xs, 2, 4, 3), w, 1, 4, 4, 3, allowed);
    const got = await read(y);
    // Compare the rows that attend somewhere; a fully masked row is Keras's uniform average.
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 4; t++) {
        if (!rowOk(b, t)) continue;
        expectClose(got.slice((b * 4 + t) * 3, (b * 4 + t + 1) * 3), r.output.slice((b * 4 + t) * 3, (b * 4 + t + 1) * 3), { atol: 1e-5, rtol: 1e-4 }, `b${b} t${t}`);
      }
    }
    expect(mha.computeMask([x, x], [qm, vm])).to.equal(qm);
    [x, qm, vm, am, y].forEach((t) => t.dispose());
    mha.dispose();
  });

  it('a multi-dimensional outputShape', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, outputShape: [2, 3] });
    const xs = det(1 * 3 * 4, 4);
    const x = tensor(xs, [1, 3, 4]);
    mha.build([[null, 3, 4], [null, 3, 4]]);
    expect(mha.weights.map((v) => v.shape).slice(-2)).to.deep.equal([[2, 2, 2, 3], [2, 3]]);
    const w = setDet(mha, 5);
    const y = mha.apply([x, x]) as Tensor;
    expect(y.shape).to.deep.equal([1, 3, 2, 3]);
    const r = refMha(rows3(xs, 1, 3, 4), rows3(xs, 1, 3, 4), rows3(xs, 1, 3, 4), w, 2, 2, 2, 6);
    expectClose(await read(y), r.output, { atol: 1e-5, rtol: 1e-4 });
    [x, y].forEach((t) => t.dispose());
    mha.dispose();
  });
});

describe('MultiHeadAttention: models, weights, config, errors', () => {
  beforeEach(() => resetLayerNames());

  it('has Keras 3\'s weights: query/key/value/attention_output kernels and biases', () => {
    const mha = new MultiHeadAttention({ numHeads: 4, keyDim: 8, valueDim: 6 });
    mha.build([[null, 10, 16], [null, 12, 20], [null, 12, 24]]);
    expect(mha.weightEntries.map((w) => w.name)).to.deep.equal([
      'query/kernel', 'query/bias', 'key/kernel', 'key/bias', 'value/kernel', 'value/bias', 'attention_output/kernel', 'attention_output/bias',
    ].map((n) => `multi_head_attention/${n}`));
    expect(mha.weights.map((w) => w.shape)).to.deep.equal([[16, 4, 8], [4, 8], [24, 4, 8], [4, 8], [20, 4, 6], [4, 6], [4, 6, 16], [16]]);
    mha.dispose();
  });

  it('infers shapes in a functional model, including the scores, and feeds a symbolic attentionMask', async () => {
    const q = input({ shape: [3, 4] });
    const v = input({ shape: [5, 2] });
    const m = input({ shape: [3, 5], dtype: 'bool' });
    const mha = multiHeadAttention({ numHeads: 2, keyDim: 3 });
    const outs = mha.apply([q, v], { attentionMask: m, returnAttentionScores: true }) as SymbolicTensor[];
    expect(outs.map((t) => t.shape)).to.deep.equal([[null, 3, 4], [null, 2, 3, 5]]);
    expect((mha.apply([q, v]) as SymbolicTensor).shape).to.deep.equal([null, 3, 4]);
    const model = new LayersModel({ inputs: [q, v, m], outputs: outs });
    const [qt, vt] = [tensor(det(24, 1), [2, 3, 4]), tensor(det(20, 2), [2, 5, 2])];
    const mt = tensor(Array.from({ length: 30 }, (_, i) => i % 4 !== 1), [2, 3, 5]);
    const [y, s] = model.call([qt, vt, mt]) as Tensor[];
    const [y2, s2] = mha.apply([qt, vt], { attentionMask: mt, returnAttentionScores: true }) as Tensor[];
    expectClose(await read(y!), await read(y2!));
    expectClose(await read(s!), await read(s2!));
    [qt, vt, mt, y!, s!, y2!, s2!].forEach((t) => t.dispose());
    model.dispose();
  });

  it('getConfig rebuilds an equivalent layer through the registry', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2, outputShape: 5, dropout: 0.1, attentionAxes: 1, seed: 4, kernelRegularizer: { className: 'L2', config: { l2: 0.1 } } });
    mha.build([[null, 4, 3], [null, 4, 3]]);
    setDet(mha, 1);
    const config = JSON.parse(JSON.stringify(mha.getConfig())) as Record<string, unknown>;
    expect(config).to.deep.include({ numHeads: 2, keyDim: 3, valueDim: 2, outputShape: [5], dropout: 0.1, useBias: true, attentionAxes: [1], seed: 4 });
    const again = layerRegistry.get({ className: 'MultiHeadAttention', config: { ...config, name: 'copy' } }) as MultiHeadAttention;
    again.build([[null, 4, 3], [null, 4, 3]]);
    const w = mha.getWeights();
    again.setWeights(w);
    w.forEach((t) => t.dispose());
    expect({ ...again.getConfig(), name: mha.name }).to.deep.equal(config);
    const x = tensor(det(24, 3), [2, 4, 3]);
    const [a, b] = [mha.apply([x, x]) as Tensor, again.apply([x, x]) as Tensor];
    expectClose(await read(b), await read(a));
    [x, a, b].forEach((t) => t.dispose());
    mha.dispose();
    again.dispose();
  });

  it('drops attention probabilities only while training', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 0.5, seed: 1 });
    const x = tensor(det(2 * 5 * 3, 1), [2, 5, 3]);
    const a = mha.apply([x, x], { returnAttentionScores: true }) as Tensor[];
    const b = mha.apply([x, x], { returnAttentionScores: true, training: false }) as Tensor[];
    const c = mha.apply([x, x], { training: true }) as Tensor;
    expectClose(await read(b[0]!), await read(a[0]!));
    expect(await read(c)).to.not.deep.equal(await read(a[0]!));
    [x, ...a, ...b, c].forEach((t) => t.dispose());
    mha.dispose();
  });

  it('refuses bad options and inputs, naming them', () => {
    expect(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2 })).to.throw(LayerError, "multi_head_attention (MultiHeadAttention): option 'numHeads' must be an integer >= 1; received number 0");
    expect(() => new MultiHeadAttention({ numHeads: 2 } as never)).to.throw(LayerError, "option 'keyDim' must be given (an integer >= 1); received undefined");
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, outputShape: [0] })).to.throw(LayerError, "option 'outputShape' must be a positive integer or a non-empty array of them; received array [0]");
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [2] })).to.throw(LayerError,
      "option 'attentionAxes' supports only attention over the sequence axis (null, 1, [1] or [-2]) for [batch, length, features] inputs; received array [2]");
    const x = input({ shape: [3, 4] });
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'att' }).apply(x)).to.throw(LayerError,
      'att (MultiHeadAttention): expects [query, value] or [query, value, key], received a single input of shape [null, 3, 4]; for self-attention pass [x, x]');
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'att2' }).apply([input({ shape: [4] }), x])).to.throw(LayerError,
      'att2 (MultiHeadAttention): expected query of rank 3 ([batch, length, features]), received shape [null, 4] (rank 2)');
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'att3' }).apply([x, x, input({ shape: [5, 4] })])).to.throw(LayerError,
      'att3 (MultiHeadAttention): value and key must have the same length; received value [null, 3, 4] and key [null, 5, 4]');
    const built = new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'att4' });
    built.apply([x, x]);
    expect(() => built.apply([x, input({ shape: [3, 6] })])).to.throw(LayerError, 'att4 (MultiHeadAttention): expected input 1 with last dimension 4, received shape [null, 3, 6]');
    expect(() => built.apply([x, x], { attentionMask: input({ shape: [3, 5], dtype: 'bool' }) })).to.throw(LayerError,
      'att4 (MultiHeadAttention): attentionMask must have shape [batch, T, S] = [null, 3, 3], received shape [null, 3, 5]');
    const xt = ones([2, 3, 4]);
    const bad = ones([2, 3, 2]);
    expect(() => built.apply([xt, xt], { attentionMask: bad })).to.throw(LayerError,
      'att4 (MultiHeadAttention): attentionMask must have shape [batch, T, S] = [2, 3, 3] (query length T, value length S), received shape [2, 3, 2]');
    [xt, bad].forEach((t) => t.dispose());
    built.dispose();
  });

  it('gradients of the input and all weights (finite differences), and no leaks', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    mha.build([[null, 3, 2], [null, 3, 2]]);
    setDet(mha, 6);
    // Self-attention as a one-input layer for the harness.
    class SelfAttention extends Layer {
      static override readonly className = 'SelfAttention';
      override call(x: Tensor | Tensor[], args: CallArgs = {}): Tensor {
        return mha.invoke([x as Tensor, x as Tensor], { ...args, useCausalMask: true }) as Tensor;
      }
      override get trainableWeights(): Variable[] {
        return mha.trainableWeights;
      }
    }
    const x = tensor(det(12, 2), [2, 3, 2]);
    const before = memory().numTensors;
    await checkLayerGradients(new SelfAttention({}), x);
    (mha.apply([x, x], { training: true, returnAttentionScores: true }) as Tensor[]).forEach((t) => t.dispose());
    expect(memory().numTensors).to.equal(before);
    x.dispose();
    mha.dispose();
  });
});

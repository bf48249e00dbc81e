import { tensor, type Tensor } from '@strata/core';
import { input } from '../src/engine/input-layer.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { Dense, type DenseArgs } from '../src/layers/core/dense.js';
import type { ProgressStream } from '../src/training/types.js';

/** A small deterministic generator (LCG) so test data never depends on the library's RNG. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Two interleaved spirals: 2-D points with labels 0/1 (float `[N, 1]`) and one-hot `[N, 2]`. */
export function spirals(n: number, seed = 1): { x: number[][]; y: number[] } {
  const rand = lcg(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const t = 0.25 + 2.5 * Math.PI * rand() ** 0.8;
    const r = t / (2.75 * Math.PI);
    const angle = t + cls * Math.PI;
    x.push([r * Math.cos(angle) + 0.02 * (rand() - 0.5), r * Math.sin(angle) + 0.02 * (rand() - 0.5)]);
    y.push(cls);
  }
  return { x, y };
}

/** Concentric circles: inner ring class 0, outer ring class 1. */
export function circles(n: number, seed = 2): { x: number[][]; y: number[] } {
  const rand = lcg(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const r = (cls === 0 ? 0.3 : 0.8) + 0.1 * (rand() - 0.5);
    const a = 2 * Math.PI * rand();
    x.push([r * Math.cos(a), r * Math.sin(a)]);
    y.push(cls);
  }
  return { x, y };
}

/** A dense layer whose kernel and bias start at constants. */
export function constDense(args: DenseArgs & { k?: number; b?: number }): Dense {
  const { k = 0.1, b = 0, ...rest } = args;
  return new Dense({ ...rest, kernelInitializer: { className: 'Constant', config: { value: k } }, biasInitializer: { className: 'Constant', config: { value: b } } });
}

/** A Sequential MLP on `inputDim` features. */
export function mlp(inputDim: number, hidden: number[], units: number, activation?: DenseArgs['activation']): Sequential {
  const layers = hidden.map((h, i) => new Dense({ units: h, activation: 'tanh', ...(i === 0 ? { inputShape: [inputDim] } : {}) }));
  layers.push(new Dense({ units, activation, ...(hidden.length === 0 ? { inputShape: [inputDim] } : {}) }));
  return new Sequential({ layers });
}

/** A linear model y = x w + b on `inputDim` features with constant initial weights. */
export function linear(inputDim: number, units = 1, k = 0.1, b = 0): Sequential {
  return new Sequential({ layers: [constDense({ units, inputShape: [inputDim], k, b })] });
}

/** A functional model with two inputs `a` [3] and `b` [2] and two outputs `reg` [1] and `cls` [3] (softmax). */
export function twoByTwo(): LayersModel {
  const a = input({ shape: [3], name: 'a' });
  const b = input({ shape: [2], name: 'b' });
  const ha = constDense({ units: 4, k: 0.1, name: 'ha' }).apply(a) as never;
  const hb = constDense({ units: 4, k: -0.1, b: 0.05, name: 'hb' }).apply(b) as never;
  const reg = constDense({ units: 1, k: 0.2, name: 'reg' }).apply(ha) as never;
  const cls = constDense({ units: 3, k: 0.05, name: 'cls', activation: 'softmax' }).apply(hb) as never;
  return new LayersModel({ inputs: [a, b], outputs: [reg, cls], name: 'two_by_two' });
}

/** A stream that records what is written, as a TTY or not. */
export function captureStream(isTTY: boolean): ProgressStream & { text: () => string; chunks: string[] } {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => chunks.push(s), chunks, text: () => chunks.join('') };
}

/** The values of a tensor as a plain array. */
export async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** The values of each of a model's weights. */
export async function weightValues(model: LayersModel): Promise<number[][]> {
  const ws = model.getWeights();
  const out = await Promise.all(ws.map((w) => values(w)));
  ws.forEach((w) => w.dispose());
  return out;
}

/** `[N, 1]` float labels from class indices. */
export function column(ys: number[]): Tensor {
  return tensor(ys.map((v) => [v]));
}

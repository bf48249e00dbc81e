import { mul, sum, tensor, tidy, valueAndGrads, variableGrads, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import type { CallArgs, Layer } from '../src/engine/layer.js';

/** Options of `checkLayerGradients`. */
export interface LayerGradOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Call arguments (e.g. `{ training: true }` for layers whose training path is deterministic). */
  args?: CallArgs;
  /** Skip the input gradient (integer inputs such as token ids). */
  skipInput?: boolean;
}

/**
 * Finite-difference check of a layer's gradients with respect to its input and every trainable
 * weight. The objective is `sum(layer(x) * w)` for a fixed weighting `w`; central differences in
 * float32 need loose tolerances (default atol/rtol 2e-2, eps 1e-2).
 *
 * @example
 * await checkLayerGradients(new Dense({ units: 3 }), tensor(randomValues(8, 1), [2, 4]));
 */
export async function checkLayerGradients(layer: Layer, x: Tensor, options: LayerGradOptions = {}): Promise<void> {
  const eps = options.eps ?? 1e-2;
  const tol = { atol: options.atol ?? 2e-2, rtol: options.rtol ?? 2e-2 };
  const args = options.args ?? {};
  const run = (input: Tensor): Tensor => layer.invoke(input, args) as Tensor;
  const probe = tidy(() => run(x));
  const w = tensor(Array.from({ length: probe.size }, (_, i) => 0.5 + ((i * 7919) % 13) / 13), [...probe.shape]);
  probe.dispose();
  const objective = (input: Tensor): Tensor => sum(mul(run(input), w));
  const value = async (): Promise<number> => {
    const v = tidy(() => objective(x));
    const [n] = await v.data();
    v.dispose();
    return n!;
  };
  try {
    // Input gradient.
    if (!options.skipInput) {
      const { value: v, grads } = valueAndGrads((input: Tensor) => objective(input))([x]);
      v.dispose();
      const host = await x.data();
      const numeric: number[] = [];
      for (let i = 0; i < x.size; i++) {
        const at = async (delta: number): Promise<number> => {
          const shifted = Float32Array.from(host);
          shifted[i] = shifted[i]! + delta;
          const t = tensor(shifted, [...x.shape]);
          const out = tidy(() => objective(t));
          const [n] = await out.data();
          t.dispose();
          out.dispose();
          return n!;
        };
        numeric.push(((await at(eps)) - (await at(-eps))) / (2 * eps));
      }
      expectClose(await grads[0]!.data(), numeric, tol, `${layer.name}: gradient of the input`);
      grads[0]!.dispose();
    }
    // Weight gradients.
    const weights = layer.trainableWeights;
    const { value: v, grads } = variableGrads(() => objective(x), weights);
    v.dispose();
    for (const weight of weights) {
      const host = Float32Array.from(await weight.data());
      const numeric: number[] = [];
      for (let i = 0; i < weight.size; i++) {
        const at = async (delta: number): Promise<number> => {
          const shifted = Float32Array.from(host);
          shifted[i] = shifted[i]! + delta;
          const t = tensor(shifted, [...weight.shape]);
          weight.assign(t);
          t.dispose();
          return value();
        };
        numeric.push(((await at(eps)) - (await at(-eps))) / (2 * eps));
      }
      const restore = tensor(host, [...weight.shape]);
      weight.assign(restore);
      restore.dispose();
      expectClose(await grads[weight.name]!.data(), numeric, tol, `${layer.name}: gradient of weight ${weight.name}`);
    }
    for (const g of Object.values(grads)) g.dispose();
  } finally {
    w.dispose();
  }
}

import { expect } from 'chai';
import { grad, mul, sum, tensor, tidy, type Tensor } from '@strata/core';
import { size, uniformArray } from './losses-helpers.js';

/** Options of `checkLossGradient`. */
export interface GradCheckOptions {
  /** Step of the central difference; default 1e-3. */
  h?: number;
  rtol?: number;
  atol?: number;
}

/**
 * Compares the autograd gradient of `f` at `x0` with central differences
 * `(L(x + h e_i) - L(x - h e_i)) / 2h`, where `L(x) = sum(w * f(x))` with fixed random weights `w`
 * (so an error that permutes or mixes the outputs' gradients cannot cancel out). The forward
 * values are float32; their weighted sums are taken in float64 on the host.
 */
export async function checkLossGradient(f: (x: Tensor) => Tensor, x0: Float32Array, shape: readonly number[], options: GradCheckOptions = {}): Promise<void> {
  const { h = 1e-3, rtol = 2e-2, atol = 2e-3 } = options;
  const x = tensor(x0, shape);
  const probe = f(x);
  const outShape = [...probe.shape];
  probe.dispose();
  const weights = uniformArray(size(outShape), 0.5, 1.5, 99);
  const w = tensor(weights, outShape);
  const analyticT = grad((v: Tensor) => sum(mul(f(v), w)))(x);
  const analytic = Array.from(await analyticT.data());
  analyticT.dispose();

  const forward = async (values: Float32Array): Promise<number> => {
    const y = tidy(() => f(tensor(values, shape)));
    const ys = await y.data();
    y.dispose();
    let total = 0;
    for (let i = 0; i < ys.length; i++) total += ys[i]! * weights[i]!;
    return total;
  };
  for (let i = 0; i < x0.length; i++) {
    const plus = Float32Array.from(x0);
    const minus = Float32Array.from(x0);
    plus[i] = x0[i]! + h;
    minus[i] = x0[i]! - h;
    // The float32 step actually taken, which may differ from h by rounding.
    const step = plus[i]! - minus[i]!;
    const numeric = ((await forward(plus)) - (await forward(minus))) / step;
    const a = analytic[i]!;
    if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
      x.dispose();
      w.dispose();
      expect.fail(`gradient [${i}] (x = ${x0[i]}): autograd ${a}, central difference ${numeric}`);
    }
  }
  x.dispose();
  w.dispose();
}

import { add, matmul, mul, split, sub, type Tensor } from '@strata/core';

// The per-step math of the built-in cells, as plain functions of tensors so an engine can later
// replace one with a fused kernel. Each takes the step's input already multiplied by the input
// kernel (plus the input bias): the recurrent layers do that product for all steps at once.

/** An elementwise activation. */
export type StepActivation = (x: Tensor) => Tensor;

/**
 * One SimpleRNN step: `h = activation(xw + hPrev · recurrentKernel)`.
 *
 * @example
 * const h = simpleRnnStep(xw, hPrev, recurrentKernel, tanh);
 */
export function simpleRnnStep(xw: Tensor, hPrev: Tensor, recurrentKernel: Tensor, activation: StepActivation): Tensor {
  return activation(add(xw, matmul(hPrev, recurrentKernel)));
}

/**
 * One LSTM step with Keras's gate order i, f, c, o in the 4·units columns:
 * `z = xw + hPrev · U`, `c = f ⊙ cPrev + i ⊙ activation(z_c)`, `h = o ⊙ activation(c)`, the gates
 * through `recurrentActivation`.
 *
 * @example
 * const { h, c } = lstmStep(xw, hPrev, cPrev, recurrentKernel, tanh, sigmoid);
 */
export function lstmStep(
  xw: Tensor, hPrev: Tensor, cPrev: Tensor, recurrentKernel: Tensor,
  activation: StepActivation, recurrentActivation: StepActivation,
): { h: Tensor; c: Tensor } {
  const [zi, zf, zc, zo] = split(add(xw, matmul(hPrev, recurrentKernel)), 4, -1) as [Tensor, Tensor, Tensor, Tensor];
  const c = add(mul(recurrentActivation(zf), cPrev), mul(recurrentActivation(zi), activation(zc)));
  const h = mul(recurrentActivation(zo), activation(c));
  return { h, c };
}

/** The recurrent weights of a GRU step. */
export interface GruStepWeights {
  /** `resetAfter`: the whole recurrent kernel `[units, 3·units]`; otherwise its z and r columns `[units, 2·units]`. */
  recurrentKernel: Tensor;
  /** `resetAfter: false` only: the candidate columns `[units, units]`, applied to `r ⊙ h`. */
  candidateKernel?: Tensor;
  /** `resetAfter` only: the recurrent bias `[3·units]` (the second row of Keras's `[2, 3·units]` bias). */
  recurrentBias?: Tensor | null;
}

/**
 * One GRU step with Keras's gate order z, r, h. With `resetAfter` (Keras 3's default, cuDNN's
 * variant) the reset gate multiplies `hPrev · U_h + b_h`; without it (TF.js's only variant), it
 * multiplies `hPrev` before the product. `hRec` is the state fed to the recurrent products (the
 * state after recurrent dropout); the update mixes the undropped `hPrev`:
 * `h = z ⊙ hPrev + (1 - z) ⊙ hh`.
 *
 * @example
 * const h = gruStep(xw, hPrev, hPrev, { recurrentKernel }, true, tanh, sigmoid);
 */
export function gruStep(
  xw: Tensor, hPrev: Tensor, hRec: Tensor, weights: GruStepWeights, resetAfter: boolean,
  activation: StepActivation, recurrentActivation: StepActivation,
): Tensor {
  const [xz, xr, xh] = split(xw, 3, -1) as [Tensor, Tensor, Tensor];
  let z: Tensor;
  let hh: Tensor;
  if (resetAfter) {
    let inner = matmul(hRec, weights.recurrentKernel);
    if (weights.recurrentBias) inner = add(inner, weights.recurrentBias);
    const [rz, rr, rh] = split(inner, 3, -1) as [Tensor, Tensor, Tensor];
    z = recurrentActivation(add(xz, rz));
    const r = recurrentActivation(add(xr, rr));
    hh = activation(add(xh, mul(r, rh)));
  } else {
    const [rz, rr] = split(matmul(hRec, weights.recurrentKernel), 2, -1) as [Tensor, Tensor];
    z = recurrentActivation(add(xz, rz));
    const r = recurrentActivation(add(xr, rr));
    hh = activation(add(xh, matmul(mul(r, hRec), weights.candidateKernel!)));
  }
  return add(mul(z, hPrev), mul(sub(1, z), hh));
}

// Float64 reference implementations of the recurrent cells, written from the Keras equations and
// independent of the code under test, shared by the recurrent, wrapper and training tests.

/** Deterministic values in [-scale, scale] (no RNG, so every test sees the same numbers). */
export function det(n: number, seed: number, scale = 0.5): number[] {
  return Array.from({ length: n }, (_, i) => scale * Math.sin(seed * 12.9898 + i * 78.233 + (i * i) * 0.37));
}

export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
export const tanh = Math.tanh;

/** `x · W` for a row vector and a row-major `[rows, cols]` matrix given flat. */
export function vecMat(x: readonly number[], w: readonly number[], cols: number, colStart = 0, colCount = cols - colStart): number[] {
  const out = new Array<number>(colCount).fill(0);
  for (let j = 0; j < colCount; j++) {
    let s = 0;
    for (let k = 0; k < x.length; k++) s += x[k]! * w[k * cols + colStart + j]!;
    out[j] = s;
  }
  return out;
}

/** One step of a cell for one sample: input row, states in; output and states out. */
export type RefCell = (x: readonly number[], states: readonly number[][]) => { output: number[]; states: number[][] };

export interface SimpleRnnWeights { kernel: number[]; recurrent: number[]; bias: number[] | null; units: number; activation?: (v: number) => number }

export function simpleRnnCell(w: SimpleRnnWeights): RefCell {
  const act = w.activation ?? tanh;
  const u = w.units;
  return (x, [h]) => {
    const xw = vecMat(x, w.kernel, u);
    const hu = vecMat(h!, w.recurrent, u);
    const out = xw.map((v, j) => act(v + hu[j]! + (w.bias ? w.bias[j]! : 0)));
    return { output: out, states: [out] };
  };
}

export interface LstmWeights { kernel: number[]; recurrent: number[]; bias: number[] | null; units: number }

/** Keras LSTM: z = xW + hU + b, gates i, f, c, o; c' = f c + i tanh(z_c); h' = o tanh(c'). */
export function lstmCell(w: LstmWeights): RefCell {
  const u = w.units;
  return (x, [h, c]) => {
    const xw = vecMat(x, w.kernel, 4 * u);
    const hu = vecMat(h!, w.recurrent, 4 * u);
    const z = xw.map((v, j) => v + hu[j]! + (w.bias ? w.bias[j]! : 0));
    const cNew: number[] = [];
    const hNew: number[] = [];
    for (let j = 0; j < u; j++) {
      const i = sigmoid(z[j]!);
      const f = sigmoid(z[u + j]!);
      const g = tanh(z[2 * u + j]!);
      const o = sigmoid(z[3 * u + j]!);
      cNew[j] = f * c![j]! + i * g;
      hNew[j] = o * tanh(cNew[j]!);
    }
    return { output: hNew, states: [hNew, cNew] };
  };
}

export interface GruWeights { kernel: number[]; recurrent: number[]; bias: number[] | null; units: number; resetAfter: boolean }

/**
 * Keras GRU, gates z, r, h. resetAfter: bias rows [input; recurrent], hh = tanh(x_h + r ⊙ (h U_h + b_rh)).
 * Otherwise one bias, hh = tanh(x_h + (r ⊙ h) U_h). Then h' = z h + (1 - z) hh.
 */
export function gruCell(w: GruWeights): RefCell {
  const u = w.units;
  return (x, [h]) => {
    const inBias = w.bias ? (w.resetAfter ? w.bias.slice(0, 3 * u) : w.bias) : new Array<number>(3 * u).fill(0);
    const recBias = w.bias && w.resetAfter ? w.bias.slice(3 * u) : new Array<number>(3 * u).fill(0);
    const xw = vecMat(x, w.kernel, 3 * u).map((v, j) => v + inBias[j]!);
    const out: number[] = [];
    if (w.resetAfter) {
      const inner = vecMat(h!, w.recurrent, 3 * u).map((v, j) => v + recBias[j]!);
      for (let j = 0; j < u; j++) {
        const z = sigmoid(xw[j]! + inner[j]!);
        const r = sigmoid(xw[u + j]! + inner[u + j]!);
        const hh = tanh(xw[2 * u + j]! + r * inner[2 * u + j]!);
        out[j] = z * h![j]! + (1 - z) * hh;
      }
    } else {
      const inner = vecMat(h!, w.recurrent, 3 * u, 0, 2 * u);
      const r = Array.from({ length: u }, (_, j) => sigmoid(xw[u + j]! + inner[u + j]!));
      const rh = vecMat(h!.map((v, j) => v * r[j]!), w.recurrent, 3 * u, 2 * u, u);
      for (let j = 0; j < u; j++) {
        const z = sigmoid(xw[j]! + inner[j]!);
        const hh = tanh(xw[2 * u + j]! + rh[j]!);
        out[j] = z * h![j]! + (1 - z) * hh;
      }
    }
    return { output: out, states: [out] };
  };
}

export interface RefRunOptions {
  returnSequences?: boolean;
  goBackwards?: boolean;
  /** [batch][time], false = masked. */
  mask?: boolean[][];
  /** [state][batch][units]. */
  initialStates?: number[][][];
  zeroOutputForMask?: boolean;
}

export interface RefRunResult {
  /** [batch][units] or [batch][time][units]. */
  output: number[][] | number[][][];
  /** [state][batch][units]. */
  states: number[][][];
}

/**
 * The Keras RNN loop for each sample: masked steps keep the states and output the previous first
 * state (zeros with zeroOutputForMask); goBackwards walks time from the end and returns outputs in
 * that order.
 */
export function refRun(x: number[][][], cell: RefCell, stateCount: number, units: number, opts: RefRunOptions = {}): RefRunResult {
  const batch = x.length;
  const time = x[0]!.length;
  const outputs: number[][][] = [];
  const last: number[][] = [];
  const finalStates: number[][][] = Array.from({ length: stateCount }, () => []);
  for (let b = 0; b < batch; b++) {
    let states = Array.from({ length: stateCount }, (_, s) => [...(opts.initialStates?.[s]?.[b] ?? new Array<number>(units).fill(0))]);
    const seq: number[][] = [];
    let out: number[] = new Array<number>(units).fill(0);
    for (let k = 0; k < time; k++) {
      const t = opts.goBackwards ? time - 1 - k : k;
      if (opts.mask && !opts.mask[b]![t]) {
        out = opts.zeroOutputForMask ? new Array<number>(units).fill(0) : [...states[0]!];
      } else {
        const r = cell(x[b]![t]!, states);
        out = r.output;
        states = r.states;
      }
      seq.push(out);
    }
    outputs.push(seq);
    last.push(out);
    states.forEach((s, i) => finalStates[i]!.push(s));
  }
  return { output: opts.returnSequences ? outputs : last, states: finalStates };
}

/** Nested arrays flattened row-major. */
export function flat(a: unknown): number[] {
  return Array.isArray(a) ? a.flatMap((v) => flat(v)) : [a as number];
}

/** [batch][time][features] from a flat array. */
export function to3d(values: readonly number[], b: number, t: number, f: number): number[][][] {
  return Array.from({ length: b }, (_, i) => Array.from({ length: t }, (_, j) => values.slice((i * t + j) * f, (i * t + j + 1) * f)));
}

import { expect } from 'chai';
import { disposeAfter, grads, memory, mul, sum, tensor, tidy, type Tensor, type NestedArray } from '@strata/core';
import type { FastPath } from '@strata/engine-api';

/** Tolerances for comparing float32 results with reference values. */
export interface Tolerance {
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
}

/** What each case group receives: the engine's name and its list of expected failures. */
export interface SuiteContext {
  engineName: string;
  /** Case ids this engine is known to fail, with the reason. */
  expectedFailures: Readonly<Record<string, string>>;
}

function flat(values: NestedArray | readonly number[] | ArrayLike<number>): number[] {
  if (typeof values === 'number' || typeof values === 'boolean') return [Number(values)];
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (ArrayBuffer.isView(v)) out.push(...Array.from(v as unknown as ArrayLike<number>));
    else out.push(Number(v));
  };
  walk(values);
  return out;
}

/**
 * Asserts that two lists of numbers agree elementwise: NaN matches NaN, infinities match exactly,
 * finite values within `atol + rtol * |expected|`.
 *
 * @example
 * expectClose([1, NaN], [1.0000001, NaN]);
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = {}, label = 'values'): void {
  const atol = tol.atol ?? 1e-5;
  const rtol = tol.rtol ?? 1e-5;
  expect(actual.length, `${label}: element count`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]);
    const e = Number(expected[i]);
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${label}[${i}]: expected NaN, got ${a}`).to.equal(true);
    } else if (!Number.isFinite(e)) {
      expect(a, `${label}[${i}]`).to.equal(e);
    } else if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${label}[${i}]: expected ${e}, got ${a} (|diff| ${Math.abs(a - e)} > ${atol} + ${rtol} * |expected|)`);
    }
  }
}

/**
 * Reads a tensor and asserts its shape, dtype (when given) and values.
 *
 * @example
 * await expectTensor(add(a, b), [4, 6], { shape: [2] });
 */
export async function expectTensor(
  t: Tensor,
  expected: NestedArray | readonly number[] | ArrayLike<number>,
  options: Tolerance & { shape?: readonly number[]; dtype?: string } = {},
): Promise<void> {
  if (options.shape) expect([...t.shape], 'shape').to.deep.equal([...options.shape]);
  if (options.dtype) expect(t.dtype, 'dtype').to.equal(options.dtype);
  const values = await t.data();
  if (t.dtype !== 'float32') {
    expect(Array.from(values), 'values').to.deep.equal(flat(expected));
  } else {
    expectClose(values, flat(expected), options);
  }
}

/** Options of `checkGradients`. */
export interface GradCheckOptions extends Tolerance {
  /** Finite-difference step (default 1e-2; central differences). */
  eps?: number;
  /** Inputs (by position) not to check, e.g. int32 indices. */
  skip?: readonly number[];
}

/**
 * Finite-difference gradient check. The scalar objective is `sum(f(...inputs) * w)` with a fixed
 * pseudo-random weight `w`, so every output element is exercised. Each checked input's analytic
 * gradient (from `grads`) must match central differences within tolerance (default atol 1e-2,
 * rtol 1e-2, which float32 evaluation needs).
 *
 * @example
 * await checkGradients((x) => exp(x), [tensor([0.1, -0.3])]);
 */
export async function checkGradients(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradCheckOptions = {}): Promise<void> {
  const eps = options.eps ?? 1e-2;
  const tol = { atol: options.atol ?? 1e-2, rtol: options.rtol ?? 1e-2 };
  const probe = tidy(() => f(...inputs));
  const weightValues = Array.from({ length: probe.size }, (_, i) => 0.5 + ((i * 7919) % 13) / 13);
  const weightShape = [...probe.shape];
  probe.dispose();
  const w = tensor(weightValues, weightShape);
  const objective = (...xs: Tensor[]): Tensor => sum(mul(f(...xs), w));
  const analytic = grads(objective)(inputs);
  try {
    const hostInputs = await Promise.all(inputs.map((t) => t.data()));
    const evaluate = async (k: number, i: number, delta: number): Promise<number> => {
      const values = Float32Array.from(hostInputs[k]!);
      values[i] = values[i]! + delta;
      const value = tidy(() => {
        const xs = inputs.map((t, j) => (j === k ? tensor(values, t.shape, t.dtype) : t));
        return objective(...xs);
      });
      const [v] = await value.data();
      value.dispose();
      return v!;
    };
    for (let k = 0; k < inputs.length; k++) {
      if (options.skip?.includes(k) || inputs[k]!.dtype !== 'float32') continue;
      const numeric: number[] = [];
      for (let i = 0; i < inputs[k]!.size; i++) {
        numeric.push(((await evaluate(k, i, eps)) - (await evaluate(k, i, -eps))) / (2 * eps));
      }
      expectClose(await analytic[k]!.data(), numeric, tol, `gradient of input ${k}`);
    }
  } finally {
    w.dispose();
    analytic.forEach((g) => g.dispose());
  }
}

/**
 * Runs `fn` and asserts that it leaves no tensor or buffer behind (its results are disposed by it).
 *
 * @example
 * await expectNoLeaks(async () => { const y = exp(x); await y.data(); y.dispose(); });
 */
export async function expectNoLeaks(fn: () => Promise<void> | void): Promise<void> {
  const before = memory();
  await fn();
  const after = memory();
  expect(after.numTensors, 'live tensors').to.equal(before.numTensors);
  expect(after.numDataBuffers, 'live buffers').to.equal(before.numDataBuffers);
  expect(after.engine.numBuffers, 'engine buffers').to.equal(before.engine.numBuffers);
}

/**
 * Declares a conformance case. A case listed in the engine's expected failures must fail (with
 * the reason printed); one that passes is reported, so the list is pruned when a bug is fixed.
 * Tensors a case leaves alive are freed after it, so one case cannot disturb the next.
 *
 * @example
 * conformanceCase(ctx, 'add.broadcast', async () => { ... });
 */
export function conformanceCase(ctx: SuiteContext, id: string, fn: () => Promise<void> | void): void {
  const reason = ctx.expectedFailures[id];
  if (reason === undefined) {
    it(id, () => disposeAfter(fn));
    return;
  }
  it(`${id} (expected failure on ${ctx.engineName}: ${reason})`, async () => {
    let failed = false;
    try {
      await disposeAfter(fn);
    } catch {
      failed = true;
    }
    expect(failed, `${id} now passes on ${ctx.engineName}: remove it from the expected failures`).to.equal(true);
  });
}

/**
 * A deterministic pseudo-random float array (for test inputs), values in [lo, hi).
 *
 * @example
 * randomValues(12, 3); // 12 values from seed 3
 */
export function randomValues(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

// A record over `FastPath` rather than a list, so a fast path added to the contract fails to
// compile here until it is hidden too (else its decomposition would silently go untested).
const FAST_PATHS: Record<FastPath, true> = {
  fusedMatmul: true, conv2d: true, conv2dBackpropInput: true, conv2dBackpropFilter: true, depthwiseConv2d: true,
  depthwiseConv2dBackpropInput: true, depthwiseConv2dBackpropFilter: true, maxPool: true, maxPoolBackward: true,
  avgPool: true, avgPoolBackward: true, softmax: true, logSoftmax: true, softmaxCrossEntropy: true, optimizerUpdate: true,
};

/**
 * The same engine with every optional fast path hidden, so core's decompositions run instead.
 *
 * @example
 * runConformance({ engineName: 'cpu (primitives only)', createEngine: () => withoutFastPaths(new CpuEngine()) });
 */
export function withoutFastPaths<E extends object>(engine: E): E {
  const hidden = new Set<string | symbol>(Object.keys(FAST_PATHS));
  return new Proxy(engine, {
    get: (target, key) => {
      if (hidden.has(key)) return undefined;
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
    has: (target, key) => !hidden.has(key) && Reflect.has(target, key),
  });
}

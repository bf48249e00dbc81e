import { expect } from 'chai';
import type { DType, Engine, HostArray, Shape, TensorInfo } from '@strata/engine-api';
import { CpuEngine } from '@strata/engine-cpu';
import type { WebGpuEngine } from '../src/index.js';

/** Deterministic values in [lo, hi) from an LCG; `ints` rounds them. */
export function lcgValues(n: number, seed: number, lo = -1, hi = 1, ints = false): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = lo + (s / 2 ** 32) * (hi - lo);
    out[i] = ints ? Math.floor(v) : v;
  }
  return out;
}

/** The same host values uploaded to the CPU engine and the WebGPU engine. */
export interface Pair {
  cpu: TensorInfo;
  gpu: TensorInfo;
}

/**
 * Runs `fn` on both engines with `values` uploaded as `shape`/`dtype`; returns both results read
 * back (every output of `fn`) and frees everything.
 */
export async function onBoth(
  gpu: WebGpuEngine, cpu: CpuEngine, values: ArrayLike<number>, shape: Shape, dtype: DType,
  fn: (engine: Engine, x: TensorInfo) => TensorInfo[],
): Promise<{ cpu: HostArray[]; gpu: HostArray[] }> {
  const results: { cpu: HostArray[]; gpu: HostArray[] } = { cpu: [], gpu: [] };
  for (const [name, engine] of [['cpu', cpu], ['gpu', gpu]] as const) {
    const host = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
    const x: TensorInfo = { dataId: engine.upload(host, shape, dtype), shape, dtype };
    const outs = fn(engine, x);
    for (const o of outs) {
      results[name].push(await engine.read(o));
      engine.dispose(o.dataId);
    }
    engine.dispose(x.dataId);
  }
  return results;
}

/** Element-wise agreement: NaN where NaN, equal infinities, else within atol + rtol * |expected|. */
export function expectAgree(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, atol = 0, rtol = 0): void {
  expect(actual.length, `${label}: length`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) expect.fail(`${label}[${i}]: expected ${e}, got ${a}`);
    } else if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${label}[${i}]: expected ${e}, got ${a}`);
    }
  }
}

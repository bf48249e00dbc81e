import { expect } from 'chai';
import type { Engine, Pool2DAttrs, Shape, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { CpuEngine } from '@strata/engine-cpu';
import { randomValues } from '@strata/conformance';
import type { WebGpuEngine } from '../src/index.js';
import { sharedEngine } from './shared-engine.js';

// The conformance cases avoid ties (the decomposition shares a tied gradient; the kernels give it
// to the first maximum) and use small inputs. These compare the four pooling kernels with the
// CPU engine on larger inputs full of ties, with NaN and ±Infinity, overlapping windows and
// windows that hang into or lie entirely in the padding.

interface Case {
  x: [number, number, number, number];
  window: [number, number];
  strides: [number, number];
  /** top, bottom, left, right */
  pad: [number, number, number, number];
}

const cpu = new CpuEngine();
let gpu: WebGpuEngine;

function outShape(c: Case): Shape {
  const [n, h, w, ch] = c.x;
  const [top, bottom, left, right] = c.pad;
  return [n, Math.floor((h + top + bottom - c.window[0]) / c.strides[0]) + 1, Math.floor((w + left + right - c.window[1]) / c.strides[1]) + 1, ch];
}

function attrsOf(c: Case): Pool2DAttrs {
  const [top, bottom, left, right] = c.pad;
  return { windowSize: c.window, strides: c.strides, pad: { top, bottom, left, right } };
}

/** Values in a few levels so windows hold tied maxima, with NaN and ±Infinity sprinkled in. */
function tiedValues(n: number, seed: number): Float32Array {
  const v = Float32Array.from(randomValues(n, seed), (r) => Math.round(r * 3));
  for (let i = 7; i < n; i += 97) v[i] = NaN;
  for (let i = 31; i < n; i += 89) v[i] = Infinity;
  for (let i = 53; i < n; i += 83) v[i] = -Infinity;
  return v;
}

type Run = (e: Engine, inputs: TensorInfo[], attrs: Pool2DAttrs, out: { shape: Shape; dtype: 'float32' }) => unknown;

async function both(run: Run, inputs: { values: Float32Array; shape: Shape }[], attrs: Pool2DAttrs, shape: Shape): Promise<{ got: Float32Array; want: Float32Array }> {
  const results: Float32Array[] = [];
  for (const engine of [gpu, cpu] as Engine[]) {
    const infos = inputs.map((t) => ({ dataId: engine.upload(t.values, t.shape, 'float32'), shape: t.shape, dtype: 'float32' as const }));
    const out = { shape, dtype: 'float32' as const };
    const y = { dataId: run(engine, infos, attrs, out) as TensorInfo['dataId'], ...out };
    results.push((await engine.read(y)) as Float32Array);
    [...infos, y].forEach((t) => engine.dispose(t.dataId));
  }
  return { got: results[0]!, want: results[1]! };
}

function expectClose(got: Float32Array, want: Float32Array, label: string, tol = 1e-5): void {
  expect(got.length, `${label}: length`).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!, v = got[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      expect(Object.is(v, w) || (Number.isNaN(v) && Number.isNaN(w)), `${label}[${i}]: ${v} vs ${w}`).to.equal(true);
    } else if (Math.abs(v - w) > tol * Math.max(1, Math.abs(w))) {
      expect.fail(`${label}[${i}]: got ${v}, want ${w}`);
    }
  }
}

const CASES: Case[] = [
  { x: [2, 17, 19, 5], window: [2, 2], strides: [2, 2], pad: [0, 0, 0, 0] },
  { x: [2, 17, 19, 5], window: [3, 3], strides: [2, 2], pad: [1, 1, 1, 1] },
  { x: [2, 17, 19, 5], window: [3, 3], strides: [1, 1], pad: [1, 1, 1, 1] },
  { x: [2, 17, 19, 5], window: [5, 3], strides: [2, 3], pad: [2, 1, 0, 2] },
  { x: [1, 9, 8, 70], window: [2, 3], strides: [1, 2], pad: [0, 1, 1, 1] },
  { x: [1, 5, 6, 3], window: [2, 2], strides: [2, 2], pad: [3, 3, 2, 4] },
];

describe('webgpu pooling against the CPU engine', function () {
  this.timeout(300000);
  before(async () => {
    gpu = await sharedEngine();
  });

  let seed = 3000;
  for (const c of CASES) {
    const s = (seed += 10);
    it(`x ${c.x.join('x')}, window ${c.window.join('x')}, stride ${c.strides.join('x')}, pad ${c.pad.join(',')}`, async () => {
      const attrs = attrsOf(c), y = outShape(c);
      const x = { values: tiedValues(sizeOf(c.x), s), shape: c.x };
      const dy = { values: randomValues(sizeOf(y), s + 1), shape: y };
      let r = await both((e, [xi], a, o) => e.maxPool!(xi!, a, o), [x], attrs, y);
      expectClose(r.got, r.want, 'maxPool');
      r = await both((e, [xi], a, o) => e.avgPool!(xi!, a, o), [x], attrs, y);
      expectClose(r.got, r.want, 'avgPool');
      r = await both((e, [di, xi], a, o) => e.maxPoolBackward!(di!, xi!, a, o), [dy, x], attrs, c.x);
      expectClose(r.got, r.want, 'maxPoolBackward');
      r = await both((e, [di], a, o) => e.avgPoolBackward!(di!, a, o), [dy], attrs, c.x);
      expectClose(r.got, r.want, 'avgPoolBackward');
    });
  }
});

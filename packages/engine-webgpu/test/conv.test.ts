import { expect } from 'chai';
import type { Conv2DAttrs, Engine, Shape, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { CpuEngine } from '@strata/engine-cpu';
import { randomValues } from '@strata/conformance';
import type { WebGpuEngine } from '../src/index.js';
import { implicitGemmProgram } from '../src/kernels/conv-gemm.js';
import { convGeometry } from '@strata/engine-api';
import { forwardGemm } from '../src/kernels/conv-operands.js';
import { sharedEngine } from './shared-engine.js';

// The conformance cases are too small to reach several row and column tiles, every tile width,
// the stride phases of the input gradient with dilation, or the chunked filter gradients: these
// compare all six convolution kernels with the CPU engine (the executable spec) on shapes that do.

type Pad = 'same' | 'valid' | [number, number, number, number];

interface Case {
  x: [number, number, number, number];
  /** Filter height and width. */
  k: [number, number];
  /** conv2d: output channels; depthwise: channel multiplier. */
  out: number;
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
}

/** TensorFlow's 'same' padding along one axis: [before, after]. */
function samePad(size: number, k: number, s: number, d: number): [number, number] {
  const out = Math.ceil(size / s);
  const total = Math.max(0, (out - 1) * s + (k - 1) * d + 1 - size);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function attrsOf(c: Case): { attrs: Conv2DAttrs; outH: number; outW: number } {
  const [, h, w] = c.x;
  let [top, bottom, left, right] = [0, 0, 0, 0];
  if (c.pad === 'same') {
    [top, bottom] = samePad(h, c.k[0], c.strides[0], c.dilations[0]);
    [left, right] = samePad(w, c.k[1], c.strides[1], c.dilations[1]);
  } else if (c.pad !== 'valid') [top, bottom, left, right] = c.pad;
  const span = (k: number, d: number) => (k - 1) * d + 1;
  const outH = Math.floor((h + top + bottom - span(c.k[0], c.dilations[0])) / c.strides[0]) + 1;
  const outW = Math.floor((w + left + right - span(c.k[1], c.dilations[1])) / c.strides[1]) + 1;
  return { attrs: { strides: c.strides, dilations: c.dilations, pad: { top, bottom, left, right } }, outH, outW };
}

const cpu = new CpuEngine();
let gpu: WebGpuEngine;

type Kernel = (e: Engine, a: TensorInfo, b: TensorInfo, attrs: Conv2DAttrs, out: { shape: Shape; dtype: 'float32' }) => unknown;

/** Runs one kernel on both engines with the same inputs; returns both results (inputs freed). */
async function both(
  kernel: Kernel, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, attrs: Conv2DAttrs, outShape: Shape,
): Promise<{ got: Float32Array; want: Float32Array }> {
  const results: Float32Array[] = [];
  for (const engine of [gpu, cpu] as Engine[]) {
    const ai = { dataId: engine.upload(a, aShape, 'float32'), shape: aShape, dtype: 'float32' as const };
    const bi = { dataId: engine.upload(b, bShape, 'float32'), shape: bShape, dtype: 'float32' as const };
    const out = { shape: outShape, dtype: 'float32' as const };
    const y = { dataId: kernel(engine, ai, bi, attrs, out) as TensorInfo['dataId'], ...out };
    results.push((await engine.read(y)) as Float32Array);
    [ai, bi, y].forEach((t) => engine.dispose(t.dataId));
  }
  return { got: results[0]!, want: results[1]! };
}

/** Closeness relative to max(1, |want|); NaN must match NaN and ±Infinity exactly. */
function expectClose(got: Float32Array, want: Float32Array, label: string, tol = 1e-4): void {
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

function name(c: Case): string {
  const pad = typeof c.pad === 'string' ? c.pad : `pad ${c.pad.join(',')}`;
  return `x ${c.x.join('x')}, ${c.k.join('x')} filter, ${c.out} out, stride ${c.strides.join('x')}, dilation ${c.dilations.join('x')}, ${pad}`;
}

/** Checks forward, input gradient and filter gradient of conv2d (or depthwise) for one case. */
async function checkCase(c: Case, depthwise: boolean, seed: number): Promise<void> {
  const { attrs, outH, outW } = attrsOf(c);
  const [n, , , ch] = c.x;
  const fShape: Shape = [c.k[0], c.k[1], ch, c.out];
  const yShape: Shape = [n, outH, outW, depthwise ? ch * c.out : c.out];
  const x = randomValues(sizeOf(c.x), seed), f = randomValues(sizeOf(fShape), seed + 1), dy = randomValues(sizeOf(yShape), seed + 2);
  const label = `${depthwise ? 'depthwise ' : ''}${name(c)}`;
  const fwd: Kernel = depthwise ? (e, a, b, at, o) => e.depthwiseConv2d!(a, b, at, o) : (e, a, b, at, o) => e.conv2d!(a, b, at, o);
  const bInput: Kernel = depthwise
    ? (e, a, b, at, o) => e.depthwiseConv2dBackpropInput!(a, b, at, o) : (e, a, b, at, o) => e.conv2dBackpropInput!(a, b, at, o);
  const bFilter: Kernel = depthwise
    ? (e, a, b, at, o) => e.depthwiseConv2dBackpropFilter!(a, b, at, o) : (e, a, b, at, o) => e.conv2dBackpropFilter!(a, b, at, o);
  let r = await both(fwd, x, c.x, f, fShape, attrs, yShape);
  expectClose(r.got, r.want, `${label}: forward`);
  r = await both(bInput, dy, yShape, f, fShape, attrs, c.x);
  expectClose(r.got, r.want, `${label}: input gradient`);
  r = await both(bFilter, x, c.x, dy, yShape, attrs, fShape);
  expectClose(r.got, r.want, `${label}: filter gradient`);
}

const X: [number, number, number, number] = [2, 17, 19, 5];

// Output widths 3, 12, 24 and 70 select each tile width (8, 16, 32, 64 columns; 70 takes two
// column tiles). The input gradient's width is the input's 5 channels.
const CONV_CASES: Case[] = [
  { x: X, k: [3, 3], out: 3, strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: X, k: [3, 3], out: 12, strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { x: X, k: [5, 5], out: 24, strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  { x: X, k: [5, 5], out: 70, strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { x: X, k: [3, 3], out: 9, strides: [1, 1], dilations: [2, 2], pad: 'same' },
  { x: X, k: [5, 5], out: 33, strides: [1, 1], dilations: [2, 2], pad: 'valid' },
  { x: X, k: [3, 3], out: 6, strides: [2, 2], dilations: [2, 2], pad: 'same' },
  { x: X, k: [5, 3], out: 7, strides: [2, 3], dilations: [3, 2], pad: [2, 0, 1, 3] },
  { x: X, k: [4, 4], out: 17, strides: [3, 2], dilations: [1, 1], pad: 'same' },
  { x: X, k: [2, 2], out: 5, strides: [4, 4], dilations: [1, 1], pad: [3, 3, 3, 3] },
  { x: [3, 9, 7, 40], k: [3, 3], out: 48, strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: [2, 8, 8, 70], k: [1, 1], out: 20, strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  { x: [4, 30, 30, 3], k: [3, 3], out: 16, strides: [1, 1], dilations: [1, 1], pad: 'same' },
];

const DEPTHWISE_CASES: Case[] = [
  { x: X, k: [3, 3], out: 1, strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: X, k: [5, 5], out: 3, strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { x: X, k: [3, 3], out: 2, strides: [1, 1], dilations: [2, 2], pad: 'same' },
  { x: X, k: [3, 2], out: 1, strides: [2, 3], dilations: [2, 1], pad: [1, 2, 0, 1] },
  { x: [2, 12, 11, 70], k: [3, 3], out: 1, strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { x: [4, 30, 30, 3], k: [3, 3], out: 2, strides: [1, 1], dilations: [1, 1], pad: 'same' },
];

describe('webgpu convolutions against the CPU engine', function () {
  this.timeout(300000);
  before(async () => {
    gpu = await sharedEngine();
  });

  let seed = 1000;
  for (const c of CONV_CASES) {
    const s = (seed += 10);
    it(`conv2d: ${name(c)}`, () => checkCase(c, false, s));
  }
  for (const c of DEPTHWISE_CASES) {
    const s = (seed += 10);
    it(`depthwiseConv2d: ${name(c)}`, () => checkCase(c, true, s));
  }

  it('conv2d: NaN and ±Infinity in x reach the outputs their windows cover', async () => {
    const c: Case = { x: [1, 9, 8, 3], k: [3, 3], out: 4, strides: [1, 1], dilations: [1, 1], pad: 'same' };
    const { attrs, outH, outW } = attrsOf(c);
    const x = randomValues(sizeOf(c.x), 77);
    x[5] = NaN;
    x[100] = Infinity;
    x[150] = -Infinity;
    const fShape = [3, 3, 3, 4];
    const f = randomValues(sizeOf(fShape), 78);
    const r = await both((e, a, b, at, o) => e.conv2d!(a, b, at, o), x, c.x, f, fShape, attrs, [1, outH, outW, 4]);
    expectClose(r.got, r.want, 'conv2d with non-finite x');
  });

  it('dispatches more row tiles than one grid dimension holds through z', () => {
    const g = convGeometry([1, 4096, 1200, 1], [1, 1, 1, 64], [1, 4096, 1200, 64],
      { strides: [1, 1], dilations: [1, 1], pad: { top: 0, bottom: 0, left: 0, right: 0 } });
    const program = implicitGemmProgram(forwardGemm(g));
    // 4096 * 1200 rows in tiles of 64: 76800 tiles, 65535 in y and the rest in a second z slice.
    expect(program.workgroups).to.deep.equal([1, 65535, 2]);
    expect(program.uniforms!.find(([n]) => n === 'zTiles')![2]).to.equal(2);
  });
});

import { avgPool, avgPool1d, grads, maxPool, maxPool1d, tensor, type Tensor } from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { expectOpError } from './case-helpers.js';
import { outSize, refPool, tfSamePadding, type HostTensor, type RefWindow } from './window-reference.js';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number]];

function geometry(inH: number, inW: number, kH: number, kW: number, strides: [number, number], pad: Pad): RefWindow {
  if (pad === 'same') {
    const [top] = tfSamePadding(inH, kH, strides[0]);
    const [left] = tfSamePadding(inW, kW, strides[1]);
    return { strides, padTop: top, padLeft: left, outH: Math.ceil(inH / strides[0]), outW: Math.ceil(inW / strides[1]) };
  }
  let [[top, bottom], [left, right]] = [[0, 0], [0, 0]];
  if (typeof pad === 'number') [[top, bottom], [left, right]] = [[pad, pad], [pad, pad]];
  else if (pad !== 'valid') [[top, bottom], [left, right]] = pad;
  return {
    strides, padTop: top, padLeft: left,
    outH: outSize(inH, kH, strides[0], 1, top, bottom), outW: outSize(inW, kW, strides[1], 1, left, right),
  };
}

/**
 * Distinct values (a shuffled ramp, scaled), so no window holds tied maxima: the fast path's
 * gradient (first maximum) and the decomposition's (shared among ties) then agree.
 */
function distinct(n: number, seed: number): Float32Array {
  const keys = randomValues(n, seed);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
  const out = new Float32Array(n);
  order.forEach((idx, rank) => (out[idx] = (rank - n / 2) * 0.25));
  return out;
}

interface PoolConfig {
  x: [number, number, number, number];
  window: [number, number];
  strides: [number, number];
  pad: Pad;
}

const CONFIGS: Record<string, PoolConfig> = {
  'valid-2x2-stride-2': { x: [1, 4, 4, 1], window: [2, 2], strides: [2, 2], pad: 'valid' },
  'valid-3x3-stride-1-batch-channels': { x: [2, 5, 4, 3], window: [3, 3], strides: [1, 1], pad: 'valid' },
  'valid-overhang': { x: [1, 5, 5, 2], window: [2, 2], strides: [2, 2], pad: 'valid' },
  'same-3x3-stride-1': { x: [1, 4, 5, 2], window: [3, 3], strides: [1, 1], pad: 'same' },
  'same-3x3-stride-2': { x: [2, 5, 6, 1], window: [3, 3], strides: [2, 2], pad: 'same' },
  'same-2x2-stride-2-odd': { x: [1, 5, 5, 2], window: [2, 2], strides: [2, 2], pad: 'same' },
  'same-rect-window': { x: [1, 6, 5, 1], window: [2, 3], strides: [2, 1], pad: 'same' },
  'explicit-asymmetric': { x: [1, 4, 4, 2], window: [3, 2], strides: [1, 2], pad: [[2, 0], [0, 1]] },
};

const KINDS = [
  { name: 'maxPool', op: maxPool, kind: 'max' },
  { name: 'avgPool', op: avgPool, kind: 'avg' },
] as const;

/**
 * Cases for `maxPool`, `avgPool`, `maxPool1d` and `avgPool1d` against float64 reference loops,
 * with 'same'/'valid'/explicit padding and strides, errors, gradients (inputs without ties, where
 * the fast path and the decomposition agree) and leaks.
 *
 * @example
 * describe('pool', () => poolCases(ctx));
 */
export function poolCases(ctx: SuiteContext): void {
  describe('maxPool', () => {
    conformanceCase(ctx, 'maxPool.golden', async () => {
      const x = [[[[1], [2], [5], [6]], [[3], [4], [7], [8]], [[-1], [-2], [0], [9]], [[-3], [-4], [10], [-9]]]];
      const y = maxPool(x, 2, 2);
      await expectTensor(y, [4, 8, -1, 10], { shape: [1, 2, 2, 1], dtype: 'float32' });
      y.dispose();
    });

    conformanceCase(ctx, 'maxPool.nan-wins-and-negative-infinity', async () => {
      const y = maxPool([[[[NaN], [1]], [[2], [3]]], [[[-Infinity], [-Infinity]], [[-Infinity], [-5]]]], 2, 2);
      await expectTensor(y, [NaN, -5], { shape: [2, 1, 1, 1] });
      y.dispose();
    });

    conformanceCase(ctx, 'maxPool.padding-never-wins', async () => {
      // All-negative input with 'same' padding: a zero-padded max would give 0 at the borders.
      const values = [-5, -4, -3, -2, -1, -6, -7, -8, -9];
      const y = maxPool(tensor(values, [1, 3, 3, 1]), 3, 1, 'same');
      const expected = refPool('max', { values, shape: [1, 3, 3, 1] }, 3, 3, geometry(3, 3, 3, 3, [1, 1], 'same'));
      await expectTensor(y, expected, { shape: [1, 3, 3, 1] });
      y.dispose();
    });
  });

  describe('avgPool', () => {
    conformanceCase(ctx, 'avgPool.golden', async () => {
      const y = avgPool([[[[1], [2]], [[3], [6]]]], 2, 2);
      await expectTensor(y, [3], { shape: [1, 1, 1, 1], dtype: 'float32' });
      y.dispose();
    });

    conformanceCase(ctx, 'avgPool.counts-only-real-cells', async () => {
      // 2x2 input, 3x3 window, 'same' (one cell of padding each side): every window covers all
      // four real cells, so each output is their mean 2.5, not their sum over 9.
      const y = avgPool([[[[1], [2]], [[3], [4]]]], 3, 1, 'same');
      await expectTensor(y, [2.5, 2.5, 2.5, 2.5], { shape: [1, 2, 2, 1] });
      y.dispose();
    });

    conformanceCase(ctx, 'avgPool.nan-propagates', async () => {
      const y = avgPool([[[[NaN], [1], [2], [3]]]], [1, 2], [1, 2]);
      await expectTensor(y, [NaN, 2.5], { shape: [1, 1, 2, 1] });
      y.dispose();
    });
  });

  for (const { name, op, kind } of KINDS) {
    describe(`${name} (configurations)`, () => {
      let seed = kind === 'max' ? 500 : 600;
      for (const [id, cfg] of Object.entries(CONFIGS)) {
        const s = seed++;
        conformanceCase(ctx, `${name}.${id}`, async () => {
          const size = cfg.x.reduce((n, d) => n * d, 1);
          const x: HostTensor = { values: randomValues(size, s, -3, 3), shape: cfg.x };
          const w = geometry(cfg.x[1], cfg.x[2], cfg.window[0], cfg.window[1], cfg.strides, cfg.pad);
          const tx = tensor(Float32Array.from(x.values), cfg.x);
          const y = op(tx, cfg.window, cfg.strides, cfg.pad);
          await expectTensor(y, refPool(kind, x, cfg.window[0], cfg.window[1], w), { shape: [cfg.x[0], w.outH, w.outW, cfg.x[3]], atol: 1e-5, rtol: 1e-5 });
          [tx, y].forEach((t) => t.dispose());
        });
      }

      conformanceCase(ctx, `${name}.window-of-padding-only`, async () => {
        // Explicit padding 2 with a 2x2 window, stride 2: the first window row and column read
        // only padding, giving -Infinity (max) or 0 (average); the last reads x itself.
        const y = op([[[[7]]]], 2, 2, 2);
        const edge = kind === 'max' ? -Infinity : 0;
        await expectTensor(y, [edge, edge, edge, 7], { shape: [1, 2, 2, 1] });
        y.dispose();
      });

      conformanceCase(ctx, `${name}.rank-3-and-default-strides`, async () => {
        const values = randomValues(24, seed + 50);
        const x = tensor(values, [4, 3, 2]);
        const y = op(x, [2, 3]);
        const expected = refPool(kind, { values, shape: [1, 4, 3, 2] }, 2, 3, geometry(4, 3, 2, 3, [2, 3], 'valid'));
        await expectTensor(y, expected, { shape: [2, 1, 2] });
        [x, y].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.int32-computes-in-float32`, async () => {
        const x = tensor([1, 2, 3, 6], [1, 2, 2, 1], 'int32');
        const y = op(x, 2, 2);
        await expectTensor(y, [kind === 'max' ? 6 : 3], { shape: [1, 1, 1, 1], dtype: 'float32' });
        [x, y].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.size-zero-dims`, async () => {
        const x0 = tensor([], [0, 4, 4, 2]);
        const c0 = tensor([], [1, 4, 4, 0]);
        const a = op(x0, 2, 2, 'same');
        await expectTensor(a, [], { shape: [0, 2, 2, 2] });
        const b = op(c0, 3, 1, 'valid');
        await expectTensor(b, [], { shape: [1, 2, 2, 0] });
        [x0, c0, a, b].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.errors`, async () => {
        const x = tensor(randomValues(16, seed + 60), [1, 4, 4, 1]);
        const flat = tensor(randomValues(16, seed + 61), [4, 4]);
        const flags = tensor([true], [1, 1, 1, 1]);
        expectOpError(() => op(flat, 2, 2), name, 'x', '[4, 4]');
        expectOpError(() => op(x, 0, 1), name, 'filterSize', '0');
        expectOpError(() => op(x, 2, [1, -1] as never), name, 'strides', '[1,-1]');
        expectOpError(() => op(x, 2, 1, 'full' as never), name, 'pad', '"full"');
        expectOpError(() => op(x, 5, 1, 'valid'), name, 'x', '4x4');
        expectOpError(() => op(flags, 1, 1), name, 'x', 'bool');
        [x, flat, flags].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.gradient`, async () => {
        const x = tensor(distinct(50, seed + 70), [2, 5, 5, 1]);
        await checkGradients((t) => op(t, 3, 2, 'same'), [x]);
        await checkGradients((t) => op(t, 2, 1, 'valid'), [x]);
        await checkGradients((t) => op(t, [2, 3], [2, 1], [[1, 0], [1, 1]]), [x]);
        x.dispose();
      });

      conformanceCase(ctx, `${name}.no-leaks`, async () => {
        const x = tensor(distinct(32, seed + 80), [2, 4, 4, 1]);
        await expectNoLeaks(async () => {
          const y = op(x, 3, 2, 'same');
          await y.data();
          y.dispose();
          grads((t: Tensor) => op(t, 2, 2))([x]).forEach((t) => t.dispose());
        });
        x.dispose();
      });
    });
  }

  const KINDS_1D = [
    { name: 'maxPool1d', op: maxPool1d, kind: 'max' },
    { name: 'avgPool1d', op: avgPool1d, kind: 'avg' },
  ] as const;
  for (const { name, op, kind } of KINDS_1D) {
    describe(name, () => {
      conformanceCase(ctx, `${name}.golden`, async () => {
        const y = op([[[1], [4], [2], [3]]], 2);
        await expectTensor(y, kind === 'max' ? [4, 3] : [2.5, 2.5], { shape: [1, 2, 1] });
        y.dispose();
      });

      const cases: [string, number[], number, number, 'valid' | 'same' | number | [number, number]][] = [
        ['valid-stride-1', [2, 7, 3], 3, 1, 'valid'],
        ['same-stride-2', [1, 7, 2], 3, 2, 'same'],
        ['same-even-pool', [1, 6, 1], 2, 1, 'same'],
        ['explicit-pair', [1, 5, 2], 3, 2, [2, 1]],
      ];
      let seed = kind === 'max' ? 700 : 800;
      for (const [id, shape, poolSize, stride, pad] of cases) {
        const s = seed++;
        conformanceCase(ctx, `${name}.${id}`, async () => {
          const values = randomValues(shape.reduce((n, d) => n * d, 1), s, -2, 2);
          const pad2d: Pad = typeof pad === 'number' ? [[0, 0], [pad, pad]] : Array.isArray(pad) ? [[0, 0], pad] : pad;
          const w = geometry(1, shape[1]!, 1, poolSize, [1, stride], pad2d);
          const x = tensor(values, shape);
          const y = op(x, poolSize, stride, pad);
          const expected = refPool(kind, { values, shape: [shape[0]!, 1, shape[1]!, shape[2]!] }, 1, poolSize, w);
          await expectTensor(y, expected, { shape: [shape[0]!, w.outW, shape[2]!], atol: 1e-5, rtol: 1e-5 });
          [x, y].forEach((t) => t.dispose());
        });
      }

      conformanceCase(ctx, `${name}.rank-2`, async () => {
        const y = op([[1], [4], [2], [3], [5]], 2, 2, 'same');
        await expectTensor(y, kind === 'max' ? [4, 3, 5] : [2.5, 2.5, 5], { shape: [3, 1] });
        y.dispose();
      });

      conformanceCase(ctx, `${name}.errors`, async () => {
        const x = tensor(randomValues(8, seed + 10), [1, 4, 2]);
        const image = tensor(randomValues(8, seed + 11), [1, 2, 2, 2]);
        expectOpError(() => op(image, 2), name, 'x', '[1, 2, 2, 2]');
        expectOpError(() => op(x, 0), name, 'poolSize', '0');
        expectOpError(() => op(x, 2, 1.5), name, 'stride', '1.5');
        expectOpError(() => op(x, 2, 1, 'causal' as never), name, 'pad', '"causal"');
        expectOpError(() => op(x, 5), name, 'x', '1x4');
        [x, image].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.gradient`, async () => {
        const x = tensor(distinct(14, seed + 20), [2, 7, 1]);
        await checkGradients((t) => op(t, 3, 2, 'same'), [x]);
        await checkGradients((t) => op(t, 2, 1), [x]);
        x.dispose();
      });

      conformanceCase(ctx, `${name}.no-leaks`, async () => {
        const x = tensor(distinct(14, seed + 30), [2, 7, 1]);
        await expectNoLeaks(() => {
          op(x, 3, 2, 'same').dispose();
          grads((t: Tensor) => op(t, 2))([x]).forEach((t) => t.dispose());
        });
        x.dispose();
      });
    });
  }
}

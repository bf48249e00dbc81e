import type { DType, ReduceOp, Shape, TensorInfo } from '@strata/engine-api';
import { CpuEngine } from '@strata/engine-cpu';
import type { WebGpuEngine } from '../src/index.js';
import { expectAgree, lcgValues, onBoth } from './reduce-helpers.js';
import { sharedEngine } from './shared-engine.js';

function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.filter((_d, i) => !axes.includes(i));
}

function outDType(op: ReduceOp, dtype: DType): DType {
  if (op === 'argMax' || op === 'argMin') return 'int32';
  if (op === 'mean') return 'float32';
  return dtype;
}

// Shapes large enough to reach the multi-workgroup and two-pass paths the conformance cases
// (a few dozen elements) never do; the CPU engine is the reference.
describe('webgpu reduce against the cpu engine', () => {
  let gpu: WebGpuEngine;
  const cpu = new CpuEngine();
  before(async () => {
    gpu = await sharedEngine();
  });

  async function check(op: ReduceOp, values: ArrayLike<number>, shape: Shape, axes: number[], dtype: DType, rtol = 0): Promise<void> {
    const out = { shape: reducedShape(shape, axes), dtype: outDType(op, dtype) };
    const r = await onBoth(gpu, cpu, values, shape, dtype, (e, x) => [{ dataId: e.reduce(op, x, axes, out), ...out } as TensorInfo]);
    expectAgree(r.gpu[0]!, r.cpu[0]!, `${op} [${shape}] over [${axes}]`, rtol === 0 ? 0 : 1e-6, rtol);
  }

  it('sums 1M elements (two passes) within float32 tolerance', async () => {
    const n = 1 << 20;
    const values = lcgValues(n, 1, 0, 1);
    await check('sum', values, [n], [0], 'float32', 1e-5);
    await check('mean', values, [n], [0], 'float32', 1e-5);
    await check('max', values, [n], [0], 'float32');
    await check('argMin', values, [n], [0], 'float32');
  });

  it('row max and argMax of [4096, 1000], with ties and NaN', async () => {
    const values = lcgValues(4096 * 1000, 2, -100, 100, true);
    values[5 * 1000 + 700] = NaN;
    values[9 * 1000 + 3] = NaN;
    values[9 * 1000 + 900] = NaN;
    for (const op of ['max', 'argMax', 'min', 'argMin'] as const) await check(op, values, [4096, 1000], [1], 'float32');
    await check('sum', values, [4096, 1000], [1], 'float32', 1e-6);
  });

  it('column reductions (inner dim kept), including few long columns', async () => {
    const values = lcgValues(200_000 * 4, 3, -50, 50, true);
    for (const op of ['sum', 'max', 'argMax', 'argMin', 'prod'] as const) {
      await check(op, values, [200_000, 4], [0], 'int32');
    }
    await check('sum', values, [200_000, 4], [0], 'float32', 1e-5);
    await check('argMax', values, [800, 1000], [0], 'float32');
  });

  it('every axis set of a rank-4 tensor, float32 and int32', async () => {
    const shape = [6, 70, 5, 33];
    const values = lcgValues(6 * 70 * 5 * 33, 4, -3, 3, true);
    const nearOne = lcgValues(6 * 70 * 5 * 33, 7, 0.999, 1.001);
    const axesSets = [[0], [1], [2], [3], [0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3], [0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3], [0, 1, 2, 3]];
    for (const axes of axesSets) {
      for (const op of ['sum', 'max', 'min', 'mean'] as const) await check(op, values, shape, axes, 'float32', 1e-5);
      // Near 1, so float32 partial products cannot overflow where the cpu engine's float64 ones do not.
      await check('prod', nearOne, shape, axes, 'float32', 1e-4);
      await check('sum', values, shape, axes, 'int32');
      await check('max', values, shape, axes, 'int32');
    }
    for (const axis of [0, 1, 2, 3]) {
      await check('argMax', values, shape, [axis], 'float32');
      await check('argMin', values, shape, [axis], 'int32');
    }
  });

  it('any/all over long rows and columns', async () => {
    const sparse = lcgValues(300 * 5000, 5, 0, 1).map((v) => (v > 0.9995 ? 1 : 0));
    const dense = sparse.map((v, i) => (i === 12345 ? 0 : 1));
    for (const values of [sparse, dense]) {
      for (const op of ['any', 'all'] as const) {
        await check(op, values, [300, 5000], [1], 'bool');
        await check(op, values, [300, 5000], [0], 'bool');
        await check(op, values, [300, 5000], [0, 1], 'bool');
      }
    }
  });

  it('more than 65535 workgroups (a two-dimensional grid)', async () => {
    const values = lcgValues(70_000 * 64, 8, -1, 1);
    await check('sum', values, [70_000, 64], [1], 'float32', 1e-5);
    await check('argMax', values, [70_000, 64], [1], 'float32');
  });

  it('int32 sums wrap as on the cpu engine', async () => {
    const values = new Float32Array(100_000).fill(2 ** 30);
    await check('sum', values, [100_000], [0], 'int32');
    await check('prod', lcgValues(5000, 6, -9, 9, true), [50, 100], [1], 'int32');
  });
});

describe('webgpu softmax against the cpu engine', () => {
  let gpu: WebGpuEngine;
  const cpu = new CpuEngine();
  before(async () => {
    gpu = await sharedEngine();
  });

  for (const [rows, d] of [[1000, 10], [64, 33], [300, 1000], [3, 100_000], [2, 1]]) {
    it(`softmax and logSoftmax of [${rows}, ${d}] with -Infinity, large values and a NaN row`, async () => {
      const values = lcgValues(rows * d, rows + d, -30, 30);
      values[0] = -Infinity;
      if (rows > 2) values[d + (d >> 1)] = NaN;
      if (rows > 2) values[2 * d] = 1e30;
      for (const op of ['softmax', 'logSoftmax'] as const) {
        const shape = [rows, d];
        const r = await onBoth(gpu, cpu, values, shape, 'float32', (e, x) => [{ dataId: e[op]!(x, { shape, dtype: 'float32' }), shape, dtype: 'float32' }]);
        expectAgree(r.gpu[0]!, r.cpu[0]!, `${op} [${shape}]`, 1e-6, 1e-5);
      }
    });
  }
});

describe('webgpu cumsum against the cpu engine', () => {
  let gpu: WebGpuEngine;
  const cpu = new CpuEngine();
  before(async () => {
    gpu = await sharedEngine();
  });

  const cases: [Shape, number][] = [[[300_000], 0], [[50, 9000], 0], [[37, 5000], 1], [[5000, 37], 0], [[20, 3000, 3], 1], [[9000, 2], 0], [[100, 20], 1]];
  for (const [shape, axis] of cases) {
    it(`[${shape}] along ${axis}, every exclusive/reverse, float32 and int32`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      for (const dtype of ['float32', 'int32'] as const) {
        const values = lcgValues(n, n + axis, -4, 4, dtype === 'int32');
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) {
            const out = { shape, dtype };
            const r = await onBoth(gpu, cpu, values, shape, dtype, (e, x) => [{ dataId: e.cumsum(x, axis, exclusive, reverse, out), ...out }]);
            // float32: the GPU sums blocks in f32, the cpu engine runs in float64.
            expectAgree(r.gpu[0]!, r.cpu[0]!, `${dtype} exclusive ${exclusive} reverse ${reverse}`, dtype === 'int32' ? 0 : 2e-3, dtype === 'int32' ? 0 : 1e-5);
          }
        }
      }
    });
  }
});

describe('webgpu topK against the cpu engine', () => {
  let gpu: WebGpuEngine;
  const cpu = new CpuEngine();
  before(async () => {
    gpu = await sharedEngine();
  });

  // [rows, n, ks]: one workgroup sort (n <= 2048), the tournament (k <= 1024), the global sort.
  const cases: [number, number, number[]][] = [[500, 5, [1, 5]], [60, 40, [3, 40]], [30, 2048, [1, 100, 2048]], [7, 5000, [1, 17, 1024, 3000, 5000]], [2, 100_000, [5]]];
  for (const [rows, n, ks] of cases) {
    it(`[${rows}, ${n}] with ties, NaN and infinities, k in ${ks.join('/')}`, async () => {
      for (const dtype of ['float32', 'int32'] as const) {
        const values = lcgValues(rows * n, rows + n, -50, 50, true);
        if (dtype === 'float32') {
          for (let i = 0; i < values.length; i += 97) values[i] = NaN;
          for (let i = 3; i < values.length; i += 89) values[i] = Infinity;
          for (let i = 5; i < values.length; i += 83) values[i] = -Infinity;
        }
        for (const k of ks) {
          const shape = [rows, k];
          const r = await onBoth(gpu, cpu, values, [rows, n], dtype, (e, x) => {
            const [v, i] = e.topK(x, k, { shape, dtype }, { shape, dtype: 'int32' });
            return [{ dataId: v, shape, dtype }, { dataId: i, shape, dtype: 'int32' }];
          });
          expectAgree(r.gpu[0]!, r.cpu[0]!, `${dtype} k=${k} values`);
          expectAgree(r.gpu[1]!, r.cpu[1]!, `${dtype} k=${k} indices`);
        }
      }
    });
  }
});

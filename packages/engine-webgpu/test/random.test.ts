import { expect } from 'chai';
import type { DataId, RandomAttrs } from '@strata/engine-api';
import { philoxNormal, philoxUniform } from '@strata/engine-api';
import type { WebGpuEngine } from '../src/index.js';
import { sharedEngine } from './shared-engine.js';

async function draw(engine: WebGpuEngine, n: number, attrs: RandomAttrs): Promise<Float32Array> {
  const shape = [n];
  const id: DataId = engine.random({ shape, dtype: 'float32' }, attrs);
  try {
    return (await engine.read({ dataId: id, shape, dtype: 'float32' })) as Float32Array;
  } finally {
    engine.dispose(id);
  }
}

/** Indices where `got` differs from the spec's values (bit for bit). */
function mismatches(got: Float32Array, spec: (i: number) => number): string[] {
  const bad: string[] = [];
  for (let i = 0; i < got.length; i++) {
    const e = spec(i);
    if (!Object.is(got[i], e) && !(got[i] === e)) bad.push(`[${i}] ${got[i]} vs ${e}`);
  }
  return bad;
}

// Many draws per distribution: the conformance cases check a few hundred; these make sure the
// df64 Box-Muller agrees with the float64 spec across the whole range of both words.
describe('webgpu random: Philox spec agreement on many draws', () => {
  let engine: WebGpuEngine;
  before(async () => {
    engine = await sharedEngine();
  });

  it('uniform is bit-exact, with f32 and float64 bounds', async () => {
    for (const [low, high, seed, stream] of [[0, 1, 1, 0], [-2, 3, 7, 5], [-0.1, 0.3, 99, 1], [1e6, 1e6 + 1, 3, 2]] as const) {
      const got = await draw(engine, 100_000, { distribution: 'uniform', seed, stream, low, high });
      expect(mismatches(got, (i) => philoxUniform(seed, stream, i, low, high)).slice(0, 5), `low ${low} high ${high}`).to.deep.equal([]);
    }
  });

  it('normal matches the float64 spec rounded to float32', async () => {
    for (const [mean, stddev, seed, stream] of [[0, 1, 11, 0], [1.5, 0.25, 4, 3], [-0.1, 3.7, 123456789, 9]] as const) {
      const got = await draw(engine, 100_000, { distribution: 'normal', seed, stream, mean, stddev });
      expect(mismatches(got, (i) => philoxNormal(seed, stream, i, mean, stddev, false)).slice(0, 5), `mean ${mean} stddev ${stddev}`).to.deep.equal([]);
    }
  });

  it('truncatedNormal redraws as the spec does', async () => {
    const got = await draw(engine, 50_000, { distribution: 'truncatedNormal', seed: 4242, stream: 0, mean: -1, stddev: 3 });
    expect(mismatches(got, (i) => philoxNormal(4242, 0, i, -1, 3, true)).slice(0, 5)).to.deep.equal([]);
  });
});

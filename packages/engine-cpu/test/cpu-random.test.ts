import { expect } from 'chai';
import { philoxNormal, philoxUniform } from '@strata/engine-api';
import { Harness, out } from './helpers.js';

describe('cpu engine: random', () => {
  const h = new Harness();
  const n = 1000;
  it('uniform matches philoxUniform element by element', () => {
    const id = h.engine.random(out([10, 100]), { distribution: 'uniform', seed: 1234, stream: 7, low: -2, high: 3 });
    const got = h.values(id, [10, 100]);
    for (let i = 0; i < n; i++) expect(got[i]).to.equal(philoxUniform(1234, 7, i, -2, 3));
  });
  it('uniform defaults to [0, 1)', () => {
    const got = h.values(h.engine.random(out([50]), { distribution: 'uniform', seed: 1, stream: 0 }), [50]);
    got.forEach((v, i) => expect(v).to.equal(philoxUniform(1, 0, i, 0, 1)));
  });
  it('normal and truncatedNormal match philoxNormal element by element', () => {
    for (const distribution of ['normal', 'truncatedNormal'] as const) {
      const id = h.engine.random(out([n]), { distribution, seed: 99, stream: 3, mean: 1, stddev: 0.5 });
      const got = h.values(id, [n]);
      for (let i = 0; i < n; i++) expect(got[i]).to.equal(philoxNormal(99, 3, i, 1, 0.5, distribution === 'truncatedNormal'));
      if (distribution === 'truncatedNormal') for (const v of got) expect(Math.abs(v - 1)).to.be.at.most(1 + 1e-6);
    }
  });
  it('different streams differ, same stream repeats', () => {
    const a = h.values(h.engine.random(out([8]), { distribution: 'normal', seed: 5, stream: 0 }), [8]);
    const b = h.values(h.engine.random(out([8]), { distribution: 'normal', seed: 5, stream: 1 }), [8]);
    const c = h.values(h.engine.random(out([8]), { distribution: 'normal', seed: 5, stream: 0 }), [8]);
    expect(a).to.not.deep.equal(b);
    expect(a).to.deep.equal(c);
  });
});

import { expect } from 'chai';
import { philox4x32, philoxNormal, philoxUniform } from '../src/index.js';

describe('philox4x32 (Random123 known-answer vectors)', () => {
  const hex = (w: Uint32Array) => Array.from(w, (v) => v.toString(16).padStart(8, '0'));
  it('zero counter and key', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0], new Uint32Array(4)))).to.deep.equal(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
  });
  it('all-ones counter and key', () => {
    const f = 0xffffffff;
    expect(hex(philox4x32([f, f, f, f], [f, f], new Uint32Array(4)))).to.deep.equal(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
  });
  it('pi digits', () => {
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], new Uint32Array(4))))
      .to.deep.equal(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });
});

describe('philox distributions', () => {
  it('uniform values fall in [low, high) with the right mean', () => {
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = philoxUniform(42, 3, i, -1, 3);
      expect(u).to.be.at.least(-1).and.below(3);
      sum += u;
    }
    expect(sum / n).to.be.closeTo(1, 0.03);
  });
  it('normal draws have mean 0 and variance 1; truncated ones stay within 2 sd', () => {
    const n = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = philoxNormal(1, 0, i, 0, 1, false);
      s += z;
      s2 += z * z;
      const t = philoxNormal(1, 0, i, 5, 0.5, true);
      expect(Math.abs(t - 5)).to.be.at.most(1 + 1e-6);
    }
    expect(s / n).to.be.closeTo(0, 0.03);
    expect(s2 / n).to.be.closeTo(1, 0.04);
  });
  it('depends only on (seed, stream, index)', () => {
    expect(philoxUniform(9, 1, 5, 0, 1)).to.equal(philoxUniform(9, 1, 5, 0, 1));
    expect(philoxUniform(9, 1, 5, 0, 1)).to.not.equal(philoxUniform(9, 2, 5, 0, 1));
  });
});

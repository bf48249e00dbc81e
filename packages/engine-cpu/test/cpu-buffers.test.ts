import { expect } from 'chai';
import type { Engine } from '@strata/engine-api';
import { CpuEngine, createEngine } from '../src/index.js';
import { Harness, out } from './helpers.js';

describe('cpu engine: buffers', () => {
  it('createEngine resolves to a CPU engine that satisfies the contract', async () => {
    const engine: Engine = await createEngine();
    expect(engine).to.be.instanceOf(CpuEngine);
    expect(engine.name).to.equal('cpu');
    expect(engine.capabilities.readSync).to.equal(true);
  });

  it('upload copies; read and readSync return fresh copies', async () => {
    const engine = new CpuEngine();
    const host = new Float32Array([1, 2, 3]);
    const id = engine.upload(host, [3], 'float32');
    host[0] = 99;
    const info = { dataId: id, shape: [3], dtype: 'float32' } as const;
    const a = await engine.read(info);
    expect(Array.from(a)).to.deep.equal([1, 2, 3]);
    a[1] = 42;
    const b = engine.readSync(info);
    expect(Array.from(b)).to.deep.equal([1, 2, 3]);
    expect(b).to.be.instanceOf(Float32Array);
  });

  it('upload converts to the requested dtype', () => {
    const engine = new CpuEngine();
    const id = engine.upload(new Float32Array([0, 2, -0.5]), [3], 'bool');
    expect(engine.readSync({ dataId: id, shape: [3], dtype: 'bool' })).to.deep.equal(new Uint8Array([0, 1, 1]));
  });

  it('rejects a value count that does not match the shape', () => {
    expect(() => new CpuEngine().upload(new Float32Array(3), [2, 2], 'float32')).to.throw(/4 elements/);
  });

  it('memory() counts live buffers and returns to zero after dispose', () => {
    const h = new Harness();
    const e = h.engine;
    expect(e.memory()).to.deep.equal({ numBuffers: 0, numBytes: 0 });
    const x = h.tensor([1, 2, 3, 4], [4]);
    const y = e.unary('exp', x, out([4]));
    const mask = e.binary('greater', x, x, out([4], 'bool'));
    const [v, i] = e.topK(x, 2, out([2]), out([2], 'int32'));
    expect(e.memory()).to.deep.equal({ numBuffers: 5, numBytes: 16 + 16 + 4 + 8 + 8 });
    for (const id of [x.dataId, y, mask, v, i]) e.dispose(id);
    expect(e.memory()).to.deep.equal({ numBuffers: 0, numBytes: 0 });
    // A second dispose of the same handle changes nothing.
    e.dispose(y);
    expect(e.memory()).to.deep.equal({ numBuffers: 0, numBytes: 0 });
  });

  it('fast-path results are tracked too', () => {
    const h = new Harness();
    const a = h.tensor([1, 2, 3, 4], [1, 2, 2]);
    const c = h.engine.matmul(a, a, false, false, out([1, 2, 2]));
    expect(h.values(c, [1, 2, 2])).to.deep.equal([7, 10, 15, 22]);
    const s = h.engine.softmax(h.tensor([0, 0], [1, 2]), out([1, 2]));
    expect(h.engine.memory().numBuffers).to.equal(4);
    for (const id of [a.dataId, c, s]) h.engine.dispose(id);
    expect(h.engine.memory().numBuffers).to.equal(1);
  });

  it('fill converts the value per dtype', () => {
    const h = new Harness();
    expect(h.values(h.engine.fill(out([3]), 1.5), [3])).to.deep.equal([1.5, 1.5, 1.5]);
    expect(h.values(h.engine.fill(out([2], 'int32'), -2.7), [2], 'int32')).to.deep.equal([-2, -2]);
    expect(h.values(h.engine.fill(out([2], 'bool'), 256), [2], 'bool')).to.deep.equal([1, 1]);
    expect(h.values(h.engine.fill(out([2, 0]), 3), [2, 0])).to.deep.equal([]);
    expect(h.values(h.engine.fill(out([]), NaN), [])).to.deep.equal([NaN]);
  });
});

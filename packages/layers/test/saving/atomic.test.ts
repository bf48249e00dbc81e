import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StrataError, setSeed } from '@strata/core';
import { Sequential } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import { Dense } from '../../src/layers/core/dense.js';
import { nodeIo, writeFilesAtomic, type FileIo, type NodeFs } from '../../src/saving/files.js';
import { saveModelWeights } from '../../src/saving/weights-file.js';

/** Node's fs whose `after + 1`-th call of `method` fails. */
async function failingIo(method: 'writeFile' | 'rename', after: number): Promise<{ io: FileIo; calls: () => number }> {
  const real = await nodeIo('test');
  let n = 0;
  const fs = {
    ...real.fs,
    [method]: async (...args: unknown[]) => {
      if (++n === after + 1) throw Object.assign(new Error(`${method} failed (injected)`), { code: 'EIO' });
      return (real.fs[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  } as NodeFs;
  return { io: { fs, path: real.path }, calls: () => n };
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) out[f] = (await readFile(join(dir, f))).toString('base64');
  return out;
}

describe('saving: atomic saves', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function model(seed: number): Sequential {
    setSeed(seed);
    resetLayerNames();
    return new Sequential({ layers: [new Dense({ units: 3, inputShape: [2] })] });
  }

  for (const [method, after, phase] of [['writeFile', 1, 'writing the second file'], ['rename', 1, 'renaming the second file into place']] as const) {
    it(`leaves the previous files byte-identical when ${phase} fails`, async () => {
      const a = model(1);
      await saveModelWeights(a, dir);
      const before = await snapshot(dir);
      const b = model(2);
      const { io, calls } = await failingIo(method, after);
      let error: unknown = null;
      await saveModelWeights(b, dir, io).catch((e: unknown) => (error = e));
      expect(calls(), 'the failure happened mid-way').to.be.at.least(after + 1);
      expect(error).to.be.instanceOf(StrataError);
      expect((error as Error).message).to.contain(`model.saveWeights: could not write '${join(dir, 'weights.json')}'`).and.contain('injected').and.contain('The previous files in the directory were left as they were.');
      // No temporary or backup files are left behind, and the old save is untouched.
      expect(await snapshot(dir)).to.deep.equal(before);
      // A save that works replaces both files.
      await saveModelWeights(b, dir);
      expect(await snapshot(dir)).to.not.deep.equal(before);
      expect(await readdir(dir)).to.have.members(['weights.bin', 'weights.json']);
      a.dispose();
      b.dispose();
    });
  }

  it('creates missing directories, writes in the order given, and keeps unrelated files', async () => {
    const target = join(dir, 'a', 'b');
    const io = await nodeIo('test');
    const order: string[] = [];
    const spy: FileIo = { path: io.path, fs: { ...io.fs, rename: async (from: string, to: string) => { order.push(to); return io.fs.rename(from, to); } } as NodeFs };
    await mkdir(target, { recursive: true });
    await writeFile(join(target, 'keep.txt'), 'x');
    await writeFilesAtomic('test', target, [{ name: 'weights.bin', data: new Uint8Array([1, 2]) }, { name: 'model.json', data: '{}' }], spy);
    expect(order.map((p) => p.slice(target.length + 1))).to.deep.equal(['weights.bin', 'model.json']);
    expect((await readdir(target)).sort()).to.deep.equal(['keep.txt', 'model.json', 'weights.bin']);
  });

  it('names the path when a directory is in the way of a file', async () => {
    await mkdir(join(dir, 'weights.json'));
    const a = model(3);
    let error: unknown = null;
    await saveModelWeights(a, dir).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(StrataError);
    expect((error as Error).message).to.contain(`could not write '${join(dir, 'weights.json')}'`);
    expect((await readdir(dir)).sort()).to.deep.equal(['weights.json']);
    a.dispose();
  });
});

import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StrataError, tensor, type Tensor } from '@strata/core';
import { Callback, callbacks, pyFloat } from '../src/callbacks/index.js';
import type { LayersModel } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { optimizers } from '../src/optimizers/index.js';
import { loadModel } from '../src/saving/load-model.js';
import { linear, weightValues } from './training-helpers.js';

describe('file callbacks', () => {
  let dir = '';
  let x: Tensor;
  let y: Tensor;
  beforeEach(async () => {
    resetLayerNames();
    dir = await mkdtemp(join(tmpdir(), 'strata-callbacks-'));
    x = tensor(Array.from({ length: 10 }, (_, i) => [i / 10, 1 - i / 10]));
    y = tensor(Array.from({ length: 10 }, (_, i) => [i % 2]));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    x.dispose();
    y.dispose();
  });

  function model(): LayersModel {
    const m = linear(2);
    m.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
    return m;
  }

  describe('CSVLogger', () => {
    it('writes a header of sorted log names and one row per epoch, as Keras', async () => {
      const m = model();
      const filename = join(dir, 'log.csv');
      const h = await m.fit(x, y, { epochs: 3, validationSplit: 0.2, verbose: 0, callbacks: [callbacks.csvLogger({ filename })] });
      const keys = ['loss', 'mae', 'val_loss', 'val_mae'];
      const expected = [`epoch,${keys.join(',')}`, ...h.epoch.map((e, i) => [e, ...keys.map((k) => pyFloat(h.history[k]![i]!))].join(','))].join('\n') + '\n';
      expect(await readFile(filename, 'utf8')).to.equal(expected);
      m.dispose();
    });

    it('fills NA where validation did not run, uses the separator, and appends without a second header', async () => {
      const m = model();
      const filename = join(dir, 'log.csv');
      await m.fit(x, y, { epochs: 2, validationSplit: 0.2, validationFreq: 2, verbose: 0, callbacks: [callbacks.csvLogger({ filename, separator: ';' })] });
      let lines = (await readFile(filename, 'utf8')).trimEnd().split('\n');
      expect(lines[0]).to.equal('epoch;loss;mae;val_loss;val_mae');
      expect(lines[1]).to.match(/^0;[^;]+;[^;]+;NA;NA$/);
      expect(lines[2]).to.match(/^1;[^;NA]+;[^;]+;[0-9.e-]+;[0-9.e-]+$/);
      await m.fit(x, y, { epochs: 1, validationSplit: 0.2, verbose: 0, callbacks: [callbacks.csvLogger({ filename, separator: ';', append: true })] });
      lines = (await readFile(filename, 'utf8')).trimEnd().split('\n');
      expect(lines).to.have.length(4);
      expect(lines[3]).to.match(/^0;/);
      // Appending to a missing or empty file writes the header.
      const fresh = join(dir, 'fresh.csv');
      await writeFile(fresh, '');
      await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [callbacks.csvLogger({ filename: fresh, append: true })] });
      expect((await readFile(fresh, 'utf8')).split('\n')[0]).to.equal('epoch,loss,mae');
      m.dispose();
    });

    it('writes values as Python writes floats', () => {
      expect([1, 0.5, 1e-5, 0.0001, 123456789, 1e16, 0.6931471824645996, NaN, -Infinity].map(pyFloat))
        .to.deep.equal(['1.0', '0.5', '1e-05', '0.0001', '123456789.0', '1e+16', '0.6931471824645996', 'nan', '-inf']);
    });

    it('checks its options', () => {
      expect(() => callbacks.csvLogger({ filename: '' })).to.throw(StrataError, "CSVLogger: option 'filename' must be a non-empty file path");
      expect(() => callbacks.csvLogger({ filename: 'a.csv', separator: ',,' })).to.throw(StrataError, "option 'separator' must be one character");
    });
  });

  describe('ModelCheckpoint', () => {
    it('saves the weights (saveWeightsOnly) at each epoch into a directory named from the epoch and the logs', async () => {
      const m = model();
      const ckpt = callbacks.modelCheckpoint({ filepath: join(dir, 'ckpt', 'weights.{epoch:02d}-{val_loss:.2f}'), saveWeightsOnly: true });
      const perEpoch: number[][][] = [];
      const record = { onEpochEnd: async function (this: Callback) { perEpoch.push(await weightValues(this.model!)); } };
      const h = await m.fit(x, y, { epochs: 3, validationSplit: 0.2, verbose: 0, callbacks: [record, ckpt] });
      const names = h.history.val_loss!.map((v, i) => `weights.${String(i + 1).padStart(2, '0')}-${v.toFixed(2)}`);
      expect((await readdir(join(dir, 'ckpt'))).sort()).to.deep.equal([...names].sort());
      expect(ckpt.saved).to.deep.equal(names.map((n) => join(dir, 'ckpt', n)));
      resetLayerNames();
      const restored = model();
      for (let e = 0; e < 3; e++) {
        expect((await readdir(ckpt.saved[e]!)).sort()).to.deep.equal(['weights.bin', 'weights.json']);
        await restored.loadWeights(ckpt.saved[e]!);
        expect(await weightValues(restored)).to.deep.equal(perEpoch[e]);
      }
      m.dispose();
      restored.dispose();
    });

    it('with saveBestOnly saves only when the monitored value improves', async () => {
      const m = model();
      const scores = [3, 2, 2.5, 1, 1.5];
      const script = { onEpochEnd: (e: number, logs: Record<string, number>) => void (logs.score = scores[e]!) };
      const ckpt = callbacks.modelCheckpoint({ filepath: join(dir, 'best-{epoch}'), monitor: 'score', mode: 'min', saveBestOnly: true, saveWeightsOnly: true });
      await m.fit(x, y, { epochs: 5, verbose: 0, callbacks: [script, ckpt] });
      expect((await readdir(dir)).sort()).to.deep.equal(['best-1', 'best-2', 'best-4']);
      expect(ckpt.best).to.equal(1);
      m.dispose();
    });

    it('saves the whole model (model.save) over one directory atomically when the path has no fields, and loadModel resumes from it', async () => {
      const m = model();
      const latest = join(dir, 'latest');
      const ckpt = callbacks.modelCheckpoint({ filepath: latest, monitor: 'loss', saveBestOnly: true });
      await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [ckpt] });
      expect(await readdir(dir)).to.deep.equal(['latest']);
      expect((await readdir(latest)).sort()).to.deep.equal(['model.json', 'weights.bin']);
      const restored = await loadModel(latest);
      expect(await weightValues(restored)).to.deep.equal(await weightValues(m));
      expect(restored.optimizer!.className).to.equal('SGD');
      expect(restored.optimizer!.iterations).to.equal(m.optimizer!.iterations);
      m.dispose();
      restored.dispose();
    });

    it("uses the model's own saveWeights / save when it has them", async () => {
      const m = model();
      const calls: string[] = [];
      Object.assign(m, { saveWeights: async (p: string) => void calls.push(`weights ${p}`), save: async (p: string) => void calls.push(`model ${p}`) });
      await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [callbacks.modelCheckpoint({ filepath: 'w{epoch}', saveWeightsOnly: true }), callbacks.modelCheckpoint({ filepath: 'm{epoch}' })] });
      expect(calls).to.deep.equal(['weights w1', 'model m1', 'weights w2', 'model m2']);
      m.dispose();
    });

    it('names a path field that is not in the logs, listing the ones there are', async () => {
      const m = model();
      let error: Error | null = null;
      await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [callbacks.modelCheckpoint({ filepath: join(dir, 'w-{val_acc:.2f}.json') })] }).catch((e: Error) => (error = e));
      expect(error).to.be.instanceOf(StrataError);
      expect(error!.message).to.contain("ModelCheckpoint: the path '").and.contain("uses {val_acc}, which is not among the values available at this point (loss, mae, epoch)");
      m.dispose();
    });
  });
});

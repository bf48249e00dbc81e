import { expect } from 'chai';
import { tensor } from '@strata/core';
import { ProgbarLogger, progressBar } from '../src/callbacks/progbar-logger.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { captureStream, linear } from './training-helpers.js';

const NUM = '-?\\d+\\.\\d{4}(e[+-]\\d\\d)?';

describe('fit progress output', () => {
  beforeEach(() => resetLayerNames());

  async function run(isTTY: boolean, verbose: 0 | 1 | 2) {
    const model = linear(2);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const [x, y] = [tensor(Array.from({ length: 10 }, (_, i) => [i / 10, 1])), tensor(Array.from({ length: 10 }, (_, i) => [i / 5]))];
    const stream = captureStream(isTTY);
    await model.fit(x, y, { epochs: 2, batchSize: 3, validationSplit: 0.2, verbose, progressStream: stream });
    model.dispose();
    x.dispose();
    y.dispose();
    return stream;
  }

  it('on a TTY, redraws a Keras-style bar in place and ends each epoch with its time, step time and all logs', async () => {
    const out = (await run(true, 1)).text();
    const epochs = out.split(/Epoch \d\/2\n/).slice(1);
    expect(out.startsWith('Epoch 1/2\n')).to.equal(true);
    expect(epochs).to.have.length(2);
    for (const text of epochs) {
      const draws = text.split('\r').slice(1);
      // Intermediate draws: `n/3 [bar] - ETA: 0s - loss: ... - mae: ...`.
      for (const d of draws.slice(0, -1)) {
        expect(d.trimEnd()).to.match(new RegExp(`^[1-3]/3 \\[[=>.]{30}\\] - ETA: \\d+s - loss: ${NUM} - mae: ${NUM}$`));
      }
      // The final draw: all of the bar, time, time per step, training and validation logs.
      const last = draws[draws.length - 1]!;
      expect(last.endsWith('\n')).to.equal(true);
      expect(last.trimEnd()).to.match(new RegExp(`^3/3 \\[={30}\\] - \\d+s \\d+(s|ms|us)/step - loss: ${NUM} - mae: ${NUM} - val_loss: ${NUM} - val_mae: ${NUM}$`));
    }
  });

  it('without a TTY, writes one line per epoch', async () => {
    const out = (await run(false, 1)).text();
    const lines = out.split('\n');
    expect(lines.pop()).to.equal('');
    expect(lines).to.have.length(2);
    lines.forEach((line, i) => {
      expect(line).to.match(new RegExp(`^Epoch ${i + 1}/2 - \\d+s - loss: ${NUM} - mae: ${NUM} - val_loss: ${NUM} - val_mae: ${NUM}$`));
    });
  });

  it('writes one line per epoch with verbose 2 even on a TTY, and nothing with verbose 0', async () => {
    const two = (await run(true, 2)).text();
    expect(two.split('\n').filter(Boolean).map((l) => l.slice(0, 10))).to.deep.equal(['Epoch 1/2 ', 'Epoch 2/2 ']);
    expect(two).to.not.contain('\r');
    expect((await run(true, 0)).chunks).to.deep.equal([]);
  });

  it('asks for batch logs only when it will redraw: never without a TTY, throttled on one', () => {
    const flat = new ProgbarLogger({ stream: captureStream(false) });
    flat.setParams({ steps: 10, epochs: 1 });
    expect([0, 5, 9].map((b) => flat.wantsBatchLogs('train', b))).to.deep.equal([false, false, false]);
    const tty = new ProgbarLogger({ stream: captureStream(true), interval: 1e9 });
    tty.setParams({ steps: 10, epochs: 1 });
    tty.onTrainBegin();
    tty.onEpochBegin(0);
    expect(tty.wantsBatchLogs('train', 0)).to.equal(true);
    tty.onBatchEnd(0, { loss: 1 });
    // Within the interval only the last batch is drawn.
    expect([1, 5, 8, 9].map((b) => tty.wantsBatchLogs('train', b))).to.deep.equal([false, false, false, true]);
    expect(tty.wantsBatchLogs('test', 9)).to.equal(false);
  });

  it('draws Keras\' bar: = for done, > at the head, dots for the rest', () => {
    expect(progressBar(12, 47)).to.equal(`12/47 [${'='.repeat(6)}>${'.'.repeat(23)}]`);
    expect(progressBar(47, 47)).to.equal(`47/47 [${'='.repeat(30)}]`);
    expect(progressBar(1, 100)).to.equal(`  1/100 [${'.'.repeat(30)}]`);
  });

  it('evaluate draws a bar with verbose 1 on a TTY and a line without one; predict too', async () => {
    const model = linear(2);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tensor(Array.from({ length: 5 }, (_, i) => [i, 1])), tensor(Array.from({ length: 5 }, () => [0]))];
    const tty = captureStream(true);
    await model.evaluate(x, y, { batchSize: 2, verbose: 1, progressStream: tty });
    expect(tty.text()).to.match(new RegExp(`\\r3/3 \\[={30}\\] - \\d+s \\d+(s|ms|us)/step - loss: ${NUM}\\n$`));
    const flat = captureStream(false);
    await model.evaluate(x, y, { batchSize: 2, verbose: 1, progressStream: flat });
    expect(flat.text()).to.match(new RegExp(`^3/3 - \\d+s - loss: ${NUM}\\n$`));
    const p = captureStream(false);
    (await model.predict(x, { batchSize: 2, verbose: 1, progressStream: p }) as { dispose(): void }).dispose();
    expect(p.text()).to.match(/^3\/3 - \d+s\n$/);
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

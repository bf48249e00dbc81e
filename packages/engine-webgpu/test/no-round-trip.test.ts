import { expect } from 'chai';
import { dispose, setEngine, setSeed, tensor } from '@strata/core';
import { layers, sequential } from '@strata/layers';
import { sharedEngine } from './shared-engine.js';

// Training queues GPU work and reads nothing back per batch: the only reads are the data check
// before training and the epoch logs after each epoch.
describe('webgpu training without host round trips', () => {
  it('fit reads from the GPU a fixed number of times per epoch, not per batch', async () => {
    const engine = await sharedEngine();
    setEngine(engine, { kind: 'direct' });
    setSeed(7);
    const model = sequential({ layers: [layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tensor(Float32Array.from({ length: 64 * 4 }, (_, i) => Math.sin(i)), [64, 4]);
    const y = tensor(Float32Array.from({ length: 64 }, (_, i) => Math.cos(i)), [64, 1]);
    const originalRead = engine.read.bind(engine);
    const readsPerRun: number[] = [];
    let reads = 0;
    engine.read = (t) => (reads++, originalRead(t));
    try {
      for (const batchSize of [32, 4]) {
        reads = 0;
        await model.fit(x, y, { epochs: 2, batchSize, shuffle: false, verbose: 0 });
        readsPerRun.push(reads);
      }
    } finally {
      engine.read = originalRead;
      dispose([x, y]);
      model.dispose();
    }
    // 2 batches per epoch, then 16: the same number of reads.
    expect(readsPerRun[0]).to.be.greaterThan(0);
    expect(readsPerRun[1]).to.equal(readsPerRun[0]);
  });
});

import { expect } from 'chai';
import { CpuEngine } from '@strata/engine-cpu';
import { activeEngine, hasEngine, memory, setEngine } from '../src/runtime.js';
import { tensor } from '../src/convert.js';
import { EngineStateError } from '../src/util/errors.js';

/** A CPU engine that records whether core closed it when switching away. */
class ClosableCpuEngine extends CpuEngine {
  closed = false;
  override close(): void {
    this.closed = true;
    super.close();
  }
}

describe('setEngine', () => {
  it('refuses to switch while tensors are live, then allows it once they are disposed', () => {
    const first = new ClosableCpuEngine();
    // Start from a known engine; the other test files leave no tensors alive.
    expect(memory().numTensors, 'no tensors live before the test').to.equal(0);
    setEngine(first);
    const a = tensor([1, 2]);
    const b = tensor([3]);
    const second = new ClosableCpuEngine();
    let err: unknown;
    try {
      setEngine(second);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(EngineStateError);
    const message = (err as Error).message;
    expect(message).to.contain('Cannot switch engine from "cpu" to "cpu"');
    expect(message).to.contain('2 tensor(s) still live');
    expect(message).to.contain('dispose every tensor first');
    // The refused switch changed nothing: the first engine is still active and open.
    expect(activeEngine().engine).to.equal(first);
    expect(first.closed).to.equal(false);
    expect(Array.from(a.dataSync())).to.deep.equal([1, 2]);

    a.dispose();
    b.dispose();
    setEngine(second, { kind: 'argument' });
    expect(activeEngine().engine).to.equal(second);
    expect(activeEngine().source).to.deep.equal({ kind: 'argument' });
    expect(first.closed, 'the old engine is closed').to.equal(true);
    expect(second.closed).to.equal(false);
  });

  it('re-installing the active engine is allowed with live tensors and only updates the source', () => {
    if (!hasEngine()) setEngine(new CpuEngine());
    const engine = activeEngine().engine;
    const t = tensor([1]);
    setEngine(engine, { kind: 'config', file: 'strata.config.json' });
    expect(activeEngine().engine).to.equal(engine);
    expect(activeEngine().source).to.deep.equal({ kind: 'config', file: 'strata.config.json' });
    t.dispose();
  });

  it('memory() reports the engine buffers alongside core counts', () => {
    if (!hasEngine()) setEngine(new CpuEngine());
    const before = memory();
    const t = tensor([1, 2, 3, 4], [4], 'int32');
    const after = memory();
    expect(after.numTensors - before.numTensors).to.equal(1);
    expect(after.numBytes - before.numBytes).to.equal(16);
    expect(after.engine.numBuffers - before.engine.numBuffers).to.equal(1);
    expect(after.engine.numBytes - before.engine.numBytes).to.equal(16);
    t.dispose();
  });
});

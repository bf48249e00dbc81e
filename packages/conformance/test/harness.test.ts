import { expect } from 'chai';
import { customGrad, exp, mul, setEngine, square, tensor, type Tensor } from '@strata/core';
import { CpuEngine } from '@strata/engine-cpu';
import { checkGradients, expectClose, expectNoLeaks, withoutFastPaths } from '../src/index.js';

// The harness must be able to fail: each check is shown catching a planted mistake.
describe('conformance harness', () => {
  before(() => setEngine(new CpuEngine()));

  it('expectClose accepts tolerance-sized errors, rejects larger ones, and matches NaN only with NaN', () => {
    expectClose([1, NaN, Infinity], [1 + 1e-7, NaN, Infinity]);
    expect(() => expectClose([1.01], [1])).to.throw(/expected 1, got 1.01/);
    expect(() => expectClose([0], [NaN])).to.throw(/expected NaN/);
    expect(() => expectClose([1, 2], [1])).to.throw(/element count/);
  });

  it('checkGradients passes a true gradient and catches a wrong one', async () => {
    await checkGradients((x) => exp(x), [tensor([0.1, -0.4, 0.7])]);
    const wrongSquare = customGrad((x: Tensor) => ({ value: square(x), gradFunc: (dy: Tensor) => mul(dy, x) }));
    let failed = false;
    try {
      await checkGradients((x) => wrongSquare(x), [tensor([0.5, -1.5])]);
    } catch {
      failed = true;
    }
    expect(failed, 'a gradient missing its factor 2 must fail the check').to.equal(true);
  });

  it('expectNoLeaks catches a tensor left alive', async () => {
    let leaked: Tensor | undefined;
    let failed = false;
    try {
      await expectNoLeaks(() => {
        leaked = tensor([1]);
      });
    } catch {
      failed = true;
    }
    leaked?.dispose();
    expect(failed).to.equal(true);
  });

  it('withoutFastPaths hides the optional kernels and keeps the required ones', () => {
    const engine = withoutFastPaths(new CpuEngine());
    expect(engine.conv2d).to.equal(undefined);
    expect('softmax' in engine).to.equal(false);
    expect(engine.matmul).to.be.a('function');
  });
});

import { expect } from 'chai';
import {
  DisposedTensorError, add, clone, customGrad, dispose, exp, grads, keep, memory, mul, ones, reshape,
  square, sum, tensor, tidy, valueAndGrads, variable, where, zeros, type MemoryInfo, type Tensor,
} from '@strata/core';
import { conformanceCase, expectNoLeaks, expectTensor, type SuiteContext } from '../harness.js';
import { expectOpError } from './case-helpers.js';

/** Change in memory counts since `before`. */
function delta(before: MemoryInfo): { tensors: number; buffers: number; bytes: number; engineBuffers: number } {
  const now = memory();
  return {
    tensors: now.numTensors - before.numTensors,
    buffers: now.numDataBuffers - before.numDataBuffers,
    bytes: now.numBytes - before.numBytes,
    engineBuffers: now.engine.numBuffers - before.engine.numBuffers,
  };
}

/**
 * Cases for memory management: `tidy` (intermediates freed, results kept in any container, nested
 * scopes, `keep`, errors and async functions), `dispose`, `using`, exact `memory()` counts,
 * use-after-dispose errors, and leak-freedom of autograd and of ops given plain arrays.
 *
 * @example
 * describe('memory', () => memoryCases(ctx));
 */
export function memoryCases(ctx: SuiteContext): void {
  describe('tidy', () => {
    conformanceCase(ctx, 'tidy.disposes-intermediates', async () => {
      const before = memory();
      let intermediate: Tensor | undefined;
      const y = tidy(() => {
        const a = tensor([1, 2, 3]);
        intermediate = exp(a);
        return add(intermediate, 1);
      });
      expect(intermediate!.isDisposed).to.equal(true);
      expect(delta(before)).to.deep.equal({ tensors: 1, buffers: 1, bytes: 12, engineBuffers: 1 });
      await expectTensor(y, [Math.E + 1, Math.exp(2) + 1, Math.exp(3) + 1]);
      y.dispose();
      expect(delta(before)).to.deep.equal({ tensors: 0, buffers: 0, bytes: 0, engineBuffers: 0 });
    });

    conformanceCase(ctx, 'tidy.keeps-returned-containers', async () => {
      const before = memory();
      let dropped: Tensor | undefined;
      const result = tidy(() => {
        dropped = ones([2]);
        return { a: ones([1]), list: [zeros([3]), { deep: ones([2, 2]) }], n: 3, s: 'x' };
      });
      expect(dropped!.isDisposed).to.equal(true);
      expect(result.n).to.equal(3);
      expect(delta(before).tensors).to.equal(3);
      const deep = (result.list[1] as { deep: Tensor }).deep;
      await expectTensor(deep, [1, 1, 1, 1], { shape: [2, 2] });
      dispose(result);
      expect(delta(before)).to.deep.equal({ tensors: 0, buffers: 0, bytes: 0, engineBuffers: 0 });
    });

    conformanceCase(ctx, 'tidy.nested', async () => {
      const before = memory();
      let innerResult: Tensor | undefined;
      let innerTemp: Tensor | undefined;
      const outer = tidy(() => {
        innerResult = tidy(() => {
          innerTemp = ones([2]);
          return mul(innerTemp, 3);
        });
        expect(innerTemp!.isDisposed, 'inner temporary freed at inner end').to.equal(true);
        expect(innerResult.isDisposed, 'inner result alive in outer scope').to.equal(false);
        return add(innerResult, 1);
      });
      // The inner result was not returned by the outer scope, so it is freed there.
      expect(innerResult!.isDisposed).to.equal(true);
      await expectTensor(outer, [4, 4]);
      outer.dispose();
      expect(delta(before).tensors).to.equal(0);
    });

    conformanceCase(ctx, 'tidy.keep', async () => {
      const before = memory();
      let kept: Tensor | undefined;
      let other: Tensor | undefined;
      tidy(() => {
        kept = keep(square(tensor([3])));
        other = square(tensor([4]));
      });
      expect(kept!.isDisposed).to.equal(false);
      expect(other!.isDisposed).to.equal(true);
      // keep survives nested scopes too.
      let deepKept: Tensor | undefined;
      tidy(() => tidy(() => {
        deepKept = keep(ones([1]));
      }));
      expect(deepKept!.isDisposed).to.equal(false);
      await expectTensor(kept!, [9]);
      kept!.dispose();
      deepKept!.dispose();
      expect(delta(before).tensors).to.equal(0);
    });

    conformanceCase(ctx, 'tidy.outer-tensors-untouched', async () => {
      const x = tensor([1, 2]);
      const y = tidy(() => x);
      expect(y).to.equal(x);
      expect(x.isDisposed).to.equal(false);
      tidy(() => {
        exp(x);
      });
      expect(x.isDisposed).to.equal(false);
      x.dispose();
    });

    conformanceCase(ctx, 'tidy.variables-survive', async () => {
      let v: Tensor | undefined;
      tidy(() => {
        v = variable(ones([2]), true, 'memory_case_v');
      });
      expect(v!.isDisposed).to.equal(false);
      await expectTensor(v!, [1, 1]);
      v!.dispose();
    });

    conformanceCase(ctx, 'tidy.throwing-frees-scope', async () => {
      await expectNoLeaks(() => {
        expect(() => tidy(() => {
          ones([4]);
          exp(ones([2]));
          throw new Error('inside tidy');
        })).to.throw('inside tidy');
      });
    });

    conformanceCase(ctx, 'tidy.async-function-throws', async () => {
      await expectNoLeaks(async () => {
        let resume: () => void = () => {};
        const gate = new Promise<void>((r) => (resume = r));
        const asyncFn = (async () => {
          ones([3]);
          await gate;
        }) as unknown as () => Tensor;
        expect(() => tidy(asyncFn)).to.throw(TypeError, /Promise/);
        resume();
        await gate;
      });
    });
  });

  describe('dispose and using', () => {
    conformanceCase(ctx, 'dispose.containers', () => {
      const before = memory();
      const a = ones([1]);
      const b = ones([2]);
      const c = ones([3]);
      const d = ones([4]);
      dispose([a, { b, nested: [c] }, 'text', 5, null]);
      expect([a, b, c].every((t) => t.isDisposed)).to.equal(true);
      expect(d.isDisposed).to.equal(false);
      dispose(d);
      dispose(d);
      a.dispose();
      expect(delta(before)).to.deep.equal({ tensors: 0, buffers: 0, bytes: 0, engineBuffers: 0 });
    });

    conformanceCase(ctx, 'using.disposes-at-block-end', async () => {
      const before = memory();
      let escaped: Tensor | undefined;
      {
        using t = tensor([1, 2, 3]);
        using u = mul(t, 2);
        escaped = u;
        await expectTensor(u, [2, 4, 6]);
        expect(delta(before).tensors).to.equal(2);
      }
      expect(escaped!.isDisposed).to.equal(true);
      expect(delta(before)).to.deep.equal({ tensors: 0, buffers: 0, bytes: 0, engineBuffers: 0 });
    });

    conformanceCase(ctx, 'using.disposes-on-throw', () => {
      const before = memory();
      let escaped: Tensor | undefined;
      expect(() => {
        using t = ones([5]);
        escaped = t;
        throw new Error('leave the block');
      }).to.throw('leave the block');
      expect(escaped!.isDisposed).to.equal(true);
      expect(delta(before).tensors).to.equal(0);
    });
  });

  describe('counts', () => {
    conformanceCase(ctx, 'memory.exact-counts', () => {
      const before = memory();
      const f = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      expect(delta(before)).to.deep.equal({ tensors: 1, buffers: 1, bytes: 24, engineBuffers: 1 });
      const i = tensor([1, 2, 3], [3], 'int32');
      expect(delta(before)).to.deep.equal({ tensors: 2, buffers: 2, bytes: 36, engineBuffers: 2 });
      const b = tensor([true, false, true, true, false]);
      expect(delta(before)).to.deep.equal({ tensors: 3, buffers: 3, bytes: 41, engineBuffers: 3 });
      // reshape and clone share the buffer: more tensors, no more buffers.
      const r = reshape(f, [3, 2]);
      const c = clone(f);
      expect(delta(before)).to.deep.equal({ tensors: 5, buffers: 3, bytes: 41, engineBuffers: 3 });
      // The buffer lives while any tensor holds it.
      f.dispose();
      r.dispose();
      expect(delta(before)).to.deep.equal({ tensors: 3, buffers: 3, bytes: 41, engineBuffers: 3 });
      c.dispose();
      expect(delta(before)).to.deep.equal({ tensors: 2, buffers: 2, bytes: 17, engineBuffers: 2 });
      dispose([i, b]);
      expect(delta(before)).to.deep.equal({ tensors: 0, buffers: 0, bytes: 0, engineBuffers: 0 });
    });

    conformanceCase(ctx, 'memory.size-zero-and-scalar', () => {
      const before = memory();
      const e = zeros([0, 4]);
      const s = tensor(1);
      expect(delta(before)).to.deep.equal({ tensors: 2, buffers: 2, bytes: 4, engineBuffers: 2 });
      dispose([e, s]);
      expect(delta(before).tensors).to.equal(0);
    });

    conformanceCase(ctx, 'memory.variable-assign', () => {
      const before = memory();
      const v = variable([1, 2], true, 'memory_case_assign');
      expect(delta(before)).to.deep.equal({ tensors: 1, buffers: 1, bytes: 8, engineBuffers: 1 });
      const next = tensor([3, 4]);
      v.assign(next);
      // The old buffer is released; the new one is shared by `next` and `v`.
      expect(delta(before)).to.deep.equal({ tensors: 2, buffers: 1, bytes: 8, engineBuffers: 1 });
      next.dispose();
      expect(delta(before)).to.deep.equal({ tensors: 1, buffers: 1, bytes: 8, engineBuffers: 1 });
      v.dispose();
      expect(delta(before).tensors).to.equal(0);
    });
  });

  describe('use after dispose', () => {
    conformanceCase(ctx, 'dispose.use-after-dispose', async () => {
      const t = tensor([1, 2]);
      t.dispose();
      expect(t.isDisposed).to.equal(true);
      t.dispose();
      let err: unknown;
      try {
        await t.data();
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(DisposedTensorError);
      expect((err as Error).message).to.contain('used after dispose()').and.to.contain('shape [2], float32').and.to.contain('keep()');
      expectOpError(() => exp(t), 'exp', 'x', 'disposed');
      expectOpError(() => add(1, t), 'add', 'b', 'disposed');
      expect(t.toString()).to.contain('disposed');
    });
  });

  describe('leak freedom', () => {
    conformanceCase(ctx, 'leaks.plain-array-arguments', async () => {
      await expectNoLeaks(async () => {
        const y = add([1, 2], [3, 4]);
        await expectTensor(y, [4, 6]);
        y.dispose();
        const z = where([true, false], [1, 2], 0);
        z.dispose();
      });
    });

    conformanceCase(ctx, 'leaks.failed-ops', async () => {
      await expectNoLeaks(() => {
        expect(() => add([1, 2, 3], [1, 2])).to.throw();
        expect(() => where([1, 0], [1, 2], [3, 4])).to.throw();
        expect(() => exp([true])).to.throw();
        expect(() => reshape([1, 2, 3], [2, 2])).to.throw();
      });
    });

    conformanceCase(ctx, 'leaks.autograd', async () => {
      const x = tensor([0.5, 1.5]);
      const y = tensor([2, -1]);
      await expectNoLeaks(async () => {
        grads((a, b) => sum(mul(exp(a), b)))([x, y]).forEach((g) => g.dispose());
        const vg = valueAndGrads((a, b) => mul(square(a), b))([x, [1, 2]], [1, 1]);
        await vg.value.data();
        vg.value.dispose();
        vg.grads.forEach((g) => g.dispose());
        const double = customGrad((t: Tensor, save: (s: Tensor[]) => void) => {
          const two = mul(t, 2);
          save([two]);
          // The gradient reads the saved tensor, so its lifetime is exercised too.
          return { value: mul(two, 1), gradFunc: (dy: Tensor, [saved]: Tensor[]) => mul(dy, add(mul(saved!, 0), 2)) };
        });
        double(x).dispose();
        grads((t) => sum(double(t)))([x]).forEach((g) => g.dispose());
      });
      x.dispose();
      y.dispose();
    });
  });
}

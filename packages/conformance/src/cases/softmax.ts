import { grad, logSoftmax, softmax, tensor, type Tensor } from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { expectOpError } from './case-helpers.js';

/** Reference (log-)softmax along `axis` in float64, by the textbook stable formula. */
function refSoftmax(values: ArrayLike<number>, shape: readonly number[], axis: number, log: boolean): number[] {
  const inner = shape.slice(axis + 1).reduce((n, d) => n * d, 1);
  const len = shape[axis]!;
  const outer = shape.slice(0, axis).reduce((n, d) => n * d, 1);
  const out = new Array<number>(values.length).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number): number => o * len * inner + k * inner + i;
      let max = -Infinity;
      for (let k = 0; k < len; k++) max = Math.max(max, values[at(k)]!);
      let total = 0;
      for (let k = 0; k < len; k++) total += Math.exp(values[at(k)]! - max);
      for (let k = 0; k < len; k++) {
        const shifted = values[at(k)]! - max;
        out[at(k)] = log ? shifted - Math.log(total) : Math.exp(shifted) / total;
      }
    }
  }
  return out;
}

const KINDS = [
  { name: 'softmax', op: softmax, log: false },
  { name: 'logSoftmax', op: logSoftmax, log: true },
] as const;

/**
 * Cases for `softmax` and `logSoftmax` on every axis, with large, -Infinity and NaN logits,
 * size-0/1 dims, int32, errors, gradients (finite differences and closed forms) and leaks.
 *
 * @example
 * describe('softmax', () => softmaxCases(ctx));
 */
export function softmaxCases(ctx: SuiteContext): void {
  for (const { name, op, log } of KINDS) {
    describe(name, () => {
      conformanceCase(ctx, `${name}.golden`, async () => {
        // softmax([1, 2, 3]) = e^k / (e + e^2 + e^3), by hand.
        const z = Math.E + Math.E ** 2 + Math.E ** 3;
        const expected = [1, 2, 3].map((k) => (log ? k - Math.log(z) : Math.E ** k / z));
        const y = op([1, 2, 3]);
        await expectTensor(y, expected, { shape: [3], dtype: 'float32' });
        y.dispose();
      });

      conformanceCase(ctx, `${name}.last-axis-random`, async () => {
        const shape = [3, 4, 7];
        const values = randomValues(84, 1, -4, 4);
        const x = tensor(values, shape);
        for (const axis of [-1, 2]) {
          const y = op(x, axis);
          await expectTensor(y, refSoftmax(values, shape, 2, log), { shape, atol: 1e-5, rtol: 1e-5 });
          y.dispose();
        }
        x.dispose();
      });

      conformanceCase(ctx, `${name}.other-axes`, async () => {
        const shape = [3, 4, 5];
        const values = randomValues(60, 2, -3, 3);
        const x = tensor(values, shape);
        for (const [axis, resolved] of [[0, 0], [1, 1], [-2, 1], [-3, 0]] as const) {
          const y = op(x, axis);
          await expectTensor(y, refSoftmax(values, shape, resolved, log), { shape, atol: 1e-5, rtol: 1e-5 });
          y.dispose();
        }
        x.dispose();
      });

      conformanceCase(ctx, `${name}.large-values`, async () => {
        // Shifting by a constant does not change the result; exp(1000) would overflow unshifted.
        const y = op([[1000, 1001, 1002], [-1000, -1001, -1002]]);
        const row = refSoftmax([0, 1, 2], [3], 0, log);
        const row2 = refSoftmax([0, -1, -2], [3], 0, log);
        await expectTensor(y, [...row, ...row2], { shape: [2, 3], atol: 1e-4, rtol: 1e-5 });
        y.dispose();
      });

      conformanceCase(ctx, `${name}.negative-infinity`, async () => {
        const y = op([[-Infinity, 0, 0], [-Infinity, -Infinity, 5]]);
        const expected = log ? [-Infinity, -Math.LN2, -Math.LN2, -Infinity, -Infinity, 0] : [0, 0.5, 0.5, 0, 0, 1];
        await expectTensor(y, expected, { shape: [2, 3] });
        y.dispose();
      });

      conformanceCase(ctx, `${name}.nan-propagates-within-its-row`, async () => {
        const y = op([[NaN, 0, 1], [0, 0, 0]]);
        const fine = log ? -Math.log(3) : 1 / 3;
        await expectTensor(y, [NaN, NaN, NaN, fine, fine, fine], { shape: [2, 3] });
        y.dispose();
      });

      conformanceCase(ctx, `${name}.size-one-and-zero`, async () => {
        const one = op([[5], [-7]]);
        await expectTensor(one, log ? [0, 0] : [1, 1], { shape: [2, 1] });
        const emptyRows = op(tensor([], [0, 3]));
        await expectTensor(emptyRows, [], { shape: [0, 3] });
        const emptyAxis = op(tensor([], [2, 0]));
        await expectTensor(emptyAxis, [], { shape: [2, 0] });
        const emptyOther = op(tensor([], [0, 3]), 0);
        await expectTensor(emptyOther, [], { shape: [0, 3] });
        [one, emptyRows, emptyAxis, emptyOther].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.int32-gives-float32`, async () => {
        const x = tensor([1, 2, 3], [3], 'int32');
        const y = op(x);
        await expectTensor(y, refSoftmax([1, 2, 3], [3], 0, log), { shape: [3], dtype: 'float32' });
        [x, y].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.errors`, async () => {
        const flags = tensor([true, false]);
        const scalar = tensor(3);
        const x = tensor([[1, 2]]);
        expectOpError(() => op(flags), name, 'logits', 'bool');
        expectOpError(() => op(scalar), name, 'logits', '[]');
        expectOpError(() => op(x, 2), name, 'axis', '2');
        expectOpError(() => op(x, -3), name, 'axis', '-3');
        [flags, scalar, x].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.gradient`, async () => {
        const x = tensor(randomValues(12, 3, -2, 2), [3, 4]);
        await checkGradients((t) => op(t), [x]);
        await checkGradients((t) => op(t, 0), [x]);
        const cube = tensor(randomValues(24, 4, -2, 2), [2, 3, 4]);
        await checkGradients((t) => op(t, 1), [cube]);
        [x, cube].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.gradient-large-and-negative-infinity`, async () => {
        // Against the closed forms: softmax dx = y (dy - sum(dy y)); logSoftmax dx = dy - p sum(dy).
        const values = [1000, 1001, -Infinity, 999];
        const dyValues = [0.3, -0.7, 0, 1.1];
        const x = tensor(values, [1, 4]);
        const dy = tensor(dyValues, [1, 4]);
        const p = refSoftmax(values, [4], 0, false);
        const expected = log
          ? dyValues.map((d, i) => d - p[i]! * dyValues.reduce((s, v) => s + v, 0))
          : dyValues.map((d, i) => p[i]! * (d - dyValues.reduce((s, v, k) => s + v * p[k]!, 0)));
        const dx = grad((t: Tensor) => op(t))(x, dy);
        await expectTensor(dx, expected, { shape: [1, 4], atol: 1e-5, rtol: 1e-4 });
        [x, dy, dx].forEach((t) => t.dispose());
      });

      conformanceCase(ctx, `${name}.no-leaks`, async () => {
        const x = tensor(randomValues(12, 5), [3, 4]);
        await expectNoLeaks(async () => {
          const y = op(x, 0);
          await y.data();
          y.dispose();
          op([1, 2]).dispose();
          const g = grad((t: Tensor) => op(t, 1))(x);
          g.dispose();
        });
        x.dispose();
      });
    });
  }
}

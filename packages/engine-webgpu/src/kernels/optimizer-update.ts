import type { OptimizerUpdate, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, perElementShader, type Uniform } from '../program.js';

/**
 * The WGSL body of each rule: reads `grad` (the gradient) and the slots `out1..`, writes the slots and
 * the variable `out0` in place. Same formulas and order of operations as the CPU engine's kernel
 * (see `OptimizerUpdate` in engine-api), so the engines agree to float32 rounding.
 */
function body(update: OptimizerUpdate): { code: string; uniforms: Uniform[] } {
  switch (update.kind) {
    case 'sgd':
      if (update.momentum === 0) {
        return { code: 'out0[i] = out0[i] - grad * u.lr;', uniforms: [['lr', 'f32', update.learningRate]] };
      }
      return {
        code: `let m = out1[i] * u.momentum - grad * u.lr;
out1[i] = m;
  out0[i] = out0[i] + ${update.nesterov ? 'm * u.momentum - grad * u.lr' : 'm'};`,
        uniforms: [['lr', 'f32', update.learningRate], ['momentum', 'f32', update.momentum]],
      };
    case 'adam':
      return {
        code: `let m = out1[i] + (grad - out1[i]) * u.c1;
  var v = out2[i] + (grad * grad - out2[i]) * u.c2;
  out1[i] = m;
  out2[i] = v;
  ${update.amsgrad ? `let h = out3[i];
  // NaN wins, as in core's maximum: a NaN compares false, so test its bits.
  if (h > v || (bitcast<u32>(h) & 0x7fffffffu) > 0x7f800000u) { v = h; }
  out3[i] = v;` : ''}
  out0[i] = out0[i] - (m * u.alpha) / (sqrt(v) + u.epsilon);`,
        uniforms: [['alpha', 'f32', update.alpha], ['c1', 'f32', 1 - update.beta1], ['c2', 'f32', 1 - update.beta2], ['epsilon', 'f32', update.epsilon]],
      };
    case 'rmsprop': {
      const hasMomentum = update.momentum > 0;
      const avg = `out${hasMomentum ? 3 : 2}`;
      return {
        code: `let v = out1[i] * u.rho + (grad * grad) * u.c;
  out1[i] = v;
  ${update.centered ? `let a = ${avg}[i] * u.rho + grad * u.c;
  ${avg}[i] = a;
  let d = v - a * a + u.epsilon;` : 'let d = v + u.epsilon;'}
  let increment = (grad * u.lr) / sqrt(d);
  ${hasMomentum ? `let mom = out2[i] * u.momentum + increment;
  out2[i] = mom;
  out0[i] = out0[i] - mom;` : 'out0[i] = out0[i] - increment;'}`,
        uniforms: [['lr', 'f32', update.learningRate], ['rho', 'f32', update.rho], ['c', 'f32', 1 - update.rho], ['momentum', 'f32', update.momentum], ['epsilon', 'f32', update.epsilon]],
      };
    }
    case 'adagrad':
      return {
        code: `let acc = out1[i] + grad * grad;
  out1[i] = acc;
  out0[i] = out0[i] - (grad * u.lr) / sqrt(acc + u.epsilon);`,
        uniforms: [['lr', 'f32', update.learningRate], ['epsilon', 'f32', update.epsilon]],
      };
  }
}

/**
 * One optimizer step in one dispatch: reads the variable, gradient and slots once and writes the
 * variable and slots back into their own buffers (core has made them exclusive). Replaces about a
 * dozen elementwise passes and their temporary buffers per variable.
 *
 * @example
 * optimizerUpdate(runtime, { kind: 'adagrad', learningRate: 0.01, epsilon: 1e-7 }, w, g, [acc]);
 */
export function optimizerUpdate(runtime: GpuRuntime, update: OptimizerUpdate, variable: TensorInfo, gradient: TensorInfo, slots: readonly TensorInfo[]): void {
  const size = sizeOf(variable.shape);
  const { code, uniforms } = body(update);
  const variant = [update.kind, 'momentum' in update && update.momentum > 0 ? 'm' : '', 'nesterov' in update && update.nesterov ? 'n' : '',
    'amsgrad' in update && update.amsgrad ? 'a' : '', 'centered' in update && update.centered ? 'c' : ''].join('');
  runtime.runInPlace({
    key: `optimizerUpdate:${variant}:${slots.length}`,
    uniforms: [['size', 'u32', size], ...uniforms],
    workgroups: grid1d(size),
    source: (header) => perElementShader(header, `let grad = in0[i];\n${code}`),
  }, [gradient], [variable, ...slots]);
}

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

// TF.js as the topology tests use it: tfjs-core's Node bundle leaves out the chained tensor methods
// (`t.flatten()`, `t.stridedSlice(...)`) that the union package `@tensorflow/tfjs` registers and
// tfjs-layers calls (its Orthogonal initializer, for one), so they are added here from the ops.

const extra: Record<string, (t: tf.Tensor, ...args: never[]) => tf.Tensor> = {
  flatten: (t) => tf.reshape(t, [t.size]),
  asType: (t, dtype: tf.DataType) => tf.cast(t, dtype),
  toFloat: (t) => tf.cast(t, 'float32'),
  toInt: (t) => tf.cast(t, 'int32'),
  toBool: (t) => tf.cast(t, 'bool'),
  reshapeAs: (t, other: tf.Tensor) => tf.reshape(t, other.shape),
  asScalar: (t) => tf.reshape(t, []),
};

function registerChainedOps(): void {
  const proto = (tf.Tensor as unknown as { prototype: Record<string, unknown> }).prototype;
  const dir = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/package.json').replace(/package\.json$/, 'dist/public/chained_ops');
  const ops = tf as unknown as Record<string, unknown>;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.js') || file.startsWith('register')) continue;
    const name = file.slice(0, -3).replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
    const op = extra[name] ?? ops[name];
    if (typeof op === 'function' && !(name in proto)) {
      proto[name] = function chained(this: tf.Tensor, ...args: unknown[]) {
        return (op as (...a: unknown[]) => tf.Tensor)(this, ...args);
      };
    }
  }
}

let ready: Promise<void> | null = null;

/**
 * TF.js (core, layers, the cpu kernels), ready to build models; call in a `before` hook.
 *
 * @example
 * before(async () => { await tfjsReady(); });
 */
export function tfjsReady(): Promise<void> {
  ready ??= (async () => {
    registerChainedOps();
    await tf.setBackend('cpu');
  })();
  return ready;
}

export { tf, tfl };
